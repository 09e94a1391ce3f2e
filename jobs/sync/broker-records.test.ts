import { describe, expect, it } from "vitest";
import type { BridgeOrder, BridgePosition } from "../mt5/bridge-types.ts";
import { currentStopsByPosition, orderStopsFromBridge } from "./broker-records.ts";

const order = (partial: Partial<BridgeOrder>): BridgeOrder => ({
  ticket: 5001,
  time_setup: 1_744_700_000,
  time_setup_msc: 1_744_700_000_123,
  time_done: 1_744_700_000,
  type_name: "buy",
  state_name: "filled",
  position_id: 5001,
  position_by_id: 0,
  reason_name: "client",
  volume_initial: "0.10",
  price_open: "1.10000",
  sl: "1.09500",
  tp: "0",
  symbol: "EURUSD",
  comment: "",
  ...partial,
});

const position = (partial: Partial<BridgePosition>): BridgePosition => ({
  ticket: 5001,
  time: 1_744_700_000,
  time_msc: 1_744_700_000_123,
  time_update: 1_744_700_000,
  type: 0,
  type_name: "buy",
  magic: 0,
  identifier: 5001,
  reason_name: "client",
  volume: "0.10",
  price_open: "1.10000",
  sl: "0",
  tp: "0",
  price_current: "1.10010",
  swap: "0",
  profit: "1.00",
  symbol: "EURUSD",
  comment: "",
  ...partial,
});

describe("bridge records → stops", () => {
  it("reads an order's stops with MT5's 0 as no stop, its placing time as it is, and position 0 as none", () => {
    expect(orderStopsFromBridge(order({}))).toEqual({
      ticket: "5001",
      positionId: "5001",
      type: "buy",
      placedAtMs: 1_744_700_000_123,
      stopLoss: "1.09500",
      takeProfit: null,
    });
    expect(orderStopsFromBridge(order({ position_id: 0, sl: "", tp: "1.12" }))).toMatchObject({
      positionId: null,
      stopLoss: null,
      takeProfit: "1.12",
    });
  });

  it("keys live positions' stops by identifier (the ticket changes on a netting reversal), 0 as no stop", () => {
    const stops = currentStopsByPosition([
      position({ ticket: 7001, identifier: 5001, sl: "1.09900", tp: "0.00000" }),
      position({ identifier: 5002 }),
    ]);
    expect(Object.fromEntries(stops)).toEqual({
      "5001": { stopLoss: "1.09900", takeProfit: null },
      "5002": { stopLoss: null, takeProfit: null },
    });
  });
});
