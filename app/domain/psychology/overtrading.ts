// Overtrading days (docs/psychology-signals.md): a trading day with more
// closed trades than OVERTRADING_MEDIAN_MULTIPLE × the user's median closed
// trades per active trading day, judged only once the history holds
// OVERTRADING_MIN_ACTIVE_DAYS active days. A trade's day is its close time's
// trading day under the user's day rule (metrics.md), the day the calendar
// shows it on; an open position has no day yet.
import { tradingDayOf, type DayRule } from "../periods/trading-day.ts";
import { OVERTRADING_MEDIAN_MULTIPLE, OVERTRADING_MIN_ACTIVE_DAYS } from "./rules.ts";
import type { OvertradingReport, PsychologyTrade } from "./types.ts";

/** Median of counts (the mean of the two middle ones for an even number); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Closed trades per trading day. */
export function tradesPerDay(trades: readonly Pick<PsychologyTrade, "closedMs">[], rule: DayRule): Map<string, number> {
  const counts = new Map<string, number>();
  for (const trade of trades) {
    if (trade.closedMs === null) continue;
    const day = tradingDayOf(trade.closedMs, rule);
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  return counts;
}

export function overtradingDays(trades: readonly Pick<PsychologyTrade, "closedMs">[], rule: DayRule): OvertradingReport {
  const countByDay = tradesPerDay(trades, rule);
  const medianPerDay = median([...countByDay.values()]);
  const threshold = medianPerDay !== null && countByDay.size >= OVERTRADING_MIN_ACTIVE_DAYS ? OVERTRADING_MEDIAN_MULTIPLE * medianPerDay : null;
  const flaggedDays = new Set<string>();
  if (threshold !== null) for (const [day, count] of countByDay) if (count > threshold) flaggedDays.add(day);
  return { activeDays: countByDay.size, medianPerDay, threshold, countByDay, flaggedDays };
}
