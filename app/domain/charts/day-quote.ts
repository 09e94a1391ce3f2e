// A symbol's last price and day change from its daily bars: the forming D1
// bar's close is the last price the market-data terminal saw, and the bar
// before it closed the previous trading day (the broker's day, as MT5 shows
// it). Exact decimals: prices come as stored text.
import { dec, toDecimalString } from "../decimal.ts";

export interface DailyBar {
  /** Bar open, UTC epoch seconds. */
  time: number;
  close: string;
}

export interface DayQuote {
  last: string;
  /** Open time of the bar `last` comes from (UTC epoch seconds). */
  at: number;
  previousClose: string | null;
  /** last − previous close; null without a previous bar. */
  change: string | null;
  /** Change in percent of the previous close, two decimals; null without one. */
  changePercent: string | null;
}

/** The quote of the newest bar against the one before it; null with no bars. */
export function dayQuote(bars: readonly DailyBar[]): DayQuote | null {
  let latest: DailyBar | null = null;
  let previous: DailyBar | null = null;
  for (const bar of bars) {
    if (!latest || bar.time > latest.time) {
      if (latest) previous = latest;
      latest = bar;
    } else if (bar.time < latest.time && (!previous || bar.time > previous.time)) previous = bar;
  }
  if (!latest) return null;
  if (!previous || dec(previous.close).eq(0))
    return { last: latest.close, at: latest.time, previousClose: previous?.close ?? null, change: null, changePercent: null };
  const change = dec(latest.close).minus(previous.close);
  return {
    last: latest.close,
    at: latest.time,
    previousClose: previous.close,
    change: toDecimalString(change),
    changePercent: change.div(previous.close).times(100).round(2).toFixed(2),
  };
}

/** `bars` with `bar` in place of the one opening at the same time (the two newest kept: all a quote needs). */
export function withDailyBar(bars: readonly DailyBar[], bar: DailyBar): DailyBar[] {
  return [...bars.filter((b) => b.time !== bar.time), bar].sort((a, b) => b.time - a.time).slice(0, 2);
}
