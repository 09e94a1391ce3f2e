// A trade on its chart: entry and every exit leg as markers (side, colour by
// the leg's result, volume and price on hover), SL/TP lines, the open span.
import { describe, expect, it } from "vitest";
import { chartDigits, tradeMarkers, tradePriceLines, tradeSpan, type ChartTrade } from "./trade-chart-overlays.ts";

const trade: ChartTrade = {
  direction: "buy",
  status: "closed",
  openedAt: "2026-03-06T09:15:00Z",
  closedAt: "2026-03-06T11:40:00Z",
  volume: "0.50",
  entryPrice: "1.11280",
  exitPrice: "1.11346",
  netProfit: "19.00",
  initialStopLoss: "1.11150",
  takeProfit: "1.11500",
  legs: [
    { id: "a", kind: "entry", direction: "buy", executedAt: "2026-03-06T09:15:00Z", volume: "0.50", price: "1.11280", profit: "0" },
    { id: "b", kind: "exit", direction: "sell", executedAt: "2026-03-06T10:15:00Z", volume: "0.20", price: "1.11420", profit: "28.00" },
    { id: "c", kind: "exit", direction: "sell", executedAt: "2026-03-06T11:40:00Z", volume: "0.30", price: "1.11310", profit: "-9.00" },
  ],
};

describe("trade chart overlays", () => {
  it("marks the entry and every exit leg, buys below pointing up, sells above pointing down", () => {
    const markers = tradeMarkers(trade, (iso) => iso.slice(11, 16));
    expect(markers).toEqual([
      {
        id: "a",
        time: 1772788500,
        position: "belowBar",
        shape: "arrowUp",
        color: "#818cf8",
        text: "In 0.50",
        tooltip: "Entry · buy 0.50 lots @ 1.11280\n09:15",
      },
      {
        id: "b",
        time: 1772792100,
        position: "aboveBar",
        shape: "arrowDown",
        color: "#22c55e",
        text: "Out 0.20",
        tooltip: "Exit · sell 0.20 lots @ 1.11420\n10:15",
      },
      {
        id: "c",
        time: 1772797200,
        position: "aboveBar",
        shape: "arrowDown",
        color: "#ef4444",
        text: "Out 0.30",
        tooltip: "Exit · sell 0.30 lots @ 1.11310\n11:40",
      },
    ]);
  });

  it("gives a trade without deals one entry and one exit at its average prices; an open one only its entry", () => {
    const sell = { ...trade, direction: "sell" as const, legs: [], netProfit: "-4.00" };
    expect(tradeMarkers(sell, () => "").map((m) => [m.id, m.position, m.shape, m.color, m.text])).toEqual([
      ["entry", "aboveBar", "arrowDown", "#818cf8", "In 0.50"],
      ["exit", "belowBar", "arrowUp", "#ef4444", "Out 0.50"],
    ]);
    expect(tradeMarkers({ ...trade, legs: [], status: "open", closedAt: null, exitPrice: null }, () => "")).toHaveLength(1);
  });

  it("draws the initial stop and the target when set, and spans the trade until now while open", () => {
    expect(tradePriceLines(trade)).toEqual([
      { price: 1.1115, color: "#ef4444", title: "Initial SL", dashed: true },
      { price: 1.115, color: "#22c55e", title: "TP", dashed: true },
    ]);
    expect(tradePriceLines({ ...trade, initialStopLoss: null, takeProfit: "0" })).toEqual([]);
    expect(tradeSpan(trade, new Date())).toEqual({ from: 1772788500, to: 1772797200 });
    expect(tradeSpan({ openedAt: trade.openedAt, closedAt: null }, new Date("2026-03-06T12:00:00Z")).to).toBe(1772798400);
  });

  it("prints prices with the symbol's digits, else the entry's", () => {
    expect(chartDigits("EURUSD", "1.1")).toBe(5);
    expect(chartDigits("ZZZ123", "101.25")).toBe(2);
  });
});
