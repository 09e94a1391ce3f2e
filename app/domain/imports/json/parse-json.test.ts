import { describe, expect, it } from "vitest";
import { isJsonCutOff, parseJsonTrades } from "./parse-json.ts";

const options = { serverTimeZone: "NY+7", marginMode: "hedging" as const, accountCurrency: "USD" };
const trade = { symbol: "EURUSD", side: "buy", openTime: "2025-04-15T14:11:31Z", volume: "0.1", openPrice: "1.1" };

describe("parseJsonTrades", () => {
  it("accepts an object with a trades array", () => {
    const outcome = parseJsonTrades(JSON.stringify({ trades: [trade] }), options);
    expect(outcome.ok && outcome.parsed.trades).toHaveLength(1);
  });

  it.each([
    ['{"symbol":"EURUSD"}', "invalid-json", "must be an array of trades"],
    ["[]", "no-trades", "The JSON array is empty"],
    ["[1, 2,]", "invalid-json", "The file is not valid JSON"],
    ['[{"symbol": "EUR', "truncated", "ends in the middle of a trade"],
  ])("%s → %s", (text, code, message) => {
    expect(parseJsonTrades(text, options)).toMatchObject({ ok: false, format: "json", error: { code, message: expect.stringContaining(message) } });
  });

  it("names the field path of nested errors", () => {
    const outcome = parseJsonTrades(JSON.stringify([{ ...trade, legs: [{ kind: "entry", side: "buy", time: "yesterday", volume: "0.1", price: "1.1" }] }]), options);
    expect(outcome.ok && outcome.parsed.rejected[0]!.reason).toContain("trades[0]: legs[0].time: must be an ISO 8601 time");
  });

  it("refuses stated totals that differ from the legs", () => {
    const legs = [
      { kind: "entry", side: "buy", time: "2025-04-15T14:11:31Z", volume: "0.1", price: "1.1" },
      { kind: "exit", side: "sell", time: "2025-04-15T15:00:00Z", volume: "0.1", price: "1.2", profit: "100" },
    ];
    const outcome = parseJsonTrades(JSON.stringify([{ ...trade, closeTime: "2025-04-15T15:00:00Z", closePrice: "1.2", profit: "99", legs }]), options);
    expect(outcome.ok && outcome.parsed.rejected[0]!.reason).toBe("trades[0].profit: 99 differs from the legs' total 100");
  });
});

describe("isJsonCutOff", () => {
  it("tells an unclosed structure from a syntax error", () => {
    expect(isJsonCutOff('[{"a": "b}')).toBe(true);
    expect(isJsonCutOff('[{"a": "\\"x"}')).toBe(true);
    expect(isJsonCutOff("[1, 2,]")).toBe(false);
  });
});
