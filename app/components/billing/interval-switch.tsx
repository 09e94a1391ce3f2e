// Monthly / yearly as two links (the page is server-rendered and works
// without JavaScript: the choice is in the URL).
import { Link } from "@remix-run/react";
import type { BillingInterval } from "~/domain/billing/prices.ts";

export function IntervalSwitch({ interval, hrefFor }: { interval: BillingInterval; hrefFor: (interval: BillingInterval) => string }) {
  const option = (value: BillingInterval, label: string) => (
    <Link
      to={hrefFor(value)}
      preventScrollReset
      aria-current={interval === value ? "true" : undefined}
      className={`rounded-md px-3 py-1.5 text-sm font-medium ${interval === value ? "bg-indigo-600 text-white" : "text-fg-muted hover:text-fg"}`}
    >
      {label}
    </Link>
  );
  return (
    <nav aria-label="Billing interval" className="inline-flex gap-1 rounded-lg border border-border p-1">
      {option("month", "Monthly")}
      {option("year", "Yearly (2 months free)")}
    </nav>
  );
}
