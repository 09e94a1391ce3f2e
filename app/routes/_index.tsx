import { type MetaFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PlanCard } from "~/components/plan-card.tsx";
import { PublicHeader } from "~/components/public-header.tsx";
import { pricingCards } from "~/lib/pricing.ts";
import { handleLoader } from "~/lib/route-handler.server.ts";
import { getRequestAuth } from "~/lib/session.server.ts";

export const meta: MetaFunction = () => [
  { title: "RawJournal — the honest trading journal for MetaTrader 5" },
  {
    name: "description",
    content: "RawJournal imports your real MetaTrader 5 history and shows you what your trading actually does: no cherry-picking, no hidden losers.",
  },
];

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const { claims } = await getRequestAuth(request);
    return { signedIn: claims !== null };
  });

const features = [
  {
    title: "Straight from MT5",
    body: "Your closed deals come from the terminal itself, not from memory. Every trade is counted, the losers too.",
  },
  {
    title: "Numbers that don't flatter",
    body: "Net P/L after commission and swap, expectancy, drawdown and win rate, computed the same way every time.",
  },
  {
    title: "Open source",
    body: "Read the code that computes your statistics. Self-host it if you prefer to keep your data at home.",
  },
] as const;

const sample = [
  { label: "Net P/L", value: "+1,284.50", tone: "text-profit" },
  { label: "Max drawdown", value: "−412.20", tone: "text-loss" },
  { label: "Win rate", value: "54.3%", tone: "text-fg" },
  { label: "Trades", value: "187", tone: "text-fg" },
] as const;

export default function Index() {
  const { signedIn } = useLoaderData<typeof loader>();
  return (
    <div className="flex min-h-screen flex-col">
      <PublicHeader signedIn={signedIn} />

      <main className="flex-1">
        <section className="mx-auto max-w-5xl px-4 pb-12 pt-12 sm:px-6 sm:pt-20">
          <p className="text-sm font-medium uppercase tracking-wider text-accent-hover">Trading journal for MT5</p>
          <h1 className="mt-3 max-w-3xl text-3xl font-bold leading-tight tracking-tight text-fg sm:text-5xl">
            RawJournal — the honest trading journal for MetaTrader&nbsp;5
          </h1>
          <p className="mt-5 max-w-2xl text-base leading-relaxed text-fg-muted sm:text-lg">
            Import your MetaTrader&nbsp;5 report — or, on Pro and Elite, connect the account itself — and RawJournal records every closed trade
            exactly as your broker booked it. No forgotten losers: just the raw record of what your trading really does, and the statistics to learn
            from it.
          </p>
          <div className="mt-8 flex flex-wrap gap-3">
            <Link to={signedIn ? "/dashboard" : "/signup"} className="btn-primary px-5 py-2.5">
              {signedIn ? "Open your journal" : "Start free"}
            </Link>
            <a href="/pricing" className="btn-secondary px-5 py-2.5">
              See pricing
            </a>
          </div>

          <dl aria-label="Example statistics" className="mt-12 grid grid-cols-2 gap-3 sm:grid-cols-4">
            {sample.map((s) => (
              <div key={s.label} className="card p-4">
                <dt className="text-xs font-medium uppercase tracking-wide text-fg-muted">{s.label}</dt>
                <dd className={`mt-1 font-mono text-lg font-semibold tabular-nums sm:text-xl ${s.tone}`}>{s.value}</dd>
              </div>
            ))}
          </dl>
          <p className="mt-2 text-xs text-fg-muted">Example figures.</p>
        </section>

        <section aria-labelledby="features-heading" className="mx-auto max-w-5xl px-4 pb-16 sm:px-6">
          <h2 id="features-heading" className="sr-only">
            What it does
          </h2>
          <ul className="grid gap-4 md:grid-cols-3">
            {features.map((f) => (
              <li key={f.title} className="rounded-lg border border-border bg-raised p-5">
                <h3 className="text-base font-semibold text-fg">{f.title}</h3>
                <p className="mt-2 text-sm leading-relaxed text-fg-muted">{f.body}</p>
              </li>
            ))}
          </ul>
        </section>

        <section id="pricing" aria-labelledby="pricing-heading" className="border-t border-border bg-surface/50">
          <div className="mx-auto max-w-5xl px-4 py-16 sm:px-6">
            <h2 id="pricing-heading" className="text-2xl font-semibold tracking-tight text-fg">
              Pricing
            </h2>
            <p className="mt-2 text-sm text-fg-muted">Start free. Upgrade when you want your MT5 account synced for you.</p>
            <ul className="mt-8 grid gap-4 md:grid-cols-3">
              {pricingCards().map((plan) => (
                <PlanCard key={plan.tier} plan={plan} highlighted={plan.tier === "pro"}>
                  <Link
                    to={signedIn ? "/pricing" : `/signup?plan=${plan.tier}`}
                    className={`${plan.tier === "pro" ? "btn-primary" : "btn-secondary"} mt-6`}
                  >
                    {signedIn ? "Compare plans" : plan.tier === "free" ? "Start free" : `Choose ${plan.name}`}
                  </Link>
                </PlanCard>
              ))}
            </ul>
          </div>
        </section>
      </main>

      <footer className="border-t border-border">
        <div className="mx-auto max-w-5xl px-4 py-6 text-xs text-fg-muted sm:px-6">
          RawJournal is open-source software. Not affiliated with MetaQuotes. Trading involves risk.
        </div>
      </footer>
    </div>
  );
}
