import { describe, expect, it } from "vitest";
import { buildTradeMarkers, resultCounts, tradeIdOfMarker, tradeResult, type MarkerOptions, type SymbolChartTrade } from "./trade-markers.ts";

const options: MarkerOptions = {
  palette: { win: "green", loss: "red", breakeven: "grey", open: "blue" },
  labels: { price: (p) => `p${p}`, money: (m) => `$${m}`, time: (s) => `t${s}` },
};

const trade = (overrides: Partial<SymbolChartTrade> & Pick<SymbolChartTrade, "id">): SymbolChartTrade => ({
  direction: "buy",
  status: "closed",
  openedAt: 1_000,
  closedAt: 2_000,
  entryPrice: "1.08000",
  exitPrice: "1.08100",
  volume: "0.10",
  netProfit: "10.00",
  ...overrides,
});

describe("tradeResult", () => {
  it("reads win, loss and breakeven from the net, and nothing for an open trade", () => {
    expect(tradeResult({ status: "closed", netProfit: "0.01" })).toBe("win");
    expect(tradeResult({ status: "closed", netProfit: "-0.01" })).toBe("loss");
    expect(tradeResult({ status: "closed", netProfit: "0.00" })).toBe("breakeven");
    expect(tradeResult({ status: "open", netProfit: null })).toBeNull();
  });
});

describe("buildTradeMarkers", () => {
  it("puts a buy's entry arrow under its entry price and its exit circle on the exit price, both in the result's colour", () => {
    const markers = buildTradeMarkers([trade({ id: "a" })], options);
    expect(markers).toEqual([
      {
        id: "a",
        time: 1_000,
        position: "atPriceBottom",
        price: 1.08,
        shape: "arrowUp",
        color: "green",
        text: "Buy",
        tooltip: "Buy 0.10 at p1.08000, t1000 · $10.00",
      },
      {
        id: "a:exit",
        time: 2_000,
        position: "atPriceMiddle",
        price: 1.081,
        shape: "circle",
        color: "green",
        text: "$10.00",
        tooltip: "Exit of buy 0.10 at p1.08100, t2000 · $10.00",
      },
    ]);
  });

  it("mirrors a sell: entry arrow down over its entry price, exit circle on the exit price; a loss is red", () => {
    const [entry, exit] = buildTradeMarkers([trade({ id: "s", direction: "sell", netProfit: "-4.50" })], options);
    expect(entry).toMatchObject({ position: "atPriceTop", price: 1.08, shape: "arrowDown", color: "red", text: "Sell" });
    expect(exit).toMatchObject({ id: "s:exit", position: "atPriceMiddle", price: 1.081, shape: "circle", color: "red", text: "$-4.50" });
  });

  it("gives an open trade its entry only, in the open colour", () => {
    const markers = buildTradeMarkers([trade({ id: "o", status: "open", closedAt: null, exitPrice: null, netProfit: null })], options);
    expect(markers).toHaveLength(1);
    expect(markers[0]).toMatchObject({ id: "o", color: "blue", tooltip: "Buy 0.10 at p1.08000, t1000 · open" });
  });

  it("orders markers by time across trades, an entry before an exit at the same second", () => {
    const markers = buildTradeMarkers(
      [trade({ id: "late", openedAt: 5_000, closedAt: 9_000 }), trade({ id: "early", openedAt: 1_000, closedAt: 5_000, netProfit: "0" })],
      options,
    );
    expect(markers.map((m) => m.id)).toEqual(["early", "late", "early:exit", "late:exit"]);
    expect(markers.find((m) => m.id === "early")!.color).toBe("grey");
  });

  it("writes a tooltip only when it is read", () => {
    let formatted = 0;
    const counting: MarkerOptions = { ...options, labels: { ...options.labels, time: (s) => (formatted++, `t${s}`) } };
    const markers = buildTradeMarkers([trade({ id: "a" }), trade({ id: "b", openedAt: 3_000, closedAt: 4_000 })], counting);
    expect(formatted).toBe(0);
    expect(markers[1]!.tooltip).toBe("Exit of buy 0.10 at p1.08100, t2000 · $10.00");
    expect(formatted).toBe(1);
  });

  it("drops the text labels above the limit but keeps tooltips and colours", () => {
    const many = Array.from({ length: 61 }, (_, i) => trade({ id: `t${i}`, openedAt: i * 10, closedAt: i * 10 + 5 }));
    const markers = buildTradeMarkers(many, options);
    expect(markers).toHaveLength(122);
    expect(markers.every((m) => m.text === undefined && m.tooltip)).toBe(true);
    expect(buildTradeMarkers(many.slice(0, 60), options).every((m) => m.text)).toBe(true);
  });
});

describe("tradeIdOfMarker", () => {
  it("leads an entry and an exit marker back to their trade", () => {
    expect(tradeIdOfMarker("6f1c")).toBe("6f1c");
    expect(tradeIdOfMarker("6f1c:exit")).toBe("6f1c");
  });
});

describe("resultCounts", () => {
  it("counts wins, losses, breakevens and open trades", () => {
    expect(
      resultCounts([
        trade({ id: "w" }),
        trade({ id: "l", netProfit: "-1" }),
        trade({ id: "b", netProfit: "0.00" }),
        trade({ id: "o", status: "open", closedAt: null, exitPrice: null, netProfit: null }),
        trade({ id: "w2", netProfit: "3" }),
      ]),
    ).toEqual({ win: 2, loss: 1, breakeven: 1, open: 1 });
  });
});
