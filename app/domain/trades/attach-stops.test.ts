import { describe, expect, it } from "vitest";
import { attachStops, openingStopsByPosition, type OrderStopsInput, type PositionStops } from "./attach-stops.ts";
import { pairDeals } from "./pair-deals.ts";
import type { DealInput, MarginMode, TradeInput } from "./types.ts";

// Fixtures are MT5 histories as the sync reads them: deals paired by
// pairDeals, the orders of the same window and the live positions.

let minute = 0;
function deal(partial: Partial<DealInput> & Pick<DealInput, "ticket" | "type" | "entry" | "positionId">): DealInput {
  minute += 1;
  return {
    orderId: null,
    executedAt: new Date(Date.UTC(2025, 3, 15, 10, minute)),
    serverUtcOffsetMinutes: 180,
    brokerSymbol: "EURUSD.Z",
    volume: "0.10",
    price: "1.10000",
    commission: "0",
    fee: "0",
    swap: "0",
    profit: "0",
    reason: null,
    comment: null,
    magic: null,
    ...partial,
  };
}

function order(partial: Partial<OrderStopsInput> & Pick<OrderStopsInput, "ticket" | "positionId">): OrderStopsInput {
  return { type: "buy", placedAtMs: Date.UTC(2025, 3, 15, 10, 0), stopLoss: null, takeProfit: null, ...partial };
}

const paired = (deals: DealInput[], marginMode: MarginMode = "hedging"): TradeInput[] => pairDeals(deals, { marginMode }).trades;
const noStops = new Map<string, PositionStops>();
const stopsOf = (trade: TradeInput | undefined) =>
  trade && { initialStopLoss: trade.initialStopLoss, stopLoss: trade.stopLoss, takeProfit: trade.takeProfit };

const closedBuy = () => [
  deal({ ticket: "1", type: "buy", entry: "in", positionId: "100" }),
  deal({ ticket: "2", type: "sell", entry: "out", positionId: "100", price: "1.10100", profit: "10.00" }),
];

describe("openingStopsByPosition", () => {
  it("takes the stops of the position's earliest order: a later close or scale-in order never replaces them", () => {
    const stops = openingStopsByPosition([
      order({ ticket: "12", positionId: "100", type: "sell", placedAtMs: 3_000, stopLoss: null, takeProfit: null }),
      order({ ticket: "10", positionId: "100", type: "buy", placedAtMs: 1_000, stopLoss: "1.09500", takeProfit: "1.11000" }),
      order({ ticket: "11", positionId: "100", type: "buy", placedAtMs: 2_000, stopLoss: "1.09800", takeProfit: null }),
    ]);
    expect(stops.get("100")).toEqual({ stopLoss: "1.09500", takeProfit: "1.11000" });
  });

  it("breaks a tie of placing times by the lower ticket, compared as numbers", () => {
    const stops = openingStopsByPosition([
      order({ ticket: "100000000002", positionId: "7", placedAtMs: 5_000, stopLoss: "2" }),
      order({ ticket: "99999999999", positionId: "7", placedAtMs: 5_000, stopLoss: "1" }),
    ]);
    expect(stops.get("7")?.stopLoss).toBe("1");
  });

  it("counts filled pending orders as openings, but not close-by orders, orders of unknown type or orders without a position", () => {
    const stops = openingStopsByPosition([
      order({ ticket: "1", positionId: "200", type: "buy_limit", placedAtMs: 1_000, stopLoss: "1.0" }),
      order({ ticket: "2", positionId: "201", type: "sell_stop", placedAtMs: 1_000, takeProfit: "0.9" }),
      order({ ticket: "3", positionId: "202", type: "buy_stop_limit", placedAtMs: 1_000, stopLoss: "1.2" }),
      order({ ticket: "4", positionId: "203", type: "close_by", placedAtMs: 1_000, stopLoss: "9" }),
      order({ ticket: "5", positionId: "204", type: null, placedAtMs: 1_000, stopLoss: "9" }),
      order({ ticket: "6", positionId: null, type: "buy", placedAtMs: 1_000, stopLoss: "9" }),
    ]);
    expect(Object.fromEntries(stops)).toEqual({
      "200": { stopLoss: "1.0", takeProfit: null },
      "201": { stopLoss: null, takeProfit: "0.9" },
      "202": { stopLoss: "1.2", takeProfit: null },
    });
  });
});

describe("attachStops", () => {
  it("gives a closed trade its opening order's stops as initial and last stops", () => {
    const opening = openingStopsByPosition([order({ ticket: "100", positionId: "100", stopLoss: "1.09500", takeProfit: "1.11000" })]);
    const [trade] = attachStops(paired(closedBuy()), { opening, current: noStops });
    expect(stopsOf(trade)).toEqual({ initialStopLoss: "1.09500", stopLoss: "1.09500", takeProfit: "1.11000" });
  });

  it("lets a closed trade ignore a live position with its id", () => {
    const opening = new Map([["100", { stopLoss: "1.09500", takeProfit: null }]]);
    const current = new Map([["100", { stopLoss: "1.09900", takeProfit: "1.12000" }]]);
    const [trade] = attachStops(paired(closedBuy()), { opening, current });
    expect(stopsOf(trade)).toEqual({ initialStopLoss: "1.09500", stopLoss: "1.09500", takeProfit: null });
  });

  it("gives an open trade after a partial close the live position's stops, keeping the planned stop as the initial one", () => {
    const trades = paired([
      deal({ ticket: "1", type: "buy", entry: "in", positionId: "100", volume: "0.30" }),
      deal({ ticket: "2", type: "sell", entry: "out", positionId: "100", volume: "0.10", price: "1.10100", profit: "10.00" }),
    ]);
    expect(trades[0]?.status).toBe("open");
    const opening = new Map([["100", { stopLoss: "1.09500", takeProfit: "1.11000" }]]);
    const current = new Map([["100", { stopLoss: "1.10000", takeProfit: "1.11500" }]]);
    const [trade] = attachStops(trades, { opening, current });
    expect(stopsOf(trade)).toEqual({ initialStopLoss: "1.09500", stopLoss: "1.10000", takeProfit: "1.11500" });
  });

  it("clears an open trade's stops when its live position has none (the trader removed them)", () => {
    const trades = paired([deal({ ticket: "1", type: "buy", entry: "in", positionId: "100" })]);
    const opening = new Map([["100", { stopLoss: "1.09500", takeProfit: "1.11000" }]]);
    const current = new Map([["100", { stopLoss: null, takeProfit: null }]]);
    const [trade] = attachStops(trades, { opening, current });
    expect(stopsOf(trade)).toEqual({ initialStopLoss: "1.09500", stopLoss: null, takeProfit: null });
  });

  it("gives an open trade whose opening order is not in the window only its live stops (no initial stop)", () => {
    const trades = paired([deal({ ticket: "1", type: "buy", entry: "in", positionId: "100" })]);
    const current = new Map([["100", { stopLoss: "1.09000", takeProfit: null }]]);
    const [trade] = attachStops(trades, { opening: noStops, current });
    expect(stopsOf(trade)).toEqual({ initialStopLoss: null, stopLoss: "1.09000", takeProfit: null });
  });

  it("leaves a trade with neither record as pairing made it: the same object, no stops", () => {
    const trades = paired(closedBuy());
    const attached = attachStops(trades, { opening: new Map([["999", { stopLoss: "1", takeProfit: "2" }]]), current: noStops });
    expect(attached[0]).toBe(trades[0]);
    expect(stopsOf(attached[0])).toEqual({ initialStopLoss: null, stopLoss: null, takeProfit: null });
  });

  it("keys both records by the bare position id: a netting trade after a reversal (<id>#2) gets neither", () => {
    const trades = paired(
      [
        deal({ ticket: "1", type: "buy", entry: "in", positionId: "300", volume: "0.10" }),
        deal({ ticket: "2", type: "sell", entry: "inout", positionId: "300", volume: "0.30", price: "1.10100", profit: "10.00" }),
      ],
      "netting",
    );
    expect(trades.map((trade) => [trade.positionId, trade.status])).toEqual([
      ["300", "closed"],
      ["300#2", "open"],
    ]);
    const opening = new Map([["300", { stopLoss: "1.09500", takeProfit: "1.11000" }]]);
    const current = new Map([["300", { stopLoss: "1.10500", takeProfit: "1.09000" }]]);
    const [first, second] = attachStops(trades, { opening, current });
    expect(stopsOf(first)).toEqual({ initialStopLoss: "1.09500", stopLoss: "1.09500", takeProfit: "1.11000" });
    expect(stopsOf(second)).toEqual({ initialStopLoss: null, stopLoss: null, takeProfit: null });
  });

  it("does not change the trades it is given", () => {
    const trades = paired([deal({ ticket: "1", type: "buy", entry: "in", positionId: "100" })]);
    const before = structuredClone(trades);
    attachStops(trades, {
      opening: new Map([["100", { stopLoss: "1", takeProfit: "2" }]]),
      current: new Map([["100", { stopLoss: "3", takeProfit: null }]]),
    });
    expect(trades).toEqual(before);
  });
});
