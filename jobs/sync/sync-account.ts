// One sync of one MT5 account on a terminal already logged in to it:
//  - light: balance/equity and the open positions;
//  - full: that, plus every deal since the cursor paired into trades and cash
//    rows with the importers' pairing code (one identity per position);
//  - history: a full sync from the beginning of the account (the first one).
//
// New deals are those with a ticket above the stored cursor (MT5 deal tickets
// grow with execution); the query window starts an hour before the cursor's
// time so a deal stamped a little late is not missed. A position with new
// deals whose opening deal is not among them (a partial close, a close, a
// netting position's next trade) is re-read whole with deals(position=…), so
// pairing always sees every deal of a position.
import type pg from "pg";
import { detectServerTimeZone, utcToServerEpochSeconds } from "~/domain/server-time.ts";
import { pairDeals } from "~/domain/trades/pair-deals.ts";
import type { DealInput } from "~/domain/trades/types.ts";
import type { BridgeClient } from "../mt5/bridge-client.ts";
import type { BridgeDeal } from "../mt5/bridge-types.ts";
import {
  accountFiguresFromBridge,
  dealInputFromBridge,
  openingStopsByPosition,
  openPositionFromBridge,
} from "./broker-records.ts";
import type { SyncKind } from "./cadence.ts";
import { saveFullSync, saveLightSync, storedPositionIds, type FullSyncSaved, type LightSyncSaved, type SyncAccount } from "./sync-store.ts";

/** MT5 queries end well in the future: a deal stamped by a server clock ahead of ours is still found. */
const QUERY_END_AHEAD_MS = 2 * 24 * 3600_000;
const CURSOR_OVERLAP_SECONDS = 3600;
/** A server_time_offset measurement is trusted only while ticks are fresh (PROTOCOL.md). */
const MAX_OFFSET_RESIDUAL_SECONDS = 60;

export type SyncOutcome =
  | { kind: "light"; saved: LightSyncSaved; bridgeMs: number }
  | {
      kind: "full" | "history";
      saved: FullSyncSaved;
      newDeals: number;
      bridgeMs: number;
      /** When the bridge's answer with the new deals arrived (epoch ms): where the pipeline's own latency starts. */
      dealsAnsweredAt: number;
    };

interface Timed {
  bridgeMs: number;
}

async function timed<T>(clock: Timed, work: Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work;
  } finally {
    clock.bridgeMs += performance.now() - started;
  }
}

export async function syncAccount(
  pool: pg.Pool,
  bridge: BridgeClient,
  account: SyncAccount,
  kind: SyncKind,
  at: Date,
): Promise<SyncOutcome> {
  const timing: Timed = { bridgeMs: 0 };
  const info = await timed(timing, bridge.request("account_info", {}));
  const figures = accountFiguresFromBridge(info);
  const rawPositions = await timed(timing, bridge.request("positions", {}));

  if (kind === "light") {
    const positions = rawPositions.map((position) => openPositionFromBridge(position, account.serverTimeZone));
    const saved = await saveLightSync(pool, account, figures, positions, at);
    return { kind, saved, bridgeMs: timing.bridgeMs };
  }

  // The broker clock: measured on the first sync of an account whose zone the user left to detection.
  let zone = account.serverTimeZone;
  let detectedTimeZone: string | null = null;
  let measuredOffsetMinutes: number | null = null;
  if (!account.serverTimeZoneConfirmed) {
    const measured = await timed(timing, bridge.request("server_time_offset", {}).catch(() => null));
    if (measured && Math.abs(measured.residual_seconds) < MAX_OFFSET_RESIDUAL_SECONDS) {
      measuredOffsetMinutes = measured.offset_minutes;
      detectedTimeZone = detectServerTimeZone(measured.offset_minutes, at);
      if (detectedTimeZone) zone = detectedTimeZone;
    }
  }

  const history = kind === "history" || account.lastDealTicket === null;
  const to = utcToServerEpochSeconds(new Date(at.getTime() + QUERY_END_AHEAD_MS), zone);
  const from = history || !account.lastDealTime ? 0 : Math.max(0, utcToServerEpochSeconds(account.lastDealTime, zone) - CURSOR_OVERLAP_SECONDS);
  const windowDeals = await timed(timing, bridge.request("deals", { from, to }));
  const dealsAnsweredAt = Date.now();
  const cursorTicket = history ? null : BigInt(account.lastDealTicket!);
  const newDeals = cursorTicket === null ? windowDeals : windowDeals.filter((deal) => BigInt(deal.ticket) > cursorTicket);

  const deals = await completePositions(pool, bridge, account, newDeals, history, timing);
  const orders = newDeals.some((deal) => deal.entry_name === "in")
    ? await timed(timing, bridge.request("orders", { from, to }))
    : [];
  const stops = openingStopsByPosition(orders);
  const paired = pairDeals(deals.map((deal) => dealInputFromBridge(deal, zone)), { marginMode: figures.marginMode });

  const livePositions = new Map(rawPositions.map((position) => [String(position.identifier), position]));
  for (const trade of paired.trades) {
    const opening = stops.get(trade.positionId);
    if (opening) {
      trade.initialStopLoss = opening.stopLoss;
      trade.stopLoss = opening.stopLoss;
      trade.takeProfit = opening.takeProfit;
    }
    const live = trade.status === "open" ? livePositions.get(trade.positionId) : undefined;
    if (live) {
      trade.stopLoss = Number(live.sl) ? live.sl : null;
      trade.takeProfit = Number(live.tp) ? live.tp : null;
    }
  }

  const newest = newDeals.reduce<BridgeDeal | null>((best, deal) => (!best || BigInt(deal.ticket) > BigInt(best.ticket) ? deal : best), null);
  const newestAt = newDeals.reduce<DealInput["executedAt"] | null>((latest, deal) => {
    const time = dealInputFromBridge(deal, zone).executedAt;
    return !latest || time > latest ? time : latest;
  }, null);
  const saved = await saveFullSync(pool, account, {
    figures,
    positions: rawPositions.map((position) => openPositionFromBridge(position, zone)),
    trades: paired.trades,
    cash: paired.cash,
    cursor: newest && newestAt ? { time: newestAt, ticket: String(newest.ticket) } : null,
    detectedTimeZone,
    measuredOffsetMinutes,
    notify: !history,
    at,
  });
  return { kind: history ? "history" : "full", saved, newDeals: newDeals.length, bridgeMs: timing.bridgeMs, dealsAnsweredAt };
}

/**
 * The new deals plus, for every position they touch whose opening is not
 * among them, all of that position's deals.
 */
async function completePositions(
  pool: pg.Pool,
  bridge: BridgeClient,
  account: SyncAccount,
  newDeals: readonly BridgeDeal[],
  history: boolean,
  timing: Timed,
): Promise<BridgeDeal[]> {
  if (history) return [...newDeals];
  const byPosition = new Map<string, BridgeDeal[]>();
  const cashAndOthers: BridgeDeal[] = [];
  for (const deal of newDeals) {
    const trading = deal.type_name === "buy" || deal.type_name === "sell";
    if (!trading || !deal.position_id) {
      cashAndOthers.push(deal);
      continue;
    }
    const id = String(deal.position_id);
    const list = byPosition.get(id) ?? [];
    list.push(deal);
    byPosition.set(id, list);
  }
  const stored = await storedPositionIds(pool, account, [...byPosition.keys()]);
  const complete: BridgeDeal[] = [...cashAndOthers];
  for (const [positionId, positionDeals] of byPosition) {
    const opensHere = positionDeals.some((deal) => deal.entry_name === "in") && !stored.has(positionId);
    // Netting positions keep one identifier across trades: always read them whole.
    if (opensHere && account.marginMode === "hedging") {
      complete.push(...positionDeals);
      continue;
    }
    complete.push(...(await timed(timing, bridge.request("deals", { position: Number(positionId) }))));
  }
  return complete;
}
