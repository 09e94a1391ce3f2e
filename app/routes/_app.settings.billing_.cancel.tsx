// Where Stripe Checkout sends the user who backed out: nothing was charged and
// nothing changed.
import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Checkout cancelled — RawJournal" }];

export default function CheckoutCancelled() {
  return (
    <div className="card max-w-xl space-y-4 p-6" data-checkout-result="cancelled">
      <h2 className="text-xl font-semibold text-fg">Checkout cancelled</h2>
      <p className="text-sm text-fg-muted">Nothing was charged and your plan is unchanged. You can pick a plan again whenever you like.</p>
      <div className="flex flex-wrap gap-3">
        <Link to="/settings/billing" className="btn-primary">
          Back to billing
        </Link>
        <Link to="/pricing" className="btn-secondary">
          Compare plans
        </Link>
      </div>
    </div>
  );
}
