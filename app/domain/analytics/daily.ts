import { decimalsOf, formatMoney, formatUnits, toBigUnits } from "./money.ts";
import { prepare } from "./prepare.ts";
import { dayLabel, dayNumberOf, weekdayOfDayNumber } from "./trading-day.ts";
import type { AnalyticsSource, DayNet, DayRule } from "./types.ts";

/** Trade net and count per trading day (docs/metrics.md#trading-day), days with trades only, ascending. */
export function dailyNet(input: AnalyticsSource): DayNet[] {
  const { day: days, net, scale } = prepare(input);
  const byDay = new Map<number, { net: number; trades: number }>();
  for (let i = 0; i < net.length; i++) {
    const day = byDay.get(days[i]!);
    if (day) {
      day.net += net[i]!;
      day.trades++;
    } else {
      byDay.set(days[i]!, { net: net[i]!, trades: 1 });
    }
  }
  return [...byDay.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([day, totals]) => ({ day: dayLabel(day), net: formatMoney(totals.net, scale), trades: totals.trades }));
}

export interface CalendarWeek {
  /** Monday of the calendar row (may fall in the previous month). */
  start: string;
  /** Totals of this month's days in the row only. */
  net: string;
  trades: number;
}

export interface CalendarMonth {
  month: string; // YYYY-MM
  net: string;
  trades: number;
  /** Days with trades, ascending. */
  days: DayNet[];
  /** Every Monday-first row of the month's grid, first to last, including rows without trades. */
  weeks: CalendarWeek[];
}

/**
 * Groups dailyNet's days into calendar months with Monday-first week rows.
 * The days are already trading days, so the day rule is not needed again;
 * the parameter is accepted for symmetry with the other views.
 */
export function calendarMonths(days: DayNet[], _rule?: DayRule): CalendarMonth[] {
  const decimals = Math.max(0, ...days.map((d) => decimalsOf(d.net)));
  const months = new Map<string, DayNet[]>();
  for (const day of [...days].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))) {
    const key = day.day.slice(0, 7);
    const list = months.get(key);
    if (list) list.push(day);
    else months.set(key, [day]);
  }
  return [...months.entries()].map(([month, monthDays]) => {
    const firstDay = dayNumberOf(`${month}-01`);
    const [year, monthNumber] = month.split("-").map(Number) as [number, number];
    const lastDay = dayNumberOf(new Date(Date.UTC(year, monthNumber, 0)).toISOString().slice(0, 10));
    const weeks: { start: number; net: bigint; trades: number }[] = [];
    for (let monday = firstDay - weekdayOfDayNumber(firstDay); monday <= lastDay; monday += 7) {
      weeks.push({ start: monday, net: 0n, trades: 0 });
    }
    let net = 0n;
    let trades = 0;
    for (const day of monthDays) {
      const units = toBigUnits(day.net, decimals);
      const week = weeks[Math.floor((dayNumberOf(day.day) - weeks[0]!.start) / 7)]!;
      week.net += units;
      week.trades += day.trades;
      net += units;
      trades += day.trades;
    }
    return {
      month,
      net: formatUnits(net, decimals),
      trades,
      days: monthDays,
      weeks: weeks.map((w) => ({ start: dayLabel(w.start), net: formatUnits(w.net, decimals), trades: w.trades })),
    };
  });
}
