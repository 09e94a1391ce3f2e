import { describe, expect, it } from "vitest";
import { tradePips } from "./pips.ts";

describe("tradePips", () => {
  it("counts pips of 0.0001 on EURUSD and 0.01 on JPY quotes, signed by direction", () => {
    expect(tradePips({ symbol: "EURUSD", direction: "buy", entryPrice: "1.08250", exitPrice: "1.08480" })).toBe("23");
    expect(tradePips({ symbol: "EURUSD", direction: "sell", entryPrice: "1.08250", exitPrice: "1.08480" })).toBe("-23");
    expect(tradePips({ symbol: "USDJPY", direction: "sell", entryPrice: "150.100", exitPrice: "149.855" })).toBe("24.5");
  });

  it("rounds a VWAP exit to a tenth of a pip", () => {
    expect(tradePips({ symbol: "EURUSD", direction: "buy", entryPrice: "1.085", exitPrice: "1.0860333" })).toBe("10.3");
  });

  it("has no figure for open trades or unknown instruments", () => {
    expect(tradePips({ symbol: "EURUSD", direction: "buy", entryPrice: "1.085", exitPrice: null })).toBeNull();
    expect(tradePips({ symbol: "NOTASYMBOL", direction: "buy", entryPrice: "1", exitPrice: "2" })).toBeNull();
  });
});
