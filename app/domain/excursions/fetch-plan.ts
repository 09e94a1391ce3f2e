// Which bar ranges to ask the market data terminal for, so that thousands of
// trades cost a few hundred requests rather than one each: the trades of one
// symbol, sorted by entry, are merged into one range while the next trade
// starts within MERGE_GAP_MS of the range's end and the range stays under
// MAX_RANGE_MS (a terminal answers at most its "max bars" per request). Every
// range starts at the bar holding its first entry and ends at its last exit.
import { TIMEFRAME_MS, type ExcursionTimeframe } from "./excursion.ts";

/** A gap this short costs fewer bars than the round trip of a second request saves. */
export const MERGE_GAP_MS = 30 * 60_000;
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
      if (current && fromMs <= current.toMs + MERGE_GAP_MS && Math.max(current.toMs, toMs) - current.fromMs <= MAX_RANGE_MS) {
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
