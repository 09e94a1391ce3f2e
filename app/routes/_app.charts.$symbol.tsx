// /charts/$symbol: every one of the user's trades on one symbol as markers on
// its candles, under the analytics URL's period and account (parsed as
// /analytics parses them), with a timeframe switch (?tf=H4; the default draws
// the period in at most 1,500 bars) and the forming bar live while the
// market-data terminal keeps the symbol hot.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AnalyticsFiltersBar } from "~/components/analytics/analytics-filters-bar.tsx";
import { PageHeader } from "~/components/page-header.tsx";
import { SymbolChartPanel } from "~/components/symbol-chart/symbol-chart-panel.tsx";
import { TimeframeSwitch } from "~/components/symbol-chart/timeframe-switch.tsx";
import { pnlTone } from "~/components/trades/pnl-text.tsx";
import { timeframeSeconds } from "~/domain/charts/chart-geometry.ts";
import { chosenTimeframe, symbolWindow } from "~/domain/charts/symbol-window.ts";
import { firstEntryPrice } from "~/domain/charts/packed-trades.ts";
import { decimalPlaces } from "~/domain/decimal.ts";
import { symbolDigits } from "~/domain/instruments/price-display.ts";
import { AppError } from "~/lib/app-error.ts";
import { formatMoney, plural } from "~/lib/format.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleLoader } from "~/lib/route-handler.server.ts";
import { wallClockNow } from "~/lib/wall-clock.server.ts";
import { loadCandleWindow } from "~/models/charts/candles.server.ts";
import { isHotSymbol, loadSymbolTrades } from "~/models/charts/symbol-chart.server.ts";
import { analyticsFiltersQuery, parseAnalyticsFilters } from "~/schemas/analytics-filters.ts";
import { symbol as symbolSchema } from "~/schemas/trade-filters.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.symbol} chart — RawJournal` : "Chart — RawJournal" }];

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request, params }) => {
    const parsed = symbolSchema.safeParse(params.symbol ?? "");
    if (!parsed.success) throw new AppError("not_found", "That is not a symbol name. Pick one from the list of your traded symbols.");
    const symbol = parsed.data;
    const user = await requireUserDb(request);
    const url = new URL(request.url);
    const filters = parseAnalyticsFilters(url.searchParams);
    const now = wallClockNow();
    const view = await loadSymbolTrades(user.db, user.claims.sub, symbol, filters, now);
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const { timeframe, window } = chosenTimeframe(
      url.searchParams.get("tf"),
      symbolWindow({
        periodFrom: view.periodFrom,
        periodTo: view.periodTo,
        firstTradeAt: view.firstOpenedAt,
        lastTradeAt: view.lastOpenedAt,
        now: nowSeconds,
      }),
    );
    const market = await loadCandleWindow(user.db, { symbol, timeframe, from: new Date(window.from * 1000), to: new Date(window.to * 1000) });
    // Live only when the window reaches the forming bar and the terminal keeps the symbol current.
    const live = window.to >= nowSeconds - timeframeSeconds(timeframe) && (await isHotSymbol(user.db, symbol));
    const firstEntry = firstEntryPrice(view.packed);
    const digits = symbolDigits(symbol) ?? (firstEntry ? decimalPlaces(firstEntry) : 5);
    return {
      symbol,
      filters,
      timeframe,
      explicitTimeframe: url.searchParams.has("tf"),
      market: { status: market.status, reason: market.reason ?? null, candles: market.candles },
      live,
      digits,
      ...view,
    };
  });

export default function SymbolChart() {
  const { symbol, filters, timeframe, market, live, digits, scope, period, counts, packed, net } = useLoaderData<typeof loader>();
  const query = analyticsFiltersQuery({ ...filters, symbol: null, session: null, direction: null, tag: null });
  const range = period.firstDay ? (period.firstDay === period.lastDay ? period.firstDay : `${period.firstDay} – ${period.lastDay}`) : null;
  const listParams = new URLSearchParams({ symbol });
  if (period.firstDay) listParams.set("from", period.firstDay);
  if (period.lastDay) listParams.set("to", period.lastDay);
  if (!scope.key.startsWith("all-")) listParams.set("account", scope.key);
  return (
    <>
      <PageHeader
        title={symbol}
        description={`${scope.label} · ${period.label}${range ? ` (${range})` : ""}`}
        actions={
          <Link to={`/charts${query}`} className="link text-sm">
            All symbols
          </Link>
        }
      />
      <div className="space-y-4">
        <AnalyticsFiltersBar filters={filters} scope={scope} action={`/charts/${encodeURIComponent(symbol)}`} narrowing={false} />
        <section aria-labelledby="chart-heading" className="card space-y-3 p-3 sm:p-4">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h2 id="chart-heading" className="text-base font-semibold text-fg">
              {plural(counts.trades, "trade")} on {symbol}
              <span className="sr-only">
                : {counts.win} won, {counts.loss} lost{counts.breakeven ? `, ${counts.breakeven} breakeven` : ""}
                {counts.open ? `, ${counts.open} open` : ""}
              </span>
            </h2>
            <TimeframeSwitch current={timeframe} hrefOf={(tf) => `/charts/${encodeURIComponent(symbol)}${query}${query ? "&" : "?"}tf=${tf}`} />
          </div>
          <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-fg-muted" aria-hidden>
            <span>
              <span className="text-green-400">●</span> {counts.win} won
            </span>
            <span>
              <span className="text-red-400">●</span> {counts.loss} lost
            </span>
            {counts.breakeven ? <span>{counts.breakeven} breakeven</span> : null}
            {counts.open ? (
              <span>
                <span className="text-indigo-400">●</span> {counts.open} open
              </span>
            ) : null}
            <span className={pnlTone(net)}>Net {formatMoney(net, scope.currency, { signed: true })}</span>
          </p>
          <SymbolChartPanel
            symbol={symbol}
            timeframe={timeframe}
            status={market.status}
            reason={market.reason}
            candles={market.candles}
            packed={packed}
            tradeCount={counts.trades}
            live={live}
            currency={scope.currency}
            timeZone={scope.timeZone}
            digits={digits}
          />
          <p className="text-xs text-fg-muted">
            Arrows point at entry prices (up for a buy, down for a sell), circles sit on exit prices; select one to open the trade.{" "}
            <Link to={`/trades?${listParams.toString()}`} className="link">
              These trades as a list
            </Link>
          </p>
        </section>
      </div>
    </>
  );
}
