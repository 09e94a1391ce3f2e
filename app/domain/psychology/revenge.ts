// Likely revenge trades (docs/psychology-signals.md): a trade opened within
// REVENGE_WINDOW_MINUTES after the most recent losing trade of the same
// account closed, at REVENGE_SIZE_RATIO × that loss's volume or more. Only a
// closed trade can be the loss (an open position has no final result yet);
// any trade, open or closed, can be flagged.
import { dec } from "../decimal.ts";
import { REVENGE_SIZE_RATIO, REVENGE_WINDOW_MINUTES } from "./rules.ts";
import type { PsychologyTrade, RevengeSignal } from "./types.ts";

const MINUTE_MS = 60_000;

function isLoss(trade: PsychologyTrade): boolean {
  return trade.closedMs !== null && dec(trade.net).lt(0);
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
  const volume = dec(trade.volume);
  const lossVolume = dec(loss.volume);
  if (volume.lt(lossVolume.times(REVENGE_SIZE_RATIO))) return null;
  return {
    tradeId: trade.id,
    loss: { id: loss.id, symbol: loss.symbol, net: loss.net, volume: loss.volume, closedMs: loss.closedMs },
    minutesAfterLoss: Math.floor(gap / MINUTE_MS),
    sizeRatio: volume.div(lossVolume).round(2, 0).toFixed(2),
  };
}

/**
 * The loss each trade is compared with: the most recent losing trade of its
 * account closed at or before the trade opened (ties on the close time: the
 * last by id, the metrics' sequence order), never the trade itself.
 */
export function previousLosses(trades: readonly PsychologyTrade[]): Map<string, PsychologyTrade> {
  const byAccount = new Map<string, PsychologyTrade[]>();
  for (const trade of trades) {
    let list = byAccount.get(trade.accountId);
    if (!list) byAccount.set(trade.accountId, (list = []));
    list.push(trade);
  }
  const previous = new Map<string, PsychologyTrade>();
  for (const list of byAccount.values()) {
    const losses = list.filter(isLoss).sort(byClose);
    const byOpen = [...list].sort((a, b) => a.openedMs - b.openedMs);
    let next = 0; // losses[0 .. next) closed at or before the current trade opened
    for (const trade of byOpen) {
      while (next < losses.length && losses[next]!.closedMs! <= trade.openedMs) next++;
      let candidate = next - 1;
      // A losing trade opened and closed in the same millisecond as it opened is not its own previous loss.
      if (candidate >= 0 && losses[candidate]!.id === trade.id) candidate--;
      if (candidate >= 0) previous.set(trade.id, losses[candidate]!);
    }
  }
  return previous;
}

/** Every likely revenge trade among `trades`, by trade id. */
export function revengeSignals(trades: readonly PsychologyTrade[]): Map<string, RevengeSignal> {
  const previous = previousLosses(trades);
  const signals = new Map<string, RevengeSignal>();
  for (const trade of trades) {
    const signal = revengeAgainst(trade, previous.get(trade.id));
    if (signal) signals.set(trade.id, signal);
  }
  return signals;
}
