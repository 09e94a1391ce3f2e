// Which candles the symbol chart shows: the analytics period's instants (or,
// for all time, the span of the trades), padded so the first and last trades
// are not on the chart's edges, and the finest timeframe that draws it in at
// most MAX_BARS bars — a month is M30, a year D1. The default is never finer
// than M30: the market-data terminal keeps M30 and above current for hot
// symbols (so the chart is live and needs no fetch); M1–M15 are a click away.
import { timeframeSeconds } from "./chart-geometry.ts";

/** MT5's timeframes, finest first. */
export const SYMBOL_TIMEFRAMES = ["M1", "M5", "M15", "M30", "H1", "H4", "D1", "W1"] as const;
export type SymbolTimeframe = (typeof SYMBOL_TIMEFRAMES)[number];

/** Bars one chart loads by default: enough to read, few enough to fetch and paint at once. */
export const MAX_BARS = 1500;

export interface SymbolWindowInput {
  /** The period's instants (UTC epoch seconds); null = open. */
  periodFrom: number | null;
  periodTo: number | null;
  /** Opening of the first and last trade shown; null without trades. */
  firstTradeAt: number | null;
  lastTradeAt: number | null;
  now: number;
}

export interface SymbolWindow {
  from: number;
  to: number;
}

const DAY = 86_400;

/** The window of candles: the period, never past now, and always at least a day. */
export function symbolWindow({ periodFrom, periodTo, firstTradeAt, lastTradeAt, now }: SymbolWindowInput): SymbolWindow {
  const end = Math.min(periodTo ?? now, now);
  const start = periodFrom ?? Math.min(firstTradeAt ?? end - 30 * DAY, lastTradeAt ?? end);
  const span = Math.max(DAY, end - start);
  // A twentieth either side (the period's own edges stay inside), never past now.
  const pad = Math.round(span / 20);
  return { from: start - pad, to: Math.min(now, end + pad) };
}

const DEFAULT_CHOICES: readonly SymbolTimeframe[] = ["M30", "H1", "H4", "D1", "W1"];

/** The finest timeframe from M30 up that draws `window` in at most MAX_BARS bars (W1 for anything longer). */
export function defaultTimeframe(window: SymbolWindow): SymbolTimeframe {
  const span = window.to - window.from;
  return DEFAULT_CHOICES.find((timeframe) => span / timeframeSeconds(timeframe) <= MAX_BARS) ?? "W1";
}

/**
 * The timeframe asked for in the URL when it is one we know, else the default.
 * A fine timeframe over a long window would be a huge read: it is narrowed to
 * the last MAX_BARS × 4 bars of the window instead.
 */
export function chosenTimeframe(asked: string | null, window: SymbolWindow): { timeframe: SymbolTimeframe; window: SymbolWindow } {
  const known = SYMBOL_TIMEFRAMES.find((timeframe) => timeframe === asked);
  if (!known) return { timeframe: defaultTimeframe(window), window };
  const longest = timeframeSeconds(known) * MAX_BARS * 4;
  return { timeframe: known, window: window.to - window.from > longest ? { from: window.to - longest, to: window.to } : window };
}
