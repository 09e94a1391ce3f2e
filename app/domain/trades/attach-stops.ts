// Stop loss and take profit of synced trades. MT5 deals carry no SL/TP
// (shared/reference/mt5.md §3), so pairing leaves them empty and the sync
// fills them in from two other records:
// - the planned stops: the SL/TP of the order that opened the position (its
//   earliest filled buy/sell or pending order) become the trade's initial
//   stop loss, stop loss and take profit;
// - the current stops: while the trade is open, its live position's SL/TP
//   replace the stop loss and take profit (a live "no stop" clears them); the
//   initial stop loss stays the planned one.
// Intermediate modifications are not in MT5's history. A trade with neither
// record keeps what it has: the store keeps already stored stops then.
//
// Both records are keyed by the bare MT5 position id, so a netting trade after
// a reversal (`<id>#2`, pair-deals.ts) gets neither.
import type { DecimalString, TradeInput } from "./types.ts";

export interface PositionStops {
  stopLoss: DecimalString | null;
  takeProfit: DecimalString | null;
}

/** An MT5 order, as far as the stops go (history_orders_get). */
export interface OrderStopsInput {
  ticket: string;
  /** The position the order opened, changed or closed; null when it has none. */
  positionId: string | null;
  /** ORDER_TYPE name: buy, sell, buy_limit, sell_stop, buy_stop_limit, close_by, … */
  type: string | null;
  /** When it was placed, epoch milliseconds on any clock the account's orders share (the broker's). */
  placedAtMs: number;
  stopLoss: DecimalString | null;
  takeProfit: DecimalString | null;
}

/** Orders that can open a position: market and pending ones (close_by cannot). */
function canOpen(type: string | null): boolean {
  return type === "buy" || type === "sell" || type?.endsWith("_limit") === true || type?.endsWith("_stop") === true;
}

/**
 * The planned stops of each position: those of its earliest order that can
 * open one (by placing time, then ticket). Later orders of the position —
 * scale-ins, partial and full closes — never replace them.
 */
export function openingStopsByPosition(orders: readonly OrderStopsInput[]): Map<string, PositionStops> {
  const opening = new Map<string, OrderStopsInput>();
  for (const order of orders) {
    if (!order.positionId || !canOpen(order.type)) continue;
    const known = opening.get(order.positionId);
    if (!known || order.placedAtMs < known.placedAtMs || (order.placedAtMs === known.placedAtMs && BigInt(order.ticket) < BigInt(known.ticket))) {
      opening.set(order.positionId, order);
    }
  }
  const stops = new Map<string, PositionStops>();
  for (const [positionId, order] of opening) stops.set(positionId, { stopLoss: order.stopLoss, takeProfit: order.takeProfit });
  return stops;
}

/**
 * The trades with their stops: `opening` by position id from
 * openingStopsByPosition, `current` by position id from the live positions.
 * Trades without either come back as they were (the same objects).
 */
export function attachStops(
  trades: readonly TradeInput[],
  stops: { opening: ReadonlyMap<string, PositionStops>; current: ReadonlyMap<string, PositionStops> },
): TradeInput[] {
  return trades.map((trade) => {
    const planned = stops.opening.get(trade.positionId);
    const live = trade.status === "open" ? stops.current.get(trade.positionId) : undefined;
    if (!planned && !live) return trade;
    const withStops = { ...trade };
    if (planned) {
      withStops.initialStopLoss = planned.stopLoss;
      withStops.stopLoss = planned.stopLoss;
      withStops.takeProfit = planned.takeProfit;
    }
    if (live) {
      withStops.stopLoss = live.stopLoss;
      withStops.takeProfit = live.takeProfit;
    }
    return withStops;
  });
}
