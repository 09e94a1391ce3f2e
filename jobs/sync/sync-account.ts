// One sync of one MT5 account on a terminal already logged in to it:
//  - light: balance/equity and the open positions;
//  - full: that, plus every deal since the cursor paired into trades and cash
//    rows with the importers' pairing code (one identity per position), with
//    their stops from the opening orders and the live positions;
//  - history: a full sync from the beginning of the account (the first one).
//
// What to read (the deals window, the new deals, the positions to re-read
// whole with deals(position=…) so pairing always sees every deal of a
// position) is decided in deal-reads.ts; this file does the reading.
import type pg from "pg";
import { detectServerTimeZone } from "~/domain/server-time.ts";
import { attachStops, openingStopsByPosition } from "~/domain/trades/attach-stops.ts";
import { pairDeals } from "~/domain/trades/pair-deals.ts";
import type { BridgeClient } from "../mt5/bridge-client.ts";
import type { BridgeDeal } from "../mt5/bridge-types.ts";
import {
  accountFiguresFromBridge,
  currentStopsByPosition,
  dealInputFromBridge,
  openPositionFromBridge,
  orderStopsFromBridge,
} from "./broker-records.ts";
import type { SyncKind } from "./cadence.ts";
import { dealWindow, groupByPosition, needsWholePosition, newDealsOf, nextDealCursor, ordersWanted } from "./deal-reads.ts";
import { saveFullSync, saveLightSync, storedPositionIds, type FullSyncSaved, type LightSyncSaved, type SyncAccount } from "./sync-store.ts";

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

export async function syncAccount(pool: pg.Pool, bridge: BridgeClient, account: SyncAccount, kind: SyncKind, at: Date): Promise<SyncOutcome> {
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
    const measured = await timed(
      timing,
      bridge.request("server_time_offset", {}).catch(() => null),
    );
    if (measured && Math.abs(measured.residual_seconds) < MAX_OFFSET_RESIDUAL_SECONDS) {
      measuredOffsetMinutes = measured.offset_minutes;
      detectedTimeZone = detectServerTimeZone(measured.offset_minutes, at);
      if (detectedTimeZone) zone = detectedTimeZone;
    }
  }

  const dealsWindow = dealWindow(account, kind, at, zone);
  const { history, from, to } = dealsWindow;
  const windowDeals = await timed(timing, bridge.request("deals", { from, to }));
  const dealsAnsweredAt = Date.now();
  const newDeals = newDealsOf(windowDeals, dealsWindow);

  const deals = await completePositions(pool, bridge, account, newDeals, history, timing);
  const orders = ordersWanted(newDeals) ? await timed(timing, bridge.request("orders", { from, to })) : [];
  const paired = pairDeals(
    deals.map((deal) => dealInputFromBridge(deal, zone)),
    { marginMode: figures.marginMode },
  );
  const trades = attachStops(paired.trades, {
    opening: openingStopsByPosition(orders.map(orderStopsFromBridge)),
    current: currentStopsByPosition(rawPositions),
  });

  const saved = await saveFullSync(pool, account, {
    figures,
    positions: rawPositions.map((position) => openPositionFromBridge(position, zone)),
    trades,
    cash: paired.cash,
    cursor: nextDealCursor(newDeals, zone),
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
  const { byPosition, others } = groupByPosition(newDeals);
  const stored = await storedPositionIds(pool, account, [...byPosition.keys()]);
  const complete: BridgeDeal[] = [...others];
  for (const [positionId, positionDeals] of byPosition) {
    if (!needsWholePosition(positionDeals, stored.has(positionId), account.marginMode)) {
      complete.push(...positionDeals);
      continue;
    }
    complete.push(...(await timed(timing, bridge.request("deals", { position: Number(positionId) }))));
  }
  return complete;
}
