// Shown on every signed-in page while a payment has failed: how long the plan
// stays on, and the way to fix it. Nothing else in the app changes until then.
import { Link } from "@remix-run/react";
import type { BillingBanner } from "~/models/billing/billing.types.ts";

export function PastDueBanner({ banner }: { banner: BillingBanner | null }) {
  if (!banner) return null;
  const until = banner.graceEndsAt
    ? new Date(banner.graceEndsAt).toLocaleDateString("en-GB", { timeZone: banner.timeZone, dateStyle: "medium" })
    : null;
  return (
    <div
      role="alert"
      data-billing-banner={banner.kind}
      className="mb-6 rounded-md border border-amber-500/40 bg-amber-500/10 px-4 py-3 text-sm text-amber-100"
    >
      <strong className="font-semibold">Your last payment failed.</strong>{" "}
      {banner.kind === "grace"
        ? `Your ${banner.planName} plan stays on${until ? ` until ${until}` : ""}; after that your journal moves to Free (nothing is deleted).`
        : `Your journal is on Free until the payment goes through; paying restores ${banner.planName} and everything in it.`}{" "}
      <Link to="/settings/billing" className="font-medium text-amber-50 underline underline-offset-2">
        Fix payment
      </Link>
    </div>
  );
}
