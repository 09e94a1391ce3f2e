// The landing page: what RawJournal does, in claims the app backs today (exact
// decimals and the import's reconciliation, read-only investor-password sync,
// imports, analytics, charts, journal, open source), the plans from the table
// the server enforces, and a way in. No testimonials and no sample figures:
// the picture is drawn, not data. Every call to action is a link, so the page
// works without JavaScript.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { TradeChartIllustration } from "~/components/landing/trade-chart-illustration.tsx";
import { PlanCard } from "~/components/plan-card.tsx";
import { PublicHeader } from "~/components/public-header.tsx";
import { env } from "~/lib/env.server.ts";
import { pricingCards } from "~/lib/pricing.ts";
import { handleLoader } from "~/lib/route-handler.server.ts";
import { publicPageMeta } from "~/lib/seo-meta.ts";
import { getRequestAuth } from "~/lib/session.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  publicPageMeta({
    siteUrl: data?.siteUrl,
    path: "/",
    title: "RawJournal — the open-source trading journal for MetaTrader 5",
    description:
      "Import your MT5 history or sync the account with its read-only investor password. Every trade exact to the cent, with analytics, charts and a journal. Open source.",
  });

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const { claims } = await getRequestAuth(request);
    return { signedIn: claims !== null, siteUrl: env.SITE_URL };
  });

const features = [
  {
    title: "Exact to the cent",
    body: "Prices, profits, commission and swap are kept as exact decimals, never rounded floating point. After an import RawJournal adds up what it stored and compares it with the balance and net profit your report prints: a ✓, or each difference and its size.",
  },
  {
    title: "Read-only MT5 sync",
    body: "Connect an account with its investor password, which can never place or close a trade; it is stored encrypted. While RawJournal is open, positions, balance and equity refresh every 15 seconds and closed trades arrive by themselves.",
  },
  {
    title: "Imports that don't double count",
    body: "MT5 Trade History Reports as HTML or Excel, in English, Portuguese, Russian, French, Japanese or Bulgarian, MT4 statements, CSV and JSON. Trades already in the account are skipped, and any import can be undone.",
  },
  {
    title: "Analytics that show their working",
    body: "Balance and drawdown, a trading-day calendar, breakdowns by symbol, session, weekday, hour, time held, side and tag, a day × hour heatmap, expectancy, profit factor and R — each figure defined in one published document.",
  },
  {
    title: "Every trade on its chart",
    body: "Review a trade on candles with its entry and exit marked, switch the timeframe, and see every trade you took on a symbol's own chart.",
  },
  {
    title: "A journal beside the numbers",
    body: "Notes, screenshots, tags and playbooks on each trade, and a review of each trading day with that day's trades.",
  },
] as const;

const ways = [
  {
    title: "Import a report",
    plan: "Every plan",
    steps: [
      "In MT5, right-click the History tab and choose Report.",
      "Save it as HTML or Excel.",
      "Upload it: you see what will be imported, skipped or rejected, and why, before anything is saved.",
    ],
  },
  {
    title: "Connect the account",
    plan: "Pro and Elite",
    steps: [
      "Enter the account's login, server and investor (read-only) password.",
      "RawJournal reads your whole history once, then keeps it current while you have it open.",
      "Open positions update live; closed trades appear without a refresh.",
    ],
  },
] as const;

export default function Index() {
  const { signedIn } = useLoaderData<typeof loader>();
  const start = signedIn ? { to: "/dashboard", label: "Open your journal" } : { to: "/signup", label: "Start free" };
  return (
    <div className="flex min-h-screen flex-col">
      <PublicHeader signedIn={signedIn} />

      <main id="main" className="flex-1">
        <section className="mx-auto grid max-w-5xl items-center gap-10 px-4 pb-12 pt-12 sm:px-6 sm:pt-20 lg:grid-cols-[3fr_2fr]">
          <div>
            <p className="text-sm font-medium uppercase tracking-wider text-accent-hover">Open source · for MetaTrader 5 traders</p>
            <h1 className="mt-3 text-3xl font-bold leading-tight tracking-tight text-fg sm:text-5xl">Your MT5 trading journal, exact to the cent</h1>
            <p className="mt-5 max-w-2xl text-base leading-relaxed text-fg-muted sm:text-lg">
              RawJournal keeps every closed trade the way your broker booked it — commission, swap and partial closes included — and shows you what
              your trading really does. Import your MT5 reports on any plan, or connect the account with its read-only investor password and let it
              sync.
            </p>
            <div className="mt-8 flex flex-wrap gap-3">
              <Link to={start.to} className="btn-primary px-5 py-2.5">
                {start.label}
              </Link>
              <Link to="/pricing" className="btn-secondary px-5 py-2.5">
                See pricing
              </Link>
            </div>
          </div>
          <div className="card p-4">
            <TradeChartIllustration className="h-auto w-full" />
          </div>
        </section>

        <section aria-labelledby="features-heading" className="mx-auto max-w-5xl px-4 pb-16 sm:px-6">
          <h2 id="features-heading" className="text-2xl font-semibold tracking-tight text-fg">
            What it does
          </h2>
          <ul className="mt-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {features.map((f) => (
              <li key={f.title} className="rounded-lg border border-border bg-raised p-5">
                <h3 className="text-base font-semibold text-fg">{f.title}</h3>
                <p className="mt-2 text-sm leading-relaxed text-fg-muted">{f.body}</p>
              </li>
            ))}
          </ul>
        </section>

        <section aria-labelledby="ways-heading" className="mx-auto max-w-5xl px-4 pb-16 sm:px-6">
          <h2 id="ways-heading" className="text-2xl font-semibold tracking-tight text-fg">
            Two ways to bring your trades in
          </h2>
          <div className="mt-6 grid gap-4 md:grid-cols-2">
            {ways.map((way) => (
              <div key={way.title} className="card p-5">
                <h3 className="text-base font-semibold text-fg">
                  {way.title} <span className="ml-1 text-sm font-normal text-accent-hover">{way.plan}</span>
                </h3>
                <ol className="mt-3 list-decimal space-y-1.5 pl-5 text-sm leading-relaxed text-fg-muted">
                  {way.steps.map((step) => (
                    <li key={step}>{step}</li>
                  ))}
                </ol>
              </div>
            ))}
          </div>
        </section>

        <section aria-labelledby="open-source-heading" className="mx-auto max-w-5xl px-4 pb-16 sm:px-6">
          <div className="card p-6 sm:p-8">
            <h2 id="open-source-heading" className="text-xl font-semibold tracking-tight text-fg">
              Open source
            </h2>
            <p className="mt-2 max-w-3xl text-sm leading-relaxed text-fg-muted sm:text-base">
              Read the code that computes your statistics and the document that defines every figure, or run RawJournal on your own server and keep
              your trading history at home.
            </p>
          </div>
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
            <p className="mt-6 text-sm">
              <Link to="/pricing" className="link">
                Compare every plan, monthly or yearly
              </Link>
            </p>
          </div>
        </section>
      </main>

      <footer className="border-t border-border">
        <div className="mx-auto flex max-w-5xl flex-col gap-3 px-4 py-6 text-xs text-fg-muted sm:flex-row sm:items-center sm:justify-between sm:px-6">
          <p>RawJournal is open-source software. Not affiliated with MetaQuotes. Trading involves risk.</p>
          <nav aria-label="Footer" className="flex gap-4">
            <Link to="/pricing" className="hover:text-fg">
              Pricing
            </Link>
            <Link to="/login" className="hover:text-fg">
              Sign in
            </Link>
            <Link to="/signup" className="hover:text-fg">
              Create an account
            </Link>
          </nav>
        </div>
      </footer>
    </div>
  );
}
