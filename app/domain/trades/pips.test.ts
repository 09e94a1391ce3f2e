import { describe, expect, it } from "vitest";
import { toDecimalString } from "../decimal.ts";
import { resolveInstrument } from "../instruments/catalogue.ts";
import { tradePips } from "./pips.ts";
import { pipsGained } from "./pnl.ts";

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

  it("gives big.js's figure for every price shape: integer fast path and fallback alike", () => {
    let state = 11;
    const random = () => (state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
    const symbols = ["EURUSD", "USDJPY", "XAUUSD", "US30", "BTCUSD", "GBPJPY", "XAGUSD"];
    const price = () => {
      const whole = String(Math.floor(random() * (random() < 0.5 ? 3 : 70_000)));
      const decimals = Math.floor(random() * 9);
      const fraction = Array.from({ length: decimals }, () => Math.floor(random() * 10)).join("");
      return decimals ? `${whole}.${fraction}` : whole;
    };
    const wrong: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const symbol = symbols[i % symbols.length]!;
      const direction = random() < 0.5 ? "buy" : "sell";
      const entryPrice = price();
      // Half the exits sit a few points away, so ties at the rounding digit come up.
      const exitPrice = random() < 0.5 ? price() : (Number(entryPrice) + Math.round((random() - 0.5) * 2000) / 10_000).toFixed(5);
      const spec = resolveInstrument(symbol)!;
      const expected = toDecimalString(pipsGained(spec, direction, entryPrice, exitPrice).round(1));
      const got = tradePips({ symbol, direction, entryPrice, exitPrice });
      if (got !== expected) wrong.push(`${symbol} ${direction} ${entryPrice}→${exitPrice}: ${got} not ${expected}`);
    }
    expect(wrong).toEqual([]);
  });

  it("rounds a tie half away from zero, as big.js does", () => {
    expect(tradePips({ symbol: "EURUSD", direction: "buy", entryPrice: "1.00000", exitPrice: "1.000005" })).toBe("0.1");
    expect(tradePips({ symbol: "EURUSD", direction: "sell", entryPrice: "1.00000", exitPrice: "1.000005" })).toBe("-0.1");
    expect(tradePips({ symbol: "EURUSD", direction: "buy", entryPrice: "1.00000", exitPrice: "1.000004" })).toBe("0");
  });
});
