import { describe, expect, it } from "vitest";
import { isJsonCutOff, parseJsonTrades, planJsonTrades } from "./parse-json.ts";

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
    const outcome = parseJsonTrades(
      JSON.stringify([{ ...trade, legs: [{ kind: "entry", side: "buy", time: "yesterday", volume: "0.1", price: "1.1" }] }]),
      options,
    );
    expect(outcome.ok && outcome.parsed.rejected[0]!.reason).toContain("trades[0]: legs[0].time: must be an ISO 8601 time");
  });

  it("refuses stated totals that differ from the legs", () => {
    const legs = [
      { kind: "entry", side: "buy", time: "2025-04-15T14:11:31Z", volume: "0.1", price: "1.1" },
      { kind: "exit", side: "sell", time: "2025-04-15T15:00:00Z", volume: "0.1", price: "1.2", profit: "100" },
    ];
    const outcome = parseJsonTrades(
      JSON.stringify([{ ...trade, closeTime: "2025-04-15T15:00:00Z", closePrice: "1.2", profit: "99", legs }]),
      options,
    );
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

describe("planJsonTrades", () => {
  // Open and closed trades, with and without legs and position ids, one rejected and one repeated.
  const closed = {
    ...trade,
    positionId: "p2",
    side: "sell",
    closeTime: "2025-04-15T15:00:00Z",
    closePrice: "1.09",
    profit: "10",
    commission: "-0.7",
  };
  const withLegs = {
    ...trade,
    positionId: "p3",
    volume: "0.2",
    closeTime: "2025-04-16T09:00:00Z",
    closePrice: "1.12",
    legs: [
      { kind: "entry", side: "buy", time: "2025-04-15T14:11:31Z", volume: "0.2", price: "1.1", commission: "-1" },
      { kind: "exit", side: "sell", time: "2025-04-15T20:00:00Z", volume: "0.1", price: "1.11", profit: "10" },
      { kind: "exit", side: "sell", time: "2025-04-16T09:00:00Z", volume: "0.1", price: "1.13", profit: "30" },
    ],
  };
  const file = JSON.stringify([
    trade,
    closed,
    { ...trade, openTime: "soon" },
    withLegs,
    closed,
    { ...trade, positionId: "p5", openTime: "2025-05-01T08:00:00Z" },
  ]);

  it("knows every identity, the counts and the rejections up front, and builds each chunk as asked what building everything at once gives", () => {
    const outcome = planJsonTrades(file, options);
    const whole = parseJsonTrades(file, options);
    if (!outcome.ok || !whole.ok) throw new Error("expected both to parse");
    const { plan } = outcome;
    expect(plan.tradeCount).toBe(4);
    expect(plan.openCount).toBe(2);
    expect(plan.positionIds).toEqual(whole.parsed.trades.map((t) => t.positionId));
    expect(plan.positionIds.slice(1)).toEqual(["p2", "p3", "p5"]);
    expect(plan.rejected.map((row) => row.row)).toEqual([3, 5]);
    const chunks = [...plan.tradeChunks(3)];
    expect(chunks.map((chunk) => chunk.length)).toEqual([3, 1]);
    expect(chunks.flat()).toEqual(whole.parsed.trades);
    expect(plan.firstTrades(2)).toEqual(whole.parsed.trades.slice(0, 2));
    // A re-import: positions the store already holds come back unbuilt.
    const again = [...plan.tradeChunks(10, (positionId) => positionId === "p2" || positionId === "p3")].flat();
    expect(again.map((t) => ("skipped" in t ? `skipped ${t.positionId}` : t.positionId))).toEqual([
      plan.positionIds[0],
      "skipped p2",
      "skipped p3",
      "p5",
    ]);
    const legs = whole.parsed.trades[2]!.legs;
    expect(legs.map((leg) => [leg.kind, leg.volume, leg.profit])).toEqual([
      ["entry", "0.2", "0"],
      ["exit", "0.1", "10"],
      ["exit", "0.1", "30"],
    ]);
  });
});
