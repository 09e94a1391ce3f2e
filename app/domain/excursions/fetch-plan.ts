// Which bar ranges to ask the market data terminal for, so that thousands of
// trades cost a few hundred requests rather than one each: the trades of one
// symbol, sorted by entry, are merged into one range while the next trade
// starts within MERGE_GAP_BARS bars of the range's end and the range stays under
// MAX_RANGE_MS (a terminal answers at most its "max bars" per request). Every
// range starts at the bar holding its first entry and ends at its last exit.
import { TIMEFRAME_MS, type ExcursionTimeframe } from "./excursion.ts";

/** A gap this short costs less to read through than the round trip of a second request (measured: ~16 bars). */
export const MERGE_GAP_BARS = 30;
/**
 * Two days: at most 2,880 M1 bars an answer, well under a terminal's usual
 * 100,000, and small enough that parsing one (on the jobs process's only
 * thread, which also runs the sync jobs) takes milliseconds.
 */
export const MAX_RANGE_MS = 2 * 24 * 3600_000;

export interface TradeWindow {
  id: string;
  symbol: string;
  openedMs: number;
  closedMs: number;
}

export interface BarRange {
  symbol: string;
  timeframe: ExcursionTimeframe;
  fromMs: number;
  toMs: number;
  tradeIds: string[];
}

export function planBarRanges(trades: readonly TradeWindow[], timeframe: ExcursionTimeframe): BarRange[] {
  const barMs = TIMEFRAME_MS[timeframe];
  const bySymbol = new Map<string, TradeWindow[]>();
  for (const trade of trades) {
    const list = bySymbol.get(trade.symbol);
    if (list) list.push(trade);
    else bySymbol.set(trade.symbol, [trade]);
  }
  const ranges: BarRange[] = [];
  for (const [symbol, list] of [...bySymbol].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    list.sort((a, b) => a.openedMs - b.openedMs || a.closedMs - b.closedMs);
    let current: BarRange | null = null;
    for (const trade of list) {
      const fromMs = Math.floor(trade.openedMs / barMs) * barMs;
      const toMs = Math.max(trade.closedMs, fromMs);
      if (current && fromMs <= current.toMs + MERGE_GAP_BARS * barMs && Math.max(current.toMs, toMs) - current.fromMs <= MAX_RANGE_MS) {
        current.toMs = Math.max(current.toMs, toMs);
        current.tradeIds.push(trade.id);
      } else {
        current = { symbol, timeframe, fromMs, toMs, tradeIds: [trade.id] };
        ranges.push(current);
      }
    }
  }
  return ranges;
}

/**
 * A trade at least this long is read on M1 at its ends and on M5 in between:
 * the two extra requests cost about what 40 M1 bars do (bench/trade-excursions.ts).
 */
export const SPLIT_MIN_MS = 60 * 60_000;
const M1 = TIMEFRAME_MS.M1;
const M5 = TIMEFRAME_MS.M5;

/** What to read of one trade: windows of bar open times [openedMs floored to the bar, closedMs], by timeframe. */
export interface TradeReads {
  m1: TradeWindow[];
  m5: TradeWindow[];
}

/**
 * The bars that measure a trade on M1, with fewer bars: a broker builds an M5
 * bar from the same ticks as its five M1 bars, so its high and low are theirs.
 * The M5 bars wholly inside the trade stand for their M1 bars; only the ends
 * before the first and after the last whole M5 bar are read on M1. The
 * measurement is the M1 one, from a fifth of the bars (plus at most eight at
 * the ends). A short trade is read on M1 whole. Window ids: `<id>:m1` for the
 * whole trade, `<id>:head`, `<id>:mid`, `<id>:tail`.
 */
export function tradeReads(trade: TradeWindow): TradeReads {
  const m5Start = Math.ceil(trade.openedMs / M5) * M5;
  const m5End = Math.floor(trade.closedMs / M5) * M5;
  if (trade.closedMs - trade.openedMs < SPLIT_MIN_MS || m5End - m5Start < M5) {
    return { m1: [{ ...trade, id: `${trade.id}:m1` }], m5: [] };
  }
  const m1: TradeWindow[] = [];
  if (m5Start > trade.openedMs) m1.push({ id: `${trade.id}:head`, symbol: trade.symbol, openedMs: trade.openedMs, closedMs: m5Start - M1 });
  m1.push({ id: `${trade.id}:tail`, symbol: trade.symbol, openedMs: m5End, closedMs: trade.closedMs });
  return { m1, m5: [{ id: `${trade.id}:mid`, symbol: trade.symbol, openedMs: m5Start, closedMs: m5End - M5 }] };
}
