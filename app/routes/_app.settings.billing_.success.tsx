// Where Stripe Checkout sends the user after paying. The redirect proves
// nothing (anyone can open this URL), so the page waits for the webhook: it
// reads the plan from the database, refreshes itself every two seconds while
// it has not arrived (a meta refresh: no JavaScript needed), and after 60
// seconds says the payment is still being confirmed instead of waiting forever.
import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FormAlert } from "~/components/forms/form-alert.tsx";
import { planName } from "~/domain/billing/plan-names.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleLoader } from "~/lib/route-handler.server.ts";
import { checkoutConfirmed } from "~/models/billing/subscription.server.ts";

export const CONFIRMATION_TIMEOUT_MS = 60_000;

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const url = new URL(request.url);
    const since = Number(url.searchParams.get("since"));
    const { confirmed, tier } = await checkoutConfirmed(user.db, user.userId);
    if (!confirmed && !(since > 0)) {
      url.searchParams.set("since", String(Date.now()));
      throw redirect(`${url.pathname}${url.search}`);
    }
    const timedOut = !confirmed && Date.now() - since > CONFIRMATION_TIMEOUT_MS;
    return { confirmed, tier, timedOut };
  });

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.confirmed ? "Welcome to your new plan — RawJournal" : "Confirming your payment — RawJournal" },
  ...(data && !data.confirmed && !data.timedOut ? [{ httpEquiv: "refresh", content: "2" } as const] : []),
];

export default function CheckoutSuccess() {
  const { confirmed, tier, timedOut } = useLoaderData<typeof loader>();
  return (
    <div className="card max-w-xl space-y-4 p-6" data-checkout-result={confirmed ? "confirmed" : timedOut ? "timeout" : "waiting"}>
      {confirmed ? (
        <>
          <h2 className="text-xl font-semibold text-fg">You are on {planName(tier)}</h2>
          <p className="text-sm text-fg-muted">Stripe confirmed the payment. Everything your plan includes is on now.</p>
          <div className="flex flex-wrap gap-3">
            <Link to="/accounts/connect" className="btn-primary">
              Connect an MT5 account
            </Link>
            <Link to="/settings/billing" className="btn-secondary">
              Billing settings
            </Link>
          </div>
        </>
      ) : timedOut ? (
        <>
          <h2 className="text-xl font-semibold text-fg">Still confirming your payment</h2>
          <FormAlert tone="info">
            Stripe has not confirmed the payment to us yet. This usually takes seconds but can take a few minutes; your plan switches on by itself
            when it arrives, and you will not be charged twice.
          </FormAlert>
          <div className="flex flex-wrap gap-3">
            <Link to="/settings/billing/success" reloadDocument className="btn-secondary">
              Check again
            </Link>
            <Link to="/settings/billing" className="btn-secondary">
              Billing settings
            </Link>
          </div>
        </>
      ) : (
        <>
          <h2 className="text-xl font-semibold text-fg">Confirming your payment…</h2>
          <p className="text-sm text-fg-muted" role="status">
            Waiting for Stripe to confirm. This page refreshes by itself.
          </p>
        </>
      )}
    </div>
  );
}
