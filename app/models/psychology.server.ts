// Psychology signals as the user sees them (docs/psychology-signals.md): for
// one trade (its page), for one trading day (the daily review) and as flagged
// vs unflagged results under the analytics filters. The rules are the pure
// ones in app/domain/psychology; this module reads what they need, as the
// user (RLS), with only the columns they use.
import { resolvePeriod } from "~/domain/periods/period.ts";
import { dayRuleOf, tradingDayOf, tradingDayStart, addDays, type DayRule } from "~/domain/periods/trading-day.ts";
import {
  compareFlagged,
  OVERTRADING_MIN_ACTIVE_DAYS,
  overtradingDays,
  REVENGE_WINDOW_MINUTES,
  revengeAgainst,
  revengeSignals,
  type PsychologyTrade,
  type RevengeSignal,
} from "~/domain/psychology/index.ts";
import type { RequestDb } from "~/lib/db.server.ts";
import { cached } from "~/models/analytics/cache.server.ts";
import { narrowing } from "~/models/analytics/input.server.ts";
import type { AnalyticsFilters } from "~/schemas/analytics-filters.ts";
import type { DaySignals, OvertradingDayView, RevengeView, SignalsComparison, TradeSignals } from "./psychology.types.ts";

export type * from "./psychology.types.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Times as epoch milliseconds: node-postgres parses timestamptz text far more slowly. */
const TRADE_COLUMNS = (t: string) =>
  `${t}.id, ${t}.account_id, ${t}.symbol, (extract(epoch from ${t}.opened_at) * 1000)::float8 as opened_ms,
   (extract(epoch from ${t}.closed_at) * 1000)::float8 as closed_ms, ${t}.volume::text as volume, ${t}.net_profit::text as net`;

interface TradeDbRow {
  id: string;
  account_id: string;
  symbol: string;
  opened_ms: number;
  closed_ms: number | null;
  volume: string;
  net: string;
}

function toTrade(row: TradeDbRow): PsychologyTrade {
  return {
    id: row.id,
    accountId: row.account_id,
    symbol: row.symbol,
    openedMs: row.opened_ms,
    closedMs: row.closed_ms,
    volume: row.volume,
    net: row.net,
  };
}

function revengeView(signal: RevengeSignal): RevengeView {
  return {
    lossTradeId: signal.loss.id,
    lossSymbol: signal.loss.symbol,
    lossNet: signal.loss.net,
    minutesAfterLoss: signal.minutesAfterLoss,
    sizeRatio: signal.sizeRatio,
  };
}

async function loadDayRule(db: RequestDb, userId: string): Promise<DayRule> {
  const { rows } = await db.query<{ time_zone: string | null; start_hour: number | null; day_zone: string | null }>(
    `select s.time_zone, s.trading_day_start_hour as start_hour, s.trading_day_time_zone as day_zone
       from (select 1) one left join public.user_settings s on s.user_id = $1`,
    [userId],
  );
  const row = rows[0]!;
  return dayRuleOf({ timeZone: row.time_zone, startHour: row.start_hour, dayZone: row.day_zone });
}

/**
 * Close times of every closed trade of the user, all accounts: what the
 * overtrading rule counts. One row of comma-separated whole seconds rather
 * than a row per trade (node-postgres spends most of a 100,000-row answer on
 * the rows). Seconds are enough: trading days start on a whole minute.
 */
async function loadCloseTimes(db: RequestDb, userId: string): Promise<{ closedMs: number }[]> {
  const { rows } = await db.query<{ seconds: string | null }>(
    `select string_agg(floor(extract(epoch from t.closed_at))::bigint::text, ',') as seconds
       from public.trades t where t.user_id = $1 and t.status = 'closed' and t.closed_at is not null`,
    [userId],
  );
  const seconds = rows[0]?.seconds;
  return seconds ? seconds.split(",").map((second) => ({ closedMs: Number(second) * 1000 })) : [];
}

/**
 * Trades (chosen by `where` on `t`) with the loss each one is compared with:
 * the most recent losing closed trade of its account closed at or before it
 * opened, within the window (an older one could not flag it), ties by id as
 * in the domain's previousLosses. One index probe of trades_account_closed_idx
 * per trade: for the few trades of one page.
 */
async function loadWithPreviousLoss(
  db: RequestDb,
  where: string,
  values: unknown[],
): Promise<{ trade: PsychologyTrade; loss: PsychologyTrade | undefined; currency: string }[]> {
  const { rows } = await db.query<TradeDbRow & { currency: string; loss: TradeDbRow | null }>(
    `select ${TRADE_COLUMNS("t")}, a.currency, to_json(l) as loss
       from public.trades t
       join public.accounts a on a.id = t.account_id
       left join lateral (
         select ${TRADE_COLUMNS("p")} from public.trades p
          where p.account_id = t.account_id and p.status = 'closed' and p.net_profit < 0 and p.id <> t.id
            and p.closed_at <= t.opened_at and p.closed_at >= t.opened_at - make_interval(mins => ${REVENGE_WINDOW_MINUTES})
          order by p.closed_at desc, p.id desc limit 1) l on true
      where ${where}
      order by t.closed_at, t.id`,
    values,
  );
  return rows.map((row) => ({ trade: toTrade(row), loss: row.loss ? toTrade(row.loss) : undefined, currency: row.currency }));
}

function overtradingDayView(day: string, closeTimes: { closedMs: number }[], rule: DayRule): OvertradingDayView | null {
  const report = overtradingDays(closeTimes, rule);
  if (!report.flaggedDays.has(day)) return null;
  return { day, trades: report.countByDay.get(day)!, medianPerDay: report.medianPerDay!, threshold: report.threshold! };
}

/** The signals of one trade (open or closed), or null when the trade does not exist for this user. */
export async function loadTradeSignals(db: RequestDb, userId: string, tradeId: string): Promise<TradeSignals | null> {
  if (!UUID.test(tradeId)) return null;
  const [found] = await loadWithPreviousLoss(db, "t.id = $1 and t.user_id = $2", [tradeId, userId]);
  if (!found) return null;
  const signal = revengeAgainst(found.trade, found.loss);
  let overtradingDay: OvertradingDayView | null = null;
  if (found.trade.closedMs !== null) {
    const rule = await loadDayRule(db, userId);
    overtradingDay = overtradingDayView(tradingDayOf(found.trade.closedMs, rule), await loadCloseTimes(db, userId), rule);
  }
  return { currency: found.currency, revenge: signal ? revengeView(signal) : null, overtradingDay };
}

/** The signals of one trading day ("YYYY-MM-DD" under the user's day rule): its closed trades, all accounts. */
export async function loadDaySignals(db: RequestDb, userId: string, day: string): Promise<DaySignals> {
  const rule = await loadDayRule(db, userId);
  const [dayTrades, closeTimes] = await Promise.all([
    loadWithPreviousLoss(db, "t.user_id = $1 and t.status = 'closed' and t.closed_at >= $2 and t.closed_at < $3", [
      userId,
      tradingDayStart(day, rule),
      tradingDayStart(addDays(day, 1), rule),
    ]),
    loadCloseTimes(db, userId),
  ]);
  const report = overtradingDays(closeTimes, rule);
  const revengeTrades = dayTrades.flatMap(({ trade, loss, currency }) => {
    const signal = revengeAgainst(trade, loss);
    return signal ? [{ ...revengeView(signal), tradeId: trade.id, symbol: trade.symbol, currency }] : [];
  });
  return {
    day,
    trades: report.countByDay.get(day) ?? 0,
    medianPerDay: report.medianPerDay,
    threshold: report.threshold,
    activeDays: report.activeDays,
    minActiveDays: OVERTRADING_MIN_ACTIVE_DAYS,
    overtrading: report.flaggedDays.has(day),
    revengeTrades,
  };
}

/** The analytics view's scope as the analytics model resolves it (its accounts, its currency, the user's day rule). */
export interface SignalsScope {
  accountIds: string[];
  currency: string;
  dayRule: DayRule;
}

/**
 * Flagged vs unflagged results of the closed trades the analytics filters
 * select. The signals themselves read the whole history: a loss before the
 * period or on another symbol still makes the next trade a revenge trade, and
 * the median day counts every account. One query of every closed trade of
 * the user with only the rules' columns, and whether the filters select it:
 * no id or symbol (the rows are only counted and summed; a trade's position
 * in the answer, ordered by close time and id, stands in for its id).
 */
export async function loadSignalsComparison(
  db: RequestDb,
  userId: string,
  scope: SignalsScope,
  filters: AnalyticsFilters,
  now: Date,
): Promise<SignalsComparison> {
  const period = resolvePeriod(filters.period, now, scope.dayRule, filters);
  const narrow = narrowing(filters, 5);
  const { rows } = await db.query<Omit<TradeDbRow, "id" | "symbol"> & { in_view: boolean }>(
    `select t.account_id, (extract(epoch from t.opened_at) * 1000)::float8 as opened_ms, (extract(epoch from t.closed_at) * 1000)::float8 as closed_ms,
            t.volume::text as volume, t.net_profit::text as net,
            (t.account_id = any($2::uuid[]) and t.closed_at >= $3 and t.closed_at < $4${narrow.sql}) as in_view
       from public.trades t
      where t.user_id = $1 and t.status = 'closed' and t.closed_at is not null
      order by t.closed_at, t.id`,
    [userId, scope.accountIds, period.from ?? new Date(0), period.to ?? new Date(8.64e15), ...narrow.values],
  );
  // Zero-padded positions sort as the rows came, (close time, id): a tie between two losses closed in the same instant
  // is broken as on the trade page.
  const trades = rows.map((row, index): PsychologyTrade => ({
    id: String(index).padStart(9, "0"),
    accountId: row.account_id,
    symbol: "",
    openedMs: row.opened_ms,
    closedMs: row.closed_ms,
    volume: row.volume,
    net: row.net,
  }));
  const revenge = revengeSignals(trades);
  const report = overtradingDays(trades, scope.dayRule);
  const inView = trades.filter((_, i) => rows[i]!.in_view);
  return {
    currency: scope.currency,
    rows: compareFlagged(inView, { revenge, overtradingDays: report.flaggedDays, dayRule: scope.dayRule }),
    activeDays: report.activeDays,
    minActiveDays: OVERTRADING_MIN_ACTIVE_DAYS,
    medianPerDay: report.medianPerDay,
    threshold: report.threshold,
  };
}

/**
 * loadSignalsComparison through the analytics cache: the signals read the
 * user's whole history (a second at 100,000 trades), and the answer changes
 * only when the user's data version does (trades, tags, accounts and the day
 * rule all bump it), so a repeat view of /analytics reads one row.
 */
export async function loadSignalsComparisonCached(
  db: RequestDb,
  userId: string,
  scope: SignalsScope,
  filters: AnalyticsFilters,
  now: Date,
): Promise<SignalsComparison> {
  const period = resolvePeriod(filters.period, now, scope.dayRule, filters);
  const key = JSON.stringify([
    "psychology-signals",
    [...scope.accountIds].sort(),
    scope.currency,
    filters.symbol,
    filters.session,
    filters.direction,
    filters.tag,
    period.from?.getTime() ?? null,
    period.to?.getTime() ?? null,
    scope.dayRule.timeZone,
    scope.dayRule.dayStartMinutes,
  ]);
  return (await cached(db, userId, key, () => loadSignalsComparison(db, userId, scope, filters, now))).value;
}
