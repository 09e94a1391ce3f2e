// One plan on /pricing: name, price for the chosen interval, what it includes
// (from the enforced plan table), and the call to action the page chooses.
import type { ReactNode } from "react";
import type { PriceTag } from "~/domain/billing/pricing-table.ts";

export function PriceCard({ tag, features, current, children }: { tag: PriceTag; features: string[]; current: boolean; children: ReactNode }) {
  return (
    <li className={`card flex flex-col p-6 ${current ? "border-accent" : ""}`} data-plan={tag.tier}>
      <h2 className="text-base font-semibold text-fg">
        {tag.name}
        {current ? <span className="ml-2 rounded-full bg-accent/20 px-2 py-0.5 text-xs text-indigo-200">Your plan</span> : null}
      </h2>
      <p className="mt-2">
        <span className="text-3xl font-bold tabular-nums text-fg" data-price>
          {tag.price}
        </span>
        <span className="text-sm text-fg-muted"> / {tag.per}</span>
      </p>
      {tag.note ? <p className="mt-1 text-xs text-fg-muted">{tag.note}</p> : <p className="mt-1 text-xs text-transparent">.</p>}
      <ul className="mt-4 flex-1 space-y-2 text-sm text-fg-muted">
        {features.map((feature) => (
          <li key={feature} className="flex gap-2">
            <span aria-hidden="true" className="text-profit">
              ✓
            </span>
            {feature}
          </li>
        ))}
      </ul>
      {children}
    </li>
  );
}
