// The user's trades by symbol for /charts, read as the user (RLS) under the
// analytics URL's period and account scope (the same parsing and scope as
// /analytics). A closed trade counts in the period its close falls in
// (metrics.md); a trade still open counts in every period that began before now.
import { PERIOD_LABELS, resolvePeriod, type ResolvedPeriod } from "~/domain/periods/period.ts";
import type { RequestDb } from "~/lib/db.server.ts";
import { loadAnalyticsScope } from "~/models/analytics/scope.server.ts";
import type { AnalyticsScope, PeriodView } from "~/models/analytics/types.ts";
import type { AnalyticsFilters } from "~/schemas/analytics-filters.ts";
import type { ChartScope, SymbolTrades, TradedSymbol, TradedSymbols } from "./symbol-chart.types.ts";

export type { ChartScope, SymbolTrades, TradedSymbol, TradedSymbols };

const FAR_FUTURE = new Date(8.64e15);

/** Trades of the view on `t`: parameters $2 accounts, $3 from, $4 to. */
const IN_VIEW = `t.account_id = any($2::uuid[])
      and ((t.status = 'closed' and t.closed_at >= $3 and t.closed_at < $4) or (t.status = 'open' and t.opened_at < $4))`;

function chartScope(scope: AnalyticsScope): ChartScope {
  const { accounts, currencies, key, tags, accountIds, currency, label, timeZone } = scope;
  return { accounts, currencies, key, tags, accountIds, currency, label, timeZone };
}

function periodView(period: ResolvedPeriod): PeriodView {
  return {
    key: period.key,
    label: PERIOD_LABELS[period.key],
    firstDay: period.days?.firstDay ?? null,
    lastDay: period.days?.lastDay ?? null,
    previous: period.previous ? { firstDay: period.previous.days.firstDay, lastDay: period.previous.days.lastDay } : null,
  };
}

async function scopeAndPeriod(db: RequestDb, userId: string, filters: AnalyticsFilters, now: Date) {
  const scope = await loadAnalyticsScope(db, userId, filters);
  const period = resolvePeriod(filters.period, now, scope.dayRule, filters);
  return { scope, period, values: [userId, scope.accountIds, period.from ?? new Date(0), period.to ?? FAR_FUTURE] };
}

/** Every symbol with trades in the view, most recently traded first. */
export async function loadTradedSymbols(db: RequestDb, userId: string, filters: AnalyticsFilters, now: Date): Promise<TradedSymbols> {
  const { scope, period, values } = await scopeAndPeriod(db, userId, filters, now);
  const { rows } = await db.query<{
    symbol: string;
    trades: number;
    wins: number;
    losses: number;
    open: number;
    net: string;
    last_ms: number;
  }>(
    `select t.symbol, count(*)::int as trades,
            count(*) filter (where t.result = 'win')::int as wins,
            count(*) filter (where t.result = 'loss')::int as losses,
            count(*) filter (where t.status = 'open')::int as open,
            coalesce(sum(t.net_profit) filter (where t.status = 'closed'), 0)::text as net,
            (extract(epoch from max(coalesce(t.closed_at, t.opened_at))) * 1000)::float8 as last_ms
       from public.trades t
      where t.user_id = $1 and ${IN_VIEW}
      group by t.symbol
      order by last_ms desc, t.symbol`,
    values,
  );
  return {
    scope: chartScope(scope),
    period: periodView(period),
    symbols: rows.map((row) => ({
      symbol: row.symbol,
      trades: row.trades,
      wins: row.wins,
      losses: row.losses,
      open: row.open,
      net: row.net,
      lastTradedAt: row.last_ms,
    })),
  };
}

/**
 * The view's trades on one symbol: counts, net, and the trades themselves in
 * opening order, packed into one text by PostgreSQL (domain/charts/packed-trades.ts)
 * — 5,000 rows cost one value to read and serialise instead of 45,000.
 */
export async function loadSymbolTrades(db: RequestDb, userId: string, symbol: string, filters: AnalyticsFilters, now: Date): Promise<SymbolTrades> {
  const { scope, period, values } = await scopeAndPeriod(db, userId, filters, now);
  const { rows } = await db.query<{
    trades: number;
    wins: number;
    losses: number;
    breakevens: number;
    open: number;
    net: string;
    first_s: number | null;
    last_s: number | null;
    packed: string;
  }>(
    `select count(*)::int as trades,
            count(*) filter (where t.result = 'win')::int as wins,
            count(*) filter (where t.result = 'loss')::int as losses,
            count(*) filter (where t.result = 'breakeven')::int as breakevens,
            count(*) filter (where t.status = 'open')::int as open,
            coalesce(sum(t.net_profit) filter (where t.status = 'closed'), 0)::text as net,
            floor(date_part('epoch', min(t.opened_at))) as first_s,
            floor(date_part('epoch', max(t.opened_at))) as last_s,
            -- date_part (float8), not extract (numeric since PostgreSQL 14): half the cost of the aggregate.
            coalesce(string_agg(
              concat(t.id, ',', case when t.direction = 'buy' then 'b' else 's' end, ',', case when t.status = 'open' then 'o' else 'c' end, ',',
                     floor(date_part('epoch', t.opened_at))::int8, ',', floor(date_part('epoch', t.closed_at))::int8, ',',
                     t.entry_price, ',', t.exit_price, ',', t.volume, ',', case when t.status = 'closed' then t.net_profit end),
              E'\n' order by t.opened_at, t.id), '') as packed
       from public.trades t
      where t.user_id = $1 and t.symbol = $5 and ${IN_VIEW}`,
    [...values, symbol],
  );
  const row = rows[0]!;
  return {
    scope: chartScope(scope),
    period: periodView(period),
    periodFrom: period.from ? period.from.getTime() / 1000 : null,
    periodTo: period.to ? period.to.getTime() / 1000 : null,
    counts: { trades: row.trades, win: row.wins, loss: row.losses, breakeven: row.breakevens, open: row.open },
    net: row.net,
    firstOpenedAt: row.first_s,
    lastOpenedAt: row.last_s,
    packed: row.packed,
  };
}

/** Whether the market-data terminal keeps this symbol's candles current (open positions or trades this week). */
export async function isHotSymbol(db: RequestDb, symbol: string): Promise<boolean> {
  const { rows } = await db.query<{ hot: boolean }>("select exists (select 1 from public.hot_symbols where symbol = $1) as hot", [symbol]);
  return rows[0]!.hot;
}
