import { describe, expect, it } from "vitest";
import { CATALOGUE, CATALOGUE_SYMBOLS, resolveInstrument } from "./catalogue.ts";

describe("catalogue", () => {
  it("covers the majors, minors, JPY crosses, metals, indices and crypto", () => {
    for (const symbol of [
      "EURUSD",
      "GBPUSD",
      "USDJPY",
      "USDCHF",
      "USDCAD",
      "AUDUSD",
      "NZDUSD",
      "EURGBP",
      "EURCHF",
      "EURAUD",
      "GBPAUD",
      "AUDNZD",
      "CADCHF",
      "EURJPY",
      "GBPJPY",
      "AUDJPY",
      "NZDJPY",
      "CADJPY",
      "CHFJPY",
      "XAUUSD",
      "XAGUSD",
      "XPTUSD",
      "XPDUSD",
      "US30",
      "US500",
      "NAS100",
      "GER40",
      "UK100",
      "FRA40",
      "JP225",
      "AUS200",
      "HK50",
      "BTCUSD",
      "ETHUSD",
      "LTCUSD",
      "XRPUSD",
    ]) {
      expect(CATALOGUE.has(symbol), symbol).toBe(true);
    }
    expect(CATALOGUE_SYMBOLS[0]).toBe("AUDUSD");
    expect(new Set(CATALOGUE_SYMBOLS).size).toBe(CATALOGUE.size);
  });

  it("writes FX pairs in market convention, with JPY quotes at 3 digits", () => {
    expect(CATALOGUE.has("JPYUSD")).toBe(false);
    expect(CATALOGUE.has("GBPEUR")).toBe(false);
    expect(CATALOGUE.get("GBPJPY")).toMatchObject({
      contractSize: "100000",
      point: "0.001",
      pipSize: "0.01",
      digits: 3,
      baseCurrency: "GBP",
      profitCurrency: "JPY",
      class: "forex-cross",
    });
    expect(CATALOGUE.get("EURUSD")).toMatchObject({ point: "0.00001", pipSize: "0.0001", digits: 5, calculationMode: "forex", class: "forex-major" });
    expect(CATALOGUE.get("EURGBP")?.class).toBe("forex-minor");
  });

  it("knows metal and index contract sizes and profit currencies", () => {
    expect(CATALOGUE.get("XAUUSD")).toMatchObject({ contractSize: "100", point: "0.01", digits: 2, profitCurrency: "USD" });
    expect(CATALOGUE.get("XAGUSD")).toMatchObject({ contractSize: "5000", point: "0.001", profitCurrency: "USD" });
    expect(CATALOGUE.get("GER40")).toMatchObject({ contractSize: "1", profitCurrency: "EUR", calculationMode: "cfd", class: "index" });
    expect(CATALOGUE.get("JP225")?.profitCurrency).toBe("JPY");
    expect(CATALOGUE.get("UK100")?.profitCurrency).toBe("GBP");
  });
});

describe("resolveInstrument", () => {
  it("accepts the broker's spelling", () => {
    expect(resolveInstrument("EURUSD.Z")?.symbol).toBe("EURUSD");
    expect(resolveInstrument("GOLD")?.symbol).toBe("XAUUSD");
  });

  it("merges the account's overrides over the catalogue", () => {
    const spec = resolveInstrument("US500.cash", { US500: { contractSize: "10", digits: 1 } });
    expect(spec).toMatchObject({ symbol: "US500", contractSize: "10", digits: 1, profitCurrency: "USD" });
    // Other symbols are untouched.
    expect(resolveInstrument("US30", { US500: { contractSize: "10" } })?.contractSize).toBe("1");
  });

  it("returns null for unknown symbols unless an override defines them", () => {
    expect(resolveInstrument("AAPL.US")).toBeNull();
    expect(resolveInstrument("AAPL", { AAPL: { description: "Apple" } })).toBeNull();
    expect(resolveInstrument("AAPL.US", { AAPL: { contractSize: "1", profitCurrency: "USD", point: "0.01" } })).toMatchObject({
      symbol: "AAPL",
      contractSize: "1",
      profitCurrency: "USD",
      point: "0.01",
      pipSize: "0.01",
      digits: 2,
    });
  });
});
