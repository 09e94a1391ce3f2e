// What a full sync reads from MT5, decided without touching it: the deals
// window around the stored cursor, which of its deals are new, where the next
// sync starts, whether the orders are needed, and which positions must be
// re-read whole so pairing sees every deal of a position.
//
// New deals are those with a ticket above the stored cursor (MT5 deal tickets
// grow with execution); the window starts an hour before the cursor's time so
// a deal stamped a little late is not missed, and ends well in the future so
// a deal stamped by a server clock ahead of ours is still found.
import { utcToServerEpochSeconds } from "~/domain/server-time.ts";
import type { MarginMode } from "~/domain/trades/types.ts";
import type { BridgeDeal } from "../mt5/bridge-types.ts";
import { dealInputFromBridge } from "./broker-records.ts";
import type { SyncKind } from "./cadence.ts";

const QUERY_END_AHEAD_MS = 2 * 24 * 3600_000;
const CURSOR_OVERLAP_SECONDS = 3600;

/** The stored cursor: the newest deal an earlier sync saw. */
export interface DealCursorState {
  lastDealTime: Date | null;
  lastDealTicket: string | null;
}

export interface DealWindow {
  /** The whole history is read (the first sync, or a history sync). */
  history: boolean;
  /** Broker server-clock epoch seconds, as deals(from, to) takes them. */
  from: number;
  to: number;
  /** Deals at or below this ticket were seen before; null on a history read. */
  cursorTicket: bigint | null;
}

export function dealWindow(cursor: DealCursorState, kind: Exclude<SyncKind, "light">, at: Date, zone: string): DealWindow {
  const history = kind === "history" || cursor.lastDealTicket === null;
  const to = utcToServerEpochSeconds(new Date(at.getTime() + QUERY_END_AHEAD_MS), zone);
  const from = history || !cursor.lastDealTime ? 0 : Math.max(0, utcToServerEpochSeconds(cursor.lastDealTime, zone) - CURSOR_OVERLAP_SECONDS);
  return { history, from, to, cursorTicket: history ? null : BigInt(cursor.lastDealTicket!) };
}

export function newDealsOf(windowDeals: BridgeDeal[], window: DealWindow): BridgeDeal[] {
  const { cursorTicket } = window;
  return cursorTicket === null ? windowDeals : windowDeals.filter((deal) => BigInt(deal.ticket) > cursorTicket);
}

/** The cursor to store after these new deals: the highest ticket and the latest time (not necessarily one deal's). Null without deals. */
export function nextDealCursor(newDeals: readonly BridgeDeal[], zone: string): { time: Date; ticket: string } | null {
  const newest = newDeals.reduce<BridgeDeal | null>((best, deal) => (!best || BigInt(deal.ticket) > BigInt(best.ticket) ? deal : best), null);
  const newestAt = newDeals.reduce<Date | null>((latest, deal) => {
    const time = dealInputFromBridge(deal, zone).executedAt;
    return !latest || time > latest ? time : latest;
  }, null);
  return newest && newestAt ? { time: newestAt, ticket: String(newest.ticket) } : null;
}

/** Planned stops come from the opening orders: only a new entry deal needs them read. */
export function ordersWanted(newDeals: readonly BridgeDeal[]): boolean {
  return newDeals.some((deal) => deal.entry_name === "in");
}

/** New trading deals by position id (first-seen order), and the rest (cash, deals without a position). */
export function groupByPosition(newDeals: readonly BridgeDeal[]): { byPosition: Map<string, BridgeDeal[]>; others: BridgeDeal[] } {
  const byPosition = new Map<string, BridgeDeal[]>();
  const others: BridgeDeal[] = [];
  for (const deal of newDeals) {
    const trading = deal.type_name === "buy" || deal.type_name === "sell";
    if (!trading || !deal.position_id) {
      others.push(deal);
      continue;
    }
    const id = String(deal.position_id);
    const list = byPosition.get(id) ?? [];
    list.push(deal);
    byPosition.set(id, list);
  }
  return { byPosition, others };
}

/**
 * A position's new deals are all of it only when they include its opening
 * and it is not stored yet, on a hedging account: netting positions keep one
 * identifier across trades, so they are always read whole.
 */
export function needsWholePosition(newPositionDeals: readonly BridgeDeal[], alreadyStored: boolean, marginMode: MarginMode): boolean {
  const opensHere = newPositionDeals.some((deal) => deal.entry_name === "in") && !alreadyStored;
  return !(opensHere && marginMode === "hedging");
}
