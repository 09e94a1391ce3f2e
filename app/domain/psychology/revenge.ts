// Likely revenge trades (docs/psychology-signals.md): a trade opened within
// REVENGE_WINDOW_MINUTES after the most recent losing trade of the same
// account closed, at REVENGE_SIZE_RATIO × that loss's volume or more. Only a
// closed trade can be the loss (an open position has no final result yet);
// any trade, open or closed, can be flagged.
import { atLeastTimes, isNegative, ratioHundredths } from "./exact.ts";
import { REVENGE_SIZE_RATIO, REVENGE_WINDOW_MINUTES } from "./rules.ts";
import type { PsychologyTrade, RevengeSignal } from "./types.ts";

const MINUTE_MS = 60_000;

function isLoss(trade: PsychologyTrade): boolean {
  return trade.closedMs !== null && isNegative(trade.net);
}

/** metrics.md's sequence order: close time, then id. */
function byClose(a: PsychologyTrade, b: PsychologyTrade): number {
  return a.closedMs! - b.closedMs! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The signal for `trade` given the loss it is compared with, or null when the rule does not hold. */
export function revengeAgainst(trade: PsychologyTrade, loss: PsychologyTrade | undefined): RevengeSignal | null {
  if (!loss || loss.closedMs === null || loss.id === trade.id || loss.accountId !== trade.accountId) return null;
  const gap = trade.openedMs - loss.closedMs;
  if (gap < 0 || gap > REVENGE_WINDOW_MINUTES * MINUTE_MS) return null;
  if (!atLeastTimes(trade.volume, loss.volume, REVENGE_SIZE_RATIO)) return null;
  return {
    tradeId: trade.id,
    loss: { id: loss.id, symbol: loss.symbol, net: loss.net, volume: loss.volume, closedMs: loss.closedMs },
    minutesAfterLoss: Math.floor(gap / MINUTE_MS),
    sizeRatio: ratioHundredths(trade.volume, loss.volume),
  };
}

/**
 * The loss each trade is compared with, by position in `trades` (−1: none):
 * the most recent losing trade of its account closed at or before the trade
 * opened (ties on the close time: the last by id, the metrics' sequence
 * order), never the trade itself. Positions, not a map by id: this runs over
 * the whole history on every /analytics load.
 */
export function previousLossIndexes(trades: readonly PsychologyTrade[]): Int32Array {
  const previous = new Int32Array(trades.length).fill(-1);
  const byAccount = new Map<string, number[]>();
  trades.forEach((trade, index) => {
    let list = byAccount.get(trade.accountId);
    if (!list) byAccount.set(trade.accountId, (list = []));
    list.push(index);
  });
  for (const list of byAccount.values()) {
    const losses = list.filter((index) => isLoss(trades[index]!)).sort((a, b) => byClose(trades[a]!, trades[b]!));
    const byOpen = list.sort((a, b) => trades[a]!.openedMs - trades[b]!.openedMs);
    let next = 0; // losses[0 .. next) closed at or before the current trade opened
    for (const index of byOpen) {
      const openedMs = trades[index]!.openedMs;
      while (next < losses.length && trades[losses[next]!]!.closedMs! <= openedMs) next++;
      let candidate = next - 1;
      // A losing trade opened and closed in the same millisecond is not its own previous loss.
      if (candidate >= 0 && losses[candidate] === index) candidate--;
      if (candidate >= 0) previous[index] = losses[candidate]!;
    }
  }
  return previous;
}

/** The loss each trade is compared with, by trade id (trades without one are left out). */
export function previousLosses(trades: readonly PsychologyTrade[]): Map<string, PsychologyTrade> {
  const indexes = previousLossIndexes(trades);
  const previous = new Map<string, PsychologyTrade>();
  trades.forEach((trade, index) => {
    if (indexes[index]! >= 0) previous.set(trade.id, trades[indexes[index]!]!);
  });
  return previous;
}

/** Every likely revenge trade among `trades`, by trade id. */
export function revengeSignals(trades: readonly PsychologyTrade[]): Map<string, RevengeSignal> {
  const previous = previousLossIndexes(trades);
  const signals = new Map<string, RevengeSignal>();
  trades.forEach((trade, index) => {
    if (previous[index]! < 0) return;
    const signal = revengeAgainst(trade, trades[previous[index]!]);
    if (signal) signals.set(trade.id, signal);
  });
  return signals;
}
