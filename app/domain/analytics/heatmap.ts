import { formatMoney } from "./money.ts";
import { openWeekHours, prepare } from "./prepare.ts";
import type { AnalyticsSource, DayRule, HeatmapCell } from "./types.ts";

/**
 * Net and count per (weekday, hour) of the OPEN time on the user's wall
 * clock (no day-start shift), all 168 cells, Monday 00 first.
 */
export function dayHourHeatmap(input: AnalyticsSource, rule: DayRule = input.dayRule): HeatmapCell[] {
  const prepared = prepare(input);
  const { net, scale } = prepared;
  const cells = openWeekHours(prepared, rule.timeZone);
  const nets = new Float64Array(168);
  const counts = new Array<number>(168).fill(0);
  for (let i = 0; i < net.length; i++) {
    nets[cells[i]!]! += net[i]!;
    counts[cells[i]!]!++;
  }
  return Array.from(nets, (net, cell) => ({
    weekday: Math.floor(cell / 24),
    hour: cell % 24,
    net: formatMoney(net, scale),
    trades: counts[cell]!,
  }));
}
