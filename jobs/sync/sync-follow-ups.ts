// What a sync's results set in motion, decided apart from the writes:
// - a light sync that sees money or positions move asks for a full deal check
//   (the cadence runs it at once, docs/decisions/011);
// - the symbols of a full sync's recent trades stay hot for the market data
//   terminal (open positions' symbols are picked up from open_positions).
import { dec } from "~/domain/decimal.ts";
import type { TradeInput } from "~/domain/trades/types.ts";

/** How long a symbol stays hot after its last trade or open position (the market data terminal drops it then). */
export const HOT_SYMBOL_WINDOW_MS = 7 * 24 * 3600_000;

/** Booked money moves the balance: a close (even of a position opened and closed between two light syncs), an entry commission, a deposit. */
export function balanceMoved(storedBalance: string | null, balance: string): boolean {
  return storedBalance !== null && !dec(storedBalance).eq(balance);
}

/** A position gone or resized, or a moved balance, means deals were booked: the light sync asks for a full check. */
export function dealCheckWanted(positionChanges: { disappeared: readonly string[]; volumeChanged: readonly string[] }, moved: boolean): boolean {
  return positionChanges.disappeared.length > 0 || positionChanges.volumeChanged.length > 0 || moved;
}

/** The distinct symbols of trades opened or closed within the hot window before `at`. */
export function recentlyTradedSymbols(trades: readonly Pick<TradeInput, "symbol" | "openedAt" | "closedAt">[], at: Date): string[] {
  const weekAgo = at.getTime() - HOT_SYMBOL_WINDOW_MS;
  return [...new Set(trades.filter((t) => (t.closedAt ?? t.openedAt).getTime() >= weekAgo).map((t) => t.symbol))];
}
