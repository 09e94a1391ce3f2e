// Which bars a trade's chart shows: the default timeframe from how long the
// trade lasted (the trade spans at most ~60 bars, so entry and exits stay
// apart yet the trade is not a sliver), and the window around it — padding of
// the trade's own length either side, never less than 40 bars, never past now.
import { timeframeSeconds } from "./chart-geometry.ts";

export const TIMEFRAMES = ["M1", "M5", "M15", "M30", "H1", "H4", "D1", "W1"] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

const MAX_BARS_IN_TRADE = 60;
const MIN_PADDING_BARS = 40;

export function isTimeframe(value: unknown): value is Timeframe {
  return typeof value === "string" && (TIMEFRAMES as readonly string[]).includes(value);
}

/** The finest timeframe in which the trade spans at most 60 bars (W1 for anything longer). */
export function defaultTimeframe(openedAt: Date, closedAt: Date): Timeframe {
  const seconds = Math.max(0, (closedAt.getTime() - openedAt.getTime()) / 1000);
  return TIMEFRAMES.find((timeframe) => seconds / timeframeSeconds(timeframe) <= MAX_BARS_IN_TRADE) ?? "W1";
}

/** The start of the bar of `timeframe` that contains `at` (weeks start on Monday, as MT5's do). */
export function barOpen(at: Date, timeframe: Timeframe): Date {
  const seconds = Math.floor(at.getTime() / 1000);
  const size = timeframeSeconds(timeframe);
  // 1970-01-01 was a Thursday: shift so W1 bars start on Monday 00:00 UTC.
  const offset = timeframe === "W1" ? 4 * 86_400 : 0;
  return new Date((Math.floor((seconds - offset) / size) * size + offset) * 1000);
}

/** The window of bars to show for a trade open from `openedAt` to `closedAt` (now while open). */
export function tradeWindow(openedAt: Date, closedAt: Date, timeframe: Timeframe, now: Date): { from: Date; to: Date } {
  const size = timeframeSeconds(timeframe) * 1000;
  const padding = Math.max(closedAt.getTime() - openedAt.getTime(), MIN_PADDING_BARS * size);
  const from = barOpen(new Date(openedAt.getTime() - padding), timeframe);
  const end = Math.min(closedAt.getTime() + padding, now.getTime());
  // `to` is exclusive: the bar containing the end is included.
  const to = new Date(barOpen(new Date(end), timeframe).getTime() + size);
  return { from, to };
}
