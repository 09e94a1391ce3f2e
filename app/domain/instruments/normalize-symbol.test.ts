import { describe, expect, it } from "vitest";
import { normalizeSymbol } from "./normalize-symbol.ts";

describe("normalizeSymbol", () => {
  it.each([
    ["EURUSD", "EURUSD"],
    ["EURUSD.Z", "EURUSD"],
    ["eurusd.p", "EURUSD"],
    ["m.EURUSD", "EURUSD"],
    ["EURUSDm", "EURUSD"],
    ["EURUSD-ECN", "EURUSD"],
    ["EURUSD.pro", "EURUSD"],
    ["EURUSD#", "EURUSD"],
    ["EURUSD+", "EURUSD"],
    ["EURUSDpro", "EURUSD"],
    [" audusd ", "AUDUSD"],
    ["EUR/USD", "EURUSD"],
    ["EUR_USD", "EURUSD"],
    ["FX_GBPJPY", "GBPJPY"],
    ["USDJPYi", "USDJPY"],
    ["USDHUF.r", "USDHUF"],
    ["XAUUSD.m", "XAUUSD"],
    ["XAUUSDm", "XAUUSD"],
    ["GOLD", "XAUUSD"],
    ["gold.", "XAUUSD"],
    ["SILVER", "XAGUSD"],
    ["US30.cash", "US30"],
    ["US30cash", "US30"],
    ["DJ30", "US30"],
    ["WS30", "US30"],
    ["#US30", "US30"],
    ["NAS100", "NAS100"],
    ["USTEC", "NAS100"],
    ["NDX100", "NAS100"],
    ["US100.cash", "NAS100"],
    ["GER40", "GER40"],
    ["DE40", "GER40"],
    ["DAX40", "GER40"],
    ["DAX.cash", "GER40"],
    ["GER40.cash", "GER40"],
    ["UK100", "UK100"],
    ["UK100.cash", "UK100"],
    ["FTSE100", "UK100"],
    ["JP225", "JP225"],
    ["JPN225", "JP225"],
    ["SPX500", "US500"],
    ["US500", "US500"],
    ["US500.cash", "US500"],
    ["FRA40", "FRA40"],
    ["AUS200", "AUS200"],
    ["HK50", "HK50"],
    ["BTCUSD", "BTCUSD"],
    ["BTCUSD.m", "BTCUSD"],
    ["ETHUSD", "ETHUSD"],
    ["XRPUSD", "XRPUSD"],
    ["BTC/USD", "BTCUSD"],
  ])("%s → %s", (broker, canonical) => {
    expect(normalizeSymbol(broker)).toBe(canonical);
  });

  it("keeps what it cannot recognise, without the broker's suffix", () => {
    expect(normalizeSymbol("AAPL.US")).toBe("AAPL");
    expect(normalizeSymbol("BTCUSDT")).toBe("BTCUSDT");
    expect(normalizeSymbol("m.FOOBAR")).toBe("FOOBAR");
    expect(normalizeSymbol("")).toBe("");
  });
});
