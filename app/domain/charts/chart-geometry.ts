// Where things go on a candle chart, worked out from the bars alone: which bar
// a time falls in (markers and the shaded span sit on bars, and a leg rarely
// happens at a bar's open), the logical range that shows a span with padding,
// and merging a live bar into the series.
/** Anything placed on the time axis by its bar open time (UTC epoch seconds). */
export interface TimedBar {
  time: number;
}

/** Index of the last bar opening at or before `time`; 0 when it is before them all; -1 with no bars. */
export function barIndexAt(candles: readonly TimedBar[], time: number): number {
  if (candles.length === 0) return -1;
  let low = 0;
  let high = candles.length - 1;
  if (time < candles[0]!.time) return 0;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (candles[mid]!.time <= time) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** The logical range (bar indices, fractional allowed) that shows `span` with padding on both sides. */
export function spanRange(candles: readonly TimedBar[], span: { from: number; to: number }): { from: number; to: number } | null {
  if (candles.length === 0) return null;
  const first = barIndexAt(candles, span.from);
  const last = barIndexAt(candles, span.to);
  // A third of the trade's width either side, and never less than 12 bars, so a one-bar trade still has context.
  const pad = Math.max(12, Math.round((last - first + 1) / 3));
  return { from: first - pad, to: last + pad };
}

/** The series with `bar` merged in: replaces the bar with the same time, appends a newer one, inserts an older one in order. */
export function mergeCandle<T extends TimedBar>(candles: readonly T[], bar: T): T[] {
  const last = candles[candles.length - 1];
  if (!last || bar.time > last.time) return [...candles, bar];
  const index = barIndexAt(candles, bar.time);
  const at = candles[index]!;
  const copy = [...candles];
  if (at.time === bar.time) copy[index] = bar;
  else copy.splice(at.time < bar.time ? index + 1 : index, 0, bar);
  return copy;
}

const TIMEFRAME_SECONDS = { M1: 60, M5: 300, M15: 900, M30: 1800, H1: 3600, H4: 14_400, D1: 86_400, W1: 604_800 } as const;

export function timeframeSeconds(timeframe: keyof typeof TIMEFRAME_SECONDS): number {
  return TIMEFRAME_SECONDS[timeframe];
}

/** Prices placed at times, in time order (markers at their own prices). */
export interface PricedTimes {
  times: readonly number[];
  prices: readonly number[];
}

/**
 * Lowest and highest price placed between `from` and `to` (inclusive), or null
 * when none is: the price scale takes in the markers on screen, so a fill the
 * broker's feed printed outside the cached bars (another feed, the spread) is
 * never drawn off the chart.
 */
export function priceExtentBetween({ times, prices }: PricedTimes, from: number, to: number): { min: number; max: number } | null {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (times[mid]! < from) low = mid + 1;
    else high = mid;
  }
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = low; i < times.length && times[i]! <= to; i++) {
    const price = prices[i]!;
    if (price < min) min = price;
    if (price > max) max = price;
  }
  return min <= max ? { min, max } : null;
}
