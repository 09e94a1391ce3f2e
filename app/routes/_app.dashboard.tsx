// The dashboard: each account's balance, equity, floating P&L and margin, the
// open positions and the latest closed trades, loaded here and then kept live
// by the layout's Realtime connection (no reload, no browser queries). An
// empty journal shows how to start instead.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { CalendarSection, PerformanceSection } from "~/components/analytics/performance-section.tsx";
import { AccountCard } from "~/components/dashboard/account-cards.tsx";
import { GettingStarted } from "~/components/dashboard/getting-started.tsx";
import { fxMarketState, MarketClosedBanner, useFxMarketState } from "~/components/dashboard/market-status.tsx";
import { PausedAccountsBanner } from "~/components/dashboard/paused-banner.tsx";
import { PositionCards, PositionsTable } from "~/components/dashboard/positions-table.tsx";
import { RecentTrades } from "~/components/dashboard/recent-trades.tsx";
import { useLiveDashboard } from "~/components/dashboard/use-live-dashboard.ts";
import { PageHeader } from "~/components/page-header.tsx";
import { floatingTotal, RECENT_TRADES, sortedPositions } from "~/domain/sync/live-rows.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleLoader } from "~/lib/route-handler.server.ts";
import { wallClockNow, wallClockOffsetMs } from "~/lib/wall-clock.server.ts";
import { loadDashboardStats } from "~/models/analytics/views.server.ts";
import { loadDashboard } from "~/models/dashboard.server.ts";
import { loadTickerSymbols } from "~/models/charts/ticker.server.ts";
import { LiveTicker } from "~/components/ticker/live-ticker.tsx";
import { parseAnalyticsFilters } from "~/schemas/analytics-filters.ts";
import type { loader as appLoader } from "./_app.tsx";

export const meta: MetaFunction = () => [{ title: "Dashboard — RawJournal" }];

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const dashboard = await loadDashboard(user.db, user.claims);
    const filters = parseAnalyticsFilters(new URL(request.url).searchParams);
    const now = wallClockNow();
    const { scope, view: stats } = await loadDashboardStats(user.db, user.claims.sub, filters, now);
    const { accounts, currencies, key, tags, accountIds } = scope;
    const ticker = await loadTickerSymbols(user.db, user.claims.sub);
    return {
      dashboard,
      ticker,
      market: fxMarketState(now, wallClockOffsetMs()),
      filters,
      stats,
      scope: { accounts, currencies, key, tags, accountIds },
    };
  });

export default function Dashboard() {
  const { dashboard, ticker, market: initialMarket, filters, stats, scope } = useLoaderData<typeof loader>();
  const shell = useRouteLoaderData<typeof appLoader>("routes/_app")?.shell;
  const firstName = shell?.user.fullName?.trim().split(/\s+/)[0];
  const welcome = firstName ? `Welcome, ${firstName}` : "Welcome";
  const market = useFxMarketState(initialMarket);
  const live = useLiveDashboard(dashboard, RECENT_TRADES);
  const positions = useMemo(() => sortedPositions(live.positions), [live.positions]);

  if (dashboard.accounts.length === 0 && !dashboard.hasTrades) {
    return (
      <>
        <PageHeader title={welcome} description="Your journal is empty. Start with any of these; you can add the others later." />
        <GettingStarted />
      </>
    );
  }

  const { timeZone } = dashboard;
  const currencyOf = (accountId: string) => live.accounts.find((a) => a.id === accountId)?.currency ?? "USD";
  const mt5Accounts = live.accounts.filter((a) => a.kind === "mt5");
  const accountNameOf = mt5Accounts.length > 1 ? (accountId: string) => live.accounts.find((a) => a.id === accountId)?.name ?? "" : null;

  return (
    <>
      <PageHeader title={welcome} description="Your accounts as the broker reports them, updating while this page is open." />
      <div className="space-y-6">
        <MarketClosedBanner state={market} timeZone={timeZone} hasSyncedAccount={mt5Accounts.length > 0} />
        <PausedAccountsBanner accounts={live.accounts} />
        <LiveTicker initial={ticker} symbols={positions.map((p) => p.symbol)} />

        <section aria-labelledby="accounts-heading">
          <h2 id="accounts-heading" className="sr-only">
            Accounts
          </h2>
          <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
            {live.accounts.map((account) => (
              <AccountCard key={account.id} account={account} floating={floatingTotal(positions, account.id)} timeZone={timeZone} />
            ))}
          </ul>
        </section>

        <PerformanceSection stats={stats} scope={scope} filters={filters} timeZone={timeZone} />

        <section aria-labelledby="positions-heading" className="space-y-3">
          <h2 id="positions-heading" className="text-base font-semibold text-fg">
            Open positions <span className="font-normal text-fg-subtle">({positions.length})</span>
          </h2>
          {positions.length === 0 ? (
            <p className="card px-4 py-6 text-sm text-fg-muted">
              {mt5Accounts.length === 0 ? (
                <>
                  Open positions appear here for MT5 accounts.{" "}
                  <Link to="/accounts/connect" className="link">
                    Connect an MT5 account
                  </Link>
                </>
              ) : (
                "No open positions right now."
              )}
            </p>
          ) : (
            <>
              <PositionsTable positions={positions} timeZone={timeZone} currencyOf={currencyOf} accountNameOf={accountNameOf} />
              <PositionCards positions={positions} timeZone={timeZone} currencyOf={currencyOf} accountNameOf={accountNameOf} />
            </>
          )}
        </section>

        <section aria-labelledby="recent-heading" className="space-y-3">
          <div className="flex items-baseline justify-between gap-3">
            <h2 id="recent-heading" className="text-base font-semibold text-fg">
              Recently closed
            </h2>
            <Link to="/trades" className="link text-sm">
              All trades
            </Link>
          </div>
          {live.trades.length === 0 ? (
            <p className="card px-4 py-6 text-sm text-fg-muted">No closed trades yet.</p>
          ) : (
            <RecentTrades trades={live.trades} timeZone={timeZone} currencyOf={currencyOf} />
          )}
        </section>

        <CalendarSection stats={stats} scope={scope} />
      </div>
    </>
  );
}
