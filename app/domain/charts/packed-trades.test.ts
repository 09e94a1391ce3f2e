import { describe, expect, it } from "vitest";
import { firstEntryPrice, packTrades, unpackTrades } from "./packed-trades.ts";
import type { SymbolChartTrade } from "./trade-markers.ts";

const closed: SymbolChartTrade = {
  id: "0b7d5c1e-8f0a-4b5e-9a31-6c1d2e3f4a5b",
  direction: "sell",
  status: "closed",
  openedAt: 1_793_000_000,
  closedAt: 1_793_003_600,
  entryPrice: "1.08250",
  exitPrice: "1.08420",
  volume: "0.50",
  netProfit: "-85.70",
};
const open: SymbolChartTrade = {
  id: "9f8e7d6c-5b4a-4321-8fed-cba987654321",
  direction: "buy",
  status: "open",
  openedAt: 1_793_010_000,
  closedAt: null,
  entryPrice: "2650.1",
  exitPrice: null,
  volume: "1",
  netProfit: null,
};

describe("packed trades", () => {
  it("writes one comma-separated line per trade, as the loader's query does", () => {
    expect(packTrades([closed, open])).toBe(
      "0b7d5c1e-8f0a-4b5e-9a31-6c1d2e3f4a5b,s,c,1793000000,1793003600,1.08250,1.08420,0.50,-85.70\n" +
        "9f8e7d6c-5b4a-4321-8fed-cba987654321,b,o,1793010000,,2650.1,,1,",
    );
  });

  it("reads back exactly what was packed, and nothing from an empty text", () => {
    expect(unpackTrades(packTrades([closed, open]))).toEqual([closed, open]);
    expect(unpackTrades("")).toEqual([]);
  });

  it("reads the first trade's entry price alone", () => {
    expect(firstEntryPrice(packTrades([open, closed]))).toBe("2650.1");
    expect(firstEntryPrice(packTrades([closed]))).toBe("1.08250");
    expect(firstEntryPrice("")).toBeNull();
  });

  it("refuses a line with missing or extra fields", () => {
    expect(() => unpackTrades("abc,b,c,1")).toThrow(/bad packed trade/);
    expect(() => unpackTrades(`${packTrades([closed])},extra`)).toThrow(/bad packed trade/);
  });
});
