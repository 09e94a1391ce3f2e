// Settings → Billing: the plan Stripe has confirmed, and every request the user
// can make of it — subscribe (hosted Checkout), switch plan or interval
// (prorated), cancel at period end or resume, the customer portal, invoices.
// Each form posts here and works without JavaScript; the plan itself changes
// only when Stripe's webhook says so.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FormAlert } from "~/components/forms/form-alert.tsx";
import { SubmitButton } from "~/components/forms/submit-button.tsx";
import { planName } from "~/domain/billing/plan-names.ts";
import type { BillingInterval, PaidTier } from "~/domain/billing/prices.ts";
import { priceTag } from "~/domain/billing/pricing-table.ts";
import { AppError } from "~/lib/app-error.ts";
import { env } from "~/lib/env.server.ts";
import { forForm } from "~/lib/form-intent.server.ts";
import type { FormResult } from "~/lib/form-result.ts";
import { parseForm } from "~/lib/forms.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleAction, handleLoader } from "~/lib/route-handler.server.ts";
import { stripeClient } from "~/lib/stripe.server.ts";
import type { BillingOverview, InvoiceSummary } from "~/models/billing/billing.types.ts";
import { billingConfigured, priceCatalog } from "~/models/billing/config.server.ts";
import {
  loadBillingOverview,
  portalUrl,
  recentInvoices,
  setCancelAtPeriodEnd,
  startCheckout,
  switchPlan,
} from "~/models/billing/subscription.server.ts";
import { planChoiceSchema } from "~/schemas/billing.ts";

export const meta: MetaFunction = () => [{ title: "Billing — RawJournal" }];

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const configured = billingConfigured();
    const overview = await loadBillingOverview(user.db, user.userId, priceCatalog(), configured);
    const invoices: InvoiceSummary[] | null = configured && overview.hasCustomer ? await recentInvoices(user.db, user.userId, stripeClient()) : [];
    const { rows } = await user.db.query<{ time_zone: string }>("select time_zone from public.user_settings where user_id = $1", [user.userId]);
    return { overview, invoices, timeZone: rows[0]?.time_zone ?? "UTC" };
  });

const settings = () => {
  if (!billingConfigured()) throw new AppError("unavailable", "Billing is not configured on this server, so plans can't be bought or changed here.");
  return { stripe: stripeClient(), catalog: priceCatalog(), siteUrl: env.SITE_URL };
};

const done = (intent: string, message: string): FormResult => ({ status: "success", message, values: { intent } });

export const action = (args: ActionFunctionArgs) =>
  handleAction(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const formData = await request.formData();
    const intent = String(formData.get("intent") ?? "");
    if (intent === "checkout" || intent === "switch") {
      const parsed = parseForm(formData, planChoiceSchema);
      if (!parsed.success) return data({ ...parsed.result, values: { ...parsed.result.values, intent } }, { status: 400 });
      if (intent === "checkout") {
        const url = await forForm(intent, () => startCheckout(user.db, user.userId, parsed.data, settings()));
        return redirect(url);
      }
      await forForm(intent, () => switchPlan(user.db, user.userId, parsed.data, settings()));
      return data(
        done(
          intent,
          `Switching to ${planName(parsed.data.tier)} ${parsed.data.interval === "year" ? "yearly" : "monthly"}: Stripe prorates the difference. This page shows it once Stripe confirms.`,
        ),
      );
    }
    if (intent === "cancel" || intent === "resume") {
      await forForm(intent, () => setCancelAtPeriodEnd(user.db, user.userId, intent === "cancel", settings()));
      return data(
        done(
          intent,
          intent === "cancel"
            ? "Cancellation requested: your plan runs to the end of the period you paid for."
            : "Resumed: your plan renews as before.",
        ),
      );
    }
    if (intent === "portal") {
      const url = await forForm(intent, () => portalUrl(user.db, user.userId, settings()));
      return redirect(url);
    }
    const unknown: FormResult = { status: "error", formError: "That form isn't recognised. Reload the page and try again." };
    return data(unknown, { status: 400 });
  });

function formatDate(iso: string | null, timeZone: string): string {
  return iso ? new Date(iso).toLocaleDateString("en-GB", { timeZone, dateStyle: "medium" }) : "—";
}

function statusLine(o: BillingOverview, timeZone: string): string {
  if (!o.status || !o.subscribedTier) {
    return o.tier === "free"
      ? "You are on Free: no subscription, nothing to pay."
      : `${planName(o.tier)} is on your account without a subscription (granted, not billed): nothing to pay.`;
  }
  const end = formatDate(o.currentPeriodEnd, timeZone);
  switch (o.status) {
    case "past_due":
    case "unpaid":
      return o.tier === "free"
        ? "The payment failed and the grace period has ended: your journal is on Free until the payment goes through."
        : `The last payment failed. ${planName(o.subscribedTier)} stays on until ${formatDate(o.graceEndsAt, timeZone)}; fix the payment method to keep it.`;
    case "incomplete":
      return "The first payment has not gone through yet.";
    default:
      return o.cancelAtPeriodEnd ? `Cancelled: ${planName(o.subscribedTier)} ends on ${end} and is not renewed.` : `Renews on ${end}.`;
  }
}

function PlanChoiceFields({ tier, interval }: { tier: PaidTier; interval: BillingInterval }) {
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <fieldset>
        <legend className="mb-2 text-sm font-medium text-fg">Plan</legend>
        {(["pro", "elite"] as const).map((t) => (
          <label key={t} className="flex items-center gap-2 py-1 text-sm text-fg">
            <input type="radio" name="tier" value={t} defaultChecked={t === tier} className="accent-indigo-500" />
            {planName(t)} — {priceTag(t, "month").price}/month or {priceTag(t, "year").price}/year
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend className="mb-2 text-sm font-medium text-fg">Billing</legend>
        {(["month", "year"] as const).map((i) => (
          <label key={i} className="flex items-center gap-2 py-1 text-sm text-fg">
            <input type="radio" name="interval" value={i} defaultChecked={i === interval} className="accent-indigo-500" />
            {i === "month" ? "Monthly" : "Yearly (2 months free)"}
          </label>
        ))}
      </fieldset>
    </div>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="card p-5 sm:p-6">
      <h2 className="mb-4 text-base font-semibold text-fg">{title}</h2>
      {children}
    </section>
  );
}

export default function BillingSettings() {
  const { overview: o, invoices, timeZone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const resultFor = (intent: string) => (result?.values?.intent === intent ? result : undefined);
  const alertFor = (intent: string) => {
    const r = resultFor(intent);
    if (!r) return null;
    const message = r.status === "success" ? r.message : (r.formError ?? Object.values(r.fieldErrors ?? {}).flat()[0]);
    return message ? <FormAlert tone={r.status === "success" ? "success" : "error"}>{message}</FormAlert> : null;
  };
  const subscribed = Boolean(o.subscribedTier);
  const wanted = params.get("plan") === "elite" ? "elite" : "pro";
  const wantedInterval = params.get("interval") === "year" ? "year" : "month";

  return (
    <div className="space-y-6" data-billing-page>
      <Section title="Your plan">
        <p className="text-2xl font-semibold text-fg" data-current-tier={o.tier}>
          {planName(o.tier)}
          {o.subscribedTier && o.interval ? (
            <span className="ml-2 text-sm font-normal text-fg-muted">billed {o.interval === "year" ? "yearly" : "monthly"}</span>
          ) : null}
        </p>
        <p className="mt-1 text-sm text-fg-muted" data-billing-status={o.status ?? "none"}>
          {statusLine(o, timeZone)}
        </p>
        {!o.billingConfigured ? (
          <div className="mt-4">
            <FormAlert tone="info">Billing is not configured on this server: plans can't be bought or changed here.</FormAlert>
          </div>
        ) : null}
        {o.restrictedAccounts.length ? (
          <div className="mt-4 rounded-md border border-border p-3 text-sm text-fg-muted" data-restricted-accounts>
            <p className="text-fg">Accounts beyond your plan are kept, with everything in them:</p>
            <ul className="mt-2 list-disc space-y-1 pl-5">
              {o.restrictedAccounts.map((a) => (
                <li key={a.id}>
                  <Link to={`/accounts/${a.id}`} className="text-fg underline-offset-2 hover:underline">
                    {a.name}
                  </Link>{" "}
                  — {a.access === "read_only" ? "read-only (nothing can be added or changed)" : "not synced (imports still work)"}
                </li>
              ))}
            </ul>
            <p className="mt-2">Upgrading restores them at once.</p>
          </div>
        ) : null}
      </Section>

      {o.billingConfigured && !subscribed ? (
        <Section title="Subscribe">
          <Form method="post" className="space-y-4" data-form="checkout">
            {alertFor("checkout")}
            <PlanChoiceFields tier={wanted} interval={wantedInterval} />
            <p className="text-xs text-fg-muted">
              You pay on Stripe&apos;s secure page; RawJournal never sees your card. Compare plans on the{" "}
              <Link to="/pricing" className="underline">
                pricing page
              </Link>
              .
            </p>
            <SubmitButton intent="checkout" pendingLabel="Opening checkout…">
              Continue to checkout
            </SubmitButton>
          </Form>
        </Section>
      ) : null}

      {o.billingConfigured && subscribed && o.subscribedTier && o.interval ? (
        <>
          <Section title="Change plan">
            <Form method="post" className="space-y-4" data-form="switch">
              {alertFor("switch")}
              <PlanChoiceFields tier={o.subscribedTier} interval={o.interval} />
              <p className="text-xs text-fg-muted">
                Stripe prorates: an upgrade charges the difference for the rest of the period, a downgrade credits it.
              </p>
              <SubmitButton intent="switch" pendingLabel="Switching…" variant="secondary">
                Switch plan
              </SubmitButton>
            </Form>
          </Section>
          <Section title="Renewal">
            <Form method="post" className="space-y-3" data-form="renewal">
              {alertFor("cancel") ?? alertFor("resume")}
              {o.cancelAtPeriodEnd ? (
                <>
                  <p className="text-sm text-fg-muted">
                    Your subscription ends on {formatDate(o.currentPeriodEnd, timeZone)}. Resume it to keep your plan.
                  </p>
                  <SubmitButton intent="resume" pendingLabel="Resuming…">
                    Resume subscription
                  </SubmitButton>
                </>
              ) : (
                <>
                  <p className="text-sm text-fg-muted">
                    Cancelling keeps {planName(o.subscribedTier)} until {formatDate(o.currentPeriodEnd, timeZone)}, then moves you to Free. Nothing is
                    deleted.
                  </p>
                  <SubmitButton intent="cancel" pendingLabel="Cancelling…" variant="danger">
                    Cancel at period end
                  </SubmitButton>
                </>
              )}
            </Form>
          </Section>
        </>
      ) : null}

      {o.billingConfigured && o.hasCustomer ? (
        <Section title="Payment method and invoices">
          <Form method="post" className="space-y-4" data-form="portal">
            {alertFor("portal")}
            <p className="text-sm text-fg-muted">Update your card or download invoices on Stripe&apos;s customer portal.</p>
            <SubmitButton
              intent="portal"
              pendingLabel="Opening…"
              variant={o.status === "past_due" || o.status === "unpaid" ? "primary" : "secondary"}
            >
              {o.status === "past_due" || o.status === "unpaid" ? "Fix payment method" : "Open customer portal"}
            </SubmitButton>
          </Form>
          {invoices === null ? (
            <p className="mt-4 text-sm text-fg-muted">Invoices could not be loaded from Stripe just now; the customer portal lists them.</p>
          ) : invoices.length ? (
            <table className="mt-4 w-full text-sm" data-invoices>
              <caption className="sr-only">Invoices</caption>
              <thead>
                <tr className="border-b border-border text-left text-xs text-fg-muted">
                  <th scope="col" className="py-2 pr-3 font-medium">
                    Date
                  </th>
                  <th scope="col" className="py-2 pr-3 text-right font-medium">
                    Amount
                  </th>
                  <th scope="col" className="py-2 pr-3 font-medium">
                    Status
                  </th>
                  <th scope="col" className="py-2 font-medium">
                    <span className="sr-only">Link</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {invoices.map((invoice) => (
                  <tr key={invoice.id} className="border-b border-border/60">
                    <td className="py-2 pr-3 text-fg">{formatDate(invoice.createdAt, timeZone)}</td>
                    <td className="py-2 pr-3 text-right tabular-nums text-fg">
                      {(invoice.amountCents / 100).toFixed(2)} {invoice.currency.toUpperCase()}
                    </td>
                    <td className="py-2 pr-3 text-fg-muted">{invoice.status ?? "—"}</td>
                    <td className="py-2">
                      {invoice.url ? (
                        <a href={invoice.url} className="text-indigo-300 underline-offset-2 hover:underline" rel="noreferrer">
                          View{invoice.number ? ` ${invoice.number}` : ""}
                        </a>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </Section>
      ) : null}
    </div>
  );
}
