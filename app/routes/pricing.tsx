// /pricing: the plans and what each includes, written from the same plan
// table the server enforces (app/domain/entitlements.ts), so the page cannot
// promise what the plan does not give. Public and server-rendered; it knows a
// signed-in user and their plan, so every upgrade prompt in the app can end
// here instead of at a sign-up page that sends them back. Checkout arrives with
// billing; until then a signed-in user is told so plainly.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PlanCard } from "~/components/plan-card.tsx";
import { PublicHeader } from "~/components/public-header.tsx";
import { PLANS, type Tier } from "~/domain/entitlements.ts";
import { pricingCards } from "~/lib/pricing.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleLoader } from "~/lib/route-handler.server.ts";
import { getRequestAuth } from "~/lib/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Pricing — RawJournal" }];

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const { claims } = await getRequestAuth(request);
    if (!claims) return { signedIn: false, tier: null as Tier | null };
    const { db } = await requireUserDb(request);
    const { rows } = await db.query<{ tier: Tier }>("select subscription_tier as tier from public.profiles where id = $1", [claims.sub]);
    return { signedIn: true, tier: rows[0]?.tier ?? ("free" as Tier) };
  });

const TIERS: Tier[] = ["free", "pro", "elite"];
const ROWS: { label: string; value: (tier: Tier) => string }[] = [
  { label: "Accounts", value: (t) => (PLANS[t].maxAccounts === null ? "Unlimited" : String(PLANS[t].maxAccounts)) },
  { label: "MT5 accounts synced live (investor password)", value: (t) => (PLANS[t].maxMt5Accounts === 0 ? "—" : String(PLANS[t].maxMt5Accounts)) },
  { label: "Trades added a month", value: (t) => (PLANS[t].monthlyTradeLimit === null ? "Unlimited" : String(PLANS[t].monthlyTradeLimit)) },
  { label: "MT5/MT4 report, CSV and JSON import", value: () => "✓" },
  { label: "Analytics, calendar and breakdowns", value: () => "✓" },
  { label: "Priority sync", value: (t) => (PLANS[t].prioritySync ? "✓" : "—") },
];
const ORDER: Record<Tier, number> = { free: 0, pro: 1, elite: 2 };

export default function Pricing() {
  const { signedIn, tier } = useLoaderData<typeof loader>();
  const cards = pricingCards();
  return (
    <div className="flex min-h-screen flex-col">
      <PublicHeader signedIn={signedIn} />
      <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-12 sm:px-6">
        <h1 className="text-3xl font-bold tracking-tight text-fg">Pricing</h1>
        <p className="mt-2 text-sm text-fg-muted">
          Free keeps a journal from files and hand-entered trades. Pro and Elite also sync MT5 accounts live with the read-only investor password.
        </p>
        {signedIn ? (
          <p className="mt-4 rounded-md border border-sky-500/30 bg-sky-500/10 px-4 py-3 text-sm text-sky-200" role="status" data-current-plan={tier}>
            You are on the {cards.find((c) => c.tier === tier)?.name ?? "Free"} plan. Online checkout for upgrades is being built and opens in the
            next release; nothing in your journal changes when you upgrade.
          </p>
        ) : null}
        <ul className="mt-8 grid gap-4 md:grid-cols-3">
          {cards.map((plan) => {
            const current = tier === plan.tier;
            return (
              <PlanCard
                key={plan.tier}
                plan={plan}
                highlighted={current}
                headingLevel={2}
                badge={current ? <span className="ml-1 rounded-full bg-accent/20 px-2 py-0.5 text-xs text-indigo-200">Your plan</span> : null}
              >
                {!signedIn ? (
                  <Link to={`/signup?plan=${plan.tier}`} className={`${plan.tier === "pro" ? "btn-primary" : "btn-secondary"} mt-6`}>
                    {plan.tier === "free" ? "Start free" : `Start with ${plan.name}`}
                  </Link>
                ) : current ? (
                  <Link to="/dashboard" className="btn-secondary mt-6">
                    Back to your journal
                  </Link>
                ) : ORDER[plan.tier] > ORDER[tier ?? "free"] ? (
                  <p className="mt-6 text-sm text-fg-muted">Upgrade to {plan.name}: checkout opens with billing in the next release.</p>
                ) : (
                  <p className="mt-6 text-sm text-fg-subtle">Included in your plan.</p>
                )}
              </PlanCard>
            );
          })}
        </ul>
        <div className="mt-10 overflow-x-auto">
          <table className="w-full min-w-[520px] text-sm">
            <caption className="mb-3 text-left text-base font-semibold text-fg">Compare plans</caption>
            <thead>
              <tr className="border-b border-border text-left text-xs text-fg-muted">
                <th scope="col" className="py-2 pr-3 font-medium">
                  Feature
                </th>
                {TIERS.map((t) => (
                  <th key={t} scope="col" className="px-3 py-2 text-center font-medium">
                    {cards.find((c) => c.tier === t)!.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {ROWS.map((row) => (
                <tr key={row.label} className="border-b border-border/60">
                  <th scope="row" className="py-2 pr-3 text-left font-normal text-fg">
                    {row.label}
                  </th>
                  {TIERS.map((t) => (
                    <td key={t} className="px-3 py-2 text-center tabular-nums text-fg-muted">
                      {row.value(t)}
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
