// Where trading days begin: the inverse of the analytics' trading-day rule
// (app/domain/analytics/trading-day.ts, docs/metrics.md#trading-day), so a
// period, "today" and the trade list's date filter start exactly where the
// calendar puts a trade's day. DST-correct: the zone's offset is read for the
// wall time in question.
import { dayLabel, dayLabelShiftMinutes, dayNumberOf, tradingDay, weekdayOfDayNumber } from "../analytics/trading-day.ts";
import type { DayRule } from "../analytics/types.ts";
import { serverTimeToUtc } from "../server-time.ts";

export type { DayRule };

/** "YYYY-MM-DD": the trading day an instant belongs to. */
export function tradingDayOf(at: Date | number, rule: DayRule): string {
  return tradingDay(typeof at === "number" ? new Date(at) : at, rule);
}

/** The first instant of a trading day ("YYYY-MM-DD"). */
export function tradingDayStart(day: string, rule: DayRule): Date {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  // The start's wall time: the labelled date minus the label shift.
  const wall = new Date(Date.UTC(year, month - 1, date) - dayLabelShiftMinutes(rule.dayStartMinutes) * 60_000);
  return serverTimeToUtc(
    {
      year: wall.getUTCFullYear(),
      month: wall.getUTCMonth() + 1,
      day: wall.getUTCDate(),
      hour: wall.getUTCHours(),
      minute: wall.getUTCMinutes(),
      second: 0,
    },
    rule.timeZone,
  ).at;
}

/** The day `days` after a "YYYY-MM-DD" day. */
export function addDays(day: string, days: number): string {
  return dayLabel(dayNumberOf(day) + days);
}

/** Monday = 0 … Sunday = 6, of a "YYYY-MM-DD" day. */
export function weekdayOf(day: string): number {
  return weekdayOfDayNumber(dayNumberOf(day));
}

/**
 * The day rule from the user's settings row: the start hour on the chosen
 * clock, or on the user's own zone when none is chosen (null).
 */
export function dayRuleOf(settings: {
  timeZone: string | null | undefined;
  startHour: number | null | undefined;
  dayZone: string | null | undefined;
}): DayRule {
  return { timeZone: settings.dayZone ?? settings.timeZone ?? "UTC", dayStartMinutes: (settings.startHour ?? 0) * 60 };
}
