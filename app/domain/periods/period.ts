// Analytics periods: "this month", "last month", a custom range… resolved to
// instants by the trading-day rule, with the period of the same length right
// before it for "vs previous" (metrics.md). Weeks start on Monday.
import { addDays, tradingDayOf, tradingDayStart, weekdayOf, type DayRule } from "./trading-day.ts";

export const PERIOD_KEYS = ["today", "week", "month", "last-month", "quarter", "year", "all", "custom"] as const;
export type PeriodKey = (typeof PERIOD_KEYS)[number];

export const PERIOD_LABELS: Record<PeriodKey, string> = {
  today: "Today",
  week: "This week",
  month: "This month",
  "last-month": "Last month",
  quarter: "This quarter",
  year: "This year",
  all: "All time",
  custom: "Custom range",
};

export interface DayRange {
  /** First trading day, inclusive ("YYYY-MM-DD"). */
  firstDay: string;
  /** Last trading day, inclusive. */
  lastDay: string;
}

export interface ResolvedPeriod {
  key: PeriodKey;
  /** Null for all time. */
  days: DayRange | null;
  /** Instants: from inclusive, to exclusive; null = open. */
  from: Date | null;
  to: Date | null;
  /** The period of the same length just before (the previous month for a month); null for all time. */
  previous: { days: DayRange; from: Date; to: Date } | null;
}

function monthStart(day: string, monthsBack = 0): string {
  const [year, month] = day.split("-").map(Number) as [number, number];
  const index = year * 12 + (month - 1) - monthsBack;
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}-01`;
}

function daysBetween(first: string, last: string): number {
  return Math.round((Date.parse(`${last}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / 86_400_000) + 1;
}

function instants(range: DayRange, rule: DayRule): { from: Date; to: Date } {
  return { from: tradingDayStart(range.firstDay, rule), to: tradingDayStart(addDays(range.lastDay, 1), rule) };
}

/** The calendar-aligned range of a period key containing `today`, and the one before it. */
function ranges(key: Exclude<PeriodKey, "all" | "custom">, today: string): { current: DayRange; previous: DayRange } {
  switch (key) {
    case "today":
      return { current: { firstDay: today, lastDay: today }, previous: { firstDay: addDays(today, -1), lastDay: addDays(today, -1) } };
    case "week": {
      const monday = addDays(today, -weekdayOf(today));
      return {
        current: { firstDay: monday, lastDay: addDays(monday, 6) },
        previous: { firstDay: addDays(monday, -7), lastDay: addDays(monday, -1) },
      };
    }
    case "month":
    case "last-month": {
      const back = key === "month" ? 0 : 1;
      const first = monthStart(today, back);
      return {
        current: { firstDay: first, lastDay: addDays(monthStart(today, back - 1), -1) },
        previous: { firstDay: monthStart(today, back + 1), lastDay: addDays(first, -1) },
      };
    }
    case "quarter": {
      const month = Number(today.slice(5, 7));
      const first = monthStart(today, (month - 1) % 3);
      return {
        current: { firstDay: first, lastDay: addDays(monthStart(first, -3), -1) },
        previous: { firstDay: monthStart(first, 3), lastDay: addDays(first, -1) },
      };
    }
    case "year": {
      const year = today.slice(0, 4);
      const previousYear = String(Number(year) - 1).padStart(4, "0");
      return {
        current: { firstDay: `${year}-01-01`, lastDay: `${year}-12-31` },
        previous: { firstDay: `${previousYear}-01-01`, lastDay: `${previousYear}-12-31` },
      };
    }
  }
}

/**
 * Resolves a period at `now`. A custom range needs both days (inclusive; a
 * backwards range is swapped); its previous period is the same number of days
 * right before it.
 */
export function resolvePeriod(key: PeriodKey, now: Date, rule: DayRule, custom?: { from: string | null; to: string | null }): ResolvedPeriod {
  if (key === "all") return { key, days: null, from: null, to: null, previous: null };
  let current: DayRange;
  let previous: DayRange;
  if (key === "custom") {
    const today = tradingDayOf(now, rule);
    let first = custom?.from ?? custom?.to ?? today;
    let last = custom?.to ?? custom?.from ?? today;
    if (first > last) [first, last] = [last, first];
    current = { firstDay: first, lastDay: last };
    const length = daysBetween(first, last);
    previous = { firstDay: addDays(first, -length), lastDay: addDays(first, -1) };
  } else {
    ({ current, previous } = ranges(key, tradingDayOf(now, rule)));
  }
  return { key, days: current, ...instants(current, rule), previous: { days: previous, ...instants(previous, rule) } };
}
