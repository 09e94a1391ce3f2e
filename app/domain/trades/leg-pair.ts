// Legs as rows only where they carry information (docs/decisions/017): a
// position that is one entry deal and one exit deal (or one entry, still open)
// keeps its legs in its trade row. public.trade_leg_rows (migration
// 20261207140000_legs_in_trade_row.sql) synthesises the pair back from that
// row: the entry at the open time, volume and entry price with no profit or
// swap; the exit, opposite in direction, at the close time, closed volume and
// exit price, carrying the trade's gross profit and swap ("money on the exit
// leg"); each with its own deal, order, reason, comment, commission and fee
// from the columns below.
//
// legPairOf decides whether the pair the view would give back is exactly the
// input's legs, text for text as PostgreSQL prints the stored numbers (equal
// input texts are stored and printed alike). When it is not — a leg that
// differs in any field, a scale-in, a partial close, a service deal — the
// legs are stored as rows, as before.
import type { TradeInput, TradeLegInput } from "./types.ts";

/** The trade columns that hold a single pair's own facts; null for a trade whose legs are rows. */
export interface LegPairColumns {
  entryDealId: string | null;
  entryOrderId: string | null;
  entryReason: string | null;
  entryComment: string | null;
  entryCommission: string | null;
  entryFee: string | null;
  exitDealId: string | null;
  exitOrderId: string | null;
  exitReason: string | null;
  exitComment: string | null;
  exitCommission: string | null;
  exitFee: string | null;
}

const sameTime = (a: Date | null, b: Date | null) => a !== null && b !== null && a.getTime() === b.getTime();
/** A money column is null when the deal carried none: the view reads null as 0. */
const moneyColumn = (value: string) => (value === "0" ? null : value);
const opposite = (direction: TradeInput["direction"]) => (direction === "buy" ? "sell" : "buy");

function isSyntheticEntry(trade: TradeInput, leg: TradeLegInput): boolean {
  return (
    leg.kind === "entry" &&
    leg.direction === trade.direction &&
    sameTime(leg.executedAt, trade.openedAt) &&
    leg.serverUtcOffsetMinutes === trade.openServerUtcOffsetMinutes &&
    leg.volume === trade.volume &&
    leg.price === trade.entryPrice &&
    leg.profit === "0" &&
    leg.swap === "0"
  );
}

function isSyntheticExit(trade: TradeInput, leg: TradeLegInput): boolean {
  return (
    leg.kind === "exit" &&
    leg.direction === opposite(trade.direction) &&
    sameTime(leg.executedAt, trade.closedAt) &&
    leg.serverUtcOffsetMinutes === trade.closeServerUtcOffsetMinutes &&
    leg.volume === trade.closedVolume &&
    leg.price === trade.exitPrice &&
    leg.profit === trade.grossProfit &&
    leg.swap === trade.swap
  );
}

/**
 * The pair's columns when the trade row can give its legs back exactly
 * (`clip` shortens comments as the store does, so both sides agree); null when
 * the legs must be stored as rows.
 */
export function legPairOf(trade: TradeInput, clip: (comment: string | null) => string | null = (c) => c): LegPairColumns | null {
  const [entry, exit, ...more] = trade.legs;
  if (!entry || more.length > 0 || !isSyntheticEntry(trade, entry)) return null;
  if (trade.status === "open" ? exit !== undefined : exit === undefined || !isSyntheticExit(trade, exit)) return null;
  return {
    entryDealId: entry.dealId,
    entryOrderId: entry.orderId,
    entryReason: entry.reason,
    entryComment: clip(entry.comment),
    entryCommission: moneyColumn(entry.commission),
    entryFee: moneyColumn(entry.fee),
    exitDealId: exit?.dealId ?? null,
    exitOrderId: exit?.orderId ?? null,
    exitReason: exit?.reason ?? null,
    exitComment: clip(exit?.comment ?? null),
    exitCommission: exit ? moneyColumn(exit.commission) : null,
    exitFee: exit ? moneyColumn(exit.fee) : null,
  };
}
