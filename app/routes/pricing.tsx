// /pricing: the plans, monthly or yearly, and a comparison table — all written
// from the plan table the server enforces (app/domain/billing/pricing-table.ts
// reads PLANS, which public.plan_limits mirrors), so the page cannot promise
// what the plan does not give. Public and server-rendered; the interval is in
// the URL and each call to action is a link or a form, so it works without
// JavaScript. Signed out: sign up with the plan chosen. Signed in on Free:
// straight to Stripe Checkout. Subscribed: change plan in Settings → Billing.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { IntervalSwitch } from "~/components/billing/interval-switch.tsx";
import { PriceCard } from "~/components/billing/price-card.tsx";
import { PublicHeader } from "~/components/public-header.tsx";
import { planName } from "~/domain/billing/plan-names.ts";
import type { BillingInterval } from "~/domain/billing/prices.ts";
import { cardFeatures, comparisonRows, priceTag, TIERS } from "~/domain/billing/pricing-table.ts";
import type { Tier } from "~/domain/entitlements.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { env } from "~/lib/env.server.ts";
import { handleLoader } from "~/lib/route-handler.server.ts";
import { publicPageMeta } from "~/lib/seo-meta.ts";
import { getRequestAuth } from "~/lib/session.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  publicPageMeta({
    siteUrl: data?.siteUrl,
    path: "/pricing",
    title: "Pricing — RawJournal",
    description:
      "RawJournal plans, monthly or yearly: Free for imports and manual entry, Pro and Elite to sync MT5 accounts with the read-only investor password.",
  });

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const interval: BillingInterval = new URL(request.url).searchParams.get("interval") === "year" ? "year" : "month";
    const { claims } = await getRequestAuth(request);
    const siteUrl = env.SITE_URL;
    if (!claims) return { interval, siteUrl, signedIn: false, tier: null as Tier | null, subscribed: false };
    const { db } = await requireUserDb(request);
    const { rows } = await db.query<{ tier: Tier; subscribed: boolean }>(
      `select subscription_tier as tier,
              stripe_subscription_id is not null and subscription_status not in ('canceled', 'incomplete_expired') as subscribed
         from public.profiles where id = $1`,
      [claims.sub],
    );
    return { interval, siteUrl, signedIn: true, tier: rows[0]?.tier ?? ("free" as Tier), subscribed: rows[0]?.subscribed ?? false };
  });

const ORDER: Record<Tier, number> = { free: 0, pro: 1, elite: 2 };

function CallToAction({
  tier,
  interval,
  signedIn,
  current,
  subscribed,
}: {
  tier: Tier;
  interval: BillingInterval;
  signedIn: boolean;
  current: Tier | null;
  subscribed: boolean;
}) {
  const name = planName(tier);
  if (!signedIn) {
    return (
      <Link to={`/signup?plan=${tier}&interval=${interval}`} className={`${tier === "pro" ? "btn-primary" : "btn-secondary"} mt-6`}>
        {tier === "free" ? "Start free" : `Start with ${name}`}
      </Link>
    );
  }
  if (current === tier) {
    return (
      <Link to={tier === "free" ? "/dashboard" : "/settings/billing"} className="btn-secondary mt-6">
        {tier === "free" ? "Back to your journal" : "Manage your plan"}
      </Link>
    );
  }
  if (tier === "free") return <p className="mt-6 text-sm text-fg-subtle">Cancel any time in Settings → Billing; nothing is deleted.</p>;
  if (subscribed) {
    return (
      <Link to={`/settings/billing?plan=${tier}&interval=${interval}`} className="btn-secondary mt-6">
        {ORDER[tier] > ORDER[current ?? "free"] ? `Upgrade to ${name}` : `Switch to ${name}`}
      </Link>
    );
  }
  return (
    <Form method="post" action="/settings/billing" className="mt-6">
      <input type="hidden" name="tier" value={tier} />
      <input type="hidden" name="interval" value={interval} />
      <button type="submit" name="intent" value="checkout" className={`${tier === "pro" ? "btn-primary" : "btn-secondary"} w-full`}>
        Upgrade to {name}
      </button>
    </Form>
  );
}

export default function Pricing() {
  const { interval, signedIn, tier, subscribed } = useLoaderData<typeof loader>();
  const rows = comparisonRows();
  return (
    <div className="flex min-h-screen flex-col">
      <PublicHeader signedIn={signedIn} />
      <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-12 sm:px-6">
        <h1 className="text-3xl font-bold tracking-tight text-fg">Pricing</h1>
        <p className="mt-2 text-sm text-fg-muted">
          Free keeps a journal from files and hand-entered trades. Pro and Elite also sync MT5 accounts live with the read-only investor password.
        </p>
        {signedIn ? (
          <p className="mt-4 text-sm text-fg-muted" role="status" data-current-plan={tier}>
            You are on the {planName(tier ?? "free")} plan.
          </p>
        ) : null}
        <div className="mt-6">
          <IntervalSwitch interval={interval} hrefFor={(i) => (i === "year" ? "/pricing?interval=year" : "/pricing")} />
        </div>
        <ul className="mt-6 grid gap-4 md:grid-cols-3">
          {TIERS.map((t) => (
            <PriceCard key={t} tag={priceTag(t, interval)} features={cardFeatures(t)} current={signedIn && tier === t}>
              <CallToAction tier={t} interval={interval} signedIn={signedIn} current={tier} subscribed={subscribed} />
            </PriceCard>
          ))}
        </ul>
        <p className="mt-4 text-xs text-fg-muted">Prices in US dollars. Payments are handled by Stripe; RawJournal never sees your card.</p>
        <div className="mt-10 overflow-x-auto">
          <table className="w-full text-xs sm:text-sm" data-comparison>
            <caption className="mb-3 text-left text-base font-semibold text-fg">Compare plans</caption>
            <thead>
              <tr className="border-b border-border text-left text-xs text-fg-muted">
                <th scope="col" className="py-2 pr-3 font-medium">
                  Feature
                </th>
                {TIERS.map((t) => (
                  <th key={t} scope="col" className="px-1.5 py-2 text-center font-medium sm:px-3">
                    {planName(t)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.label} className="border-b border-border/60">
                  <th scope="row" className="py-2 pr-3 text-left font-normal text-fg">
                    {row.label}
                  </th>
                  {TIERS.map((t) => (
                    <td key={t} className="px-1.5 py-2 text-center tabular-nums text-fg-muted sm:px-3">
                      {row.values[t]}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </main>
    </div>
  );
}
