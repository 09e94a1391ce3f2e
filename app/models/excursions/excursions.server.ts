// MAE/MFE as the user reads it (RLS): one trade's measurement, the backfill's
// progress, and averages per analytics breakdown row. The averages are grouped
// in SQL (a few hundred rows back, whatever the trade count) under the same
// filters as the breakdowns (the analytics input's narrowing conditions), and
// keyed as the breakdown rows are, so the page lays them beside each row.
import { DURATION_BUCKETS, NONE_KEY } from "~/domain/analytics/breakdown.ts";
import { resolvePeriod } from "~/domain/periods/period.ts";
import type { RequestDb } from "~/lib/db.server.ts";
import { narrowing } from "~/models/analytics/input.server.ts";
import type { AnalyticsScope } from "~/models/analytics/types.ts";
import type { AnalyticsFilters } from "~/schemas/analytics-filters.ts";
import type { ExcursionAverages, ExcursionBreakdowns, ExcursionProgress, TradeExcursionView } from "./types.ts";

export type * from "./types.ts";

interface ExcursionDbRow {
  status: "measured" | "no_bars" | "unknown_symbol";
  timeframe: "M1" | "M5" | null;
  mae_price: string | null;
  mfe_price: string | null;
  mae_pips: string | null;
  mfe_pips: string | null;
  mae_money: string | null;
  mfe_money: string | null;
  mae_r: string | null;
  mfe_r: string | null;
  efficiency: string | null;
  mae_at: Date | null;
  mfe_at: Date | null;
  current: boolean;
}

/** The trade's measurement; "pending" until the backfill has measured its current close. Null for an open trade. */
export async function loadTradeExcursion(db: RequestDb, tradeId: string): Promise<TradeExcursionView | null> {
  const { rows } = await db.query<ExcursionDbRow & { trade_status: string }>(
    `select t.status as trade_status, e.status, e.timeframe, e.mae_price::text, e.mfe_price::text, e.mae_pips::text, e.mfe_pips::text,
            e.mae_money::text, e.mfe_money::text, e.mae_r::text, e.mfe_r::text, e.efficiency::text, e.mae_at, e.mfe_at,
            e.trade_closed_at = t.closed_at as current
       from public.trades t left join public.trade_excursions e on e.trade_id = t.id
      where t.id = $1`,
    [tradeId],
  );
  const row = rows[0];
  if (!row || row.trade_status !== "closed") return null;
  if (!row.status || !row.current) return { state: "pending" };
  if (row.status !== "measured") return { state: row.status };
  return {
    state: "measured",
    timeframe: row.timeframe!,
    maePrice: row.mae_price!,
    mfePrice: row.mfe_price!,
    maePips: row.mae_pips,
    mfePips: row.mfe_pips,
    maeMoney: row.mae_money,
    mfeMoney: row.mfe_money,
    maeR: row.mae_r,
    mfeR: row.mfe_r,
    efficiency: row.efficiency,
    maeAt: row.mae_at?.toISOString() ?? null,
    mfeAt: row.mfe_at?.toISOString() ?? null,
  };
}

/** Closed trades of the user and how many the backfill has done: two index counts. */
export async function loadExcursionProgress(db: RequestDb, userId: string): Promise<ExcursionProgress> {
  const { rows } = await db.query<{ closed: number; processed: number; measured: number }>(
    `select (select count(*)::int from public.trades where user_id = $1 and status = 'closed') as closed,
            (select count(*)::int from public.trade_excursions where user_id = $1) as processed,
            (select count(*)::int from public.trade_excursions where user_id = $1 and status = 'measured') as measured`,
    [userId],
  );
  const row = rows[0]!;
  return { closedTrades: row.closed, processed: Math.min(row.processed, row.closed), measured: row.measured };
}

const DURATION_CASE = `case ${DURATION_BUCKETS.map((bucket) =>
  Number.isFinite(bucket.below) ? `when x.held_ms < ${bucket.below} then '${bucket.key}'` : `else '${bucket.key}'`,
).join(" ")} end`;

/**
 * Average MAE and MFE in R and exit efficiency per row of each breakdown
 * (symbol, session, weekday and hour opened in the user's zone, time held,
 * side, tag), over the view's measured trades.
 */
export async function loadExcursionBreakdowns(
  db: RequestDb,
  scope: Pick<AnalyticsScope, "accountIds" | "dayRule" | "timeZone">,
  filters: AnalyticsFilters,
  now: Date,
): Promise<ExcursionBreakdowns> {
  const period = resolvePeriod(filters.period, now, scope.dayRule, filters);
  const narrow = narrowing(filters, 5);
  const { rows } = await db.query<{
    dimension: string;
    key: string;
    measured: number;
    mae_r: number | null;
    mfe_r: number | null;
    efficiency: number | null;
  }>(
    `with x as materialized (
       select t.id, t.symbol, coalesce(t.session_tag, '${NONE_KEY}') as session, t.direction,
              (extract(isodow from t.opened_at at time zone $4)::int - 1)::text as weekday,
              extract(hour from t.opened_at at time zone $4)::int::text as hour,
              extract(epoch from t.closed_at - t.opened_at) * 1000 as held_ms,
              e.mae_r, e.mfe_r, e.efficiency
         from public.trades t
         join public.trade_excursions e on e.trade_id = t.id and e.status = 'measured' and e.trade_closed_at = t.closed_at
        where t.account_id = any($1::uuid[]) and t.status = 'closed' and t.closed_at >= $2 and t.closed_at < $3${narrow.sql}
     ), keyed as (
       select 'symbol' as dimension, x.symbol as key, x.* from x
       union all select 'session', x.session, x.* from x
       union all select 'direction', x.direction, x.* from x
       union all select 'weekday', x.weekday, x.* from x
       union all select 'hour', x.hour, x.* from x
       union all select 'duration', ${DURATION_CASE}, x.* from x
       union all select 'tag', coalesce(g.name, '${NONE_KEY}'), x.* from x
         left join public.trade_tags tt on tt.trade_id = x.id left join public.tags g on g.id = tt.tag_id
     )
     select dimension, key, count(*)::int as measured, avg(mae_r)::float8 as mae_r, avg(mfe_r)::float8 as mfe_r,
            avg(efficiency)::float8 as efficiency
       from keyed group by dimension, key`,
    [scope.accountIds, period.from ?? new Date(0), period.to ?? new Date(8.64e15), scope.timeZone, ...narrow.values],
  );
  const byDimension: ExcursionBreakdowns = {};
  for (const row of rows) {
    const averages: ExcursionAverages = { measured: row.measured, maeR: row.mae_r, mfeR: row.mfe_r, efficiency: row.efficiency };
    (byDimension[row.dimension] ??= {})[row.key] = averages;
  }
  return byDimension;
}
