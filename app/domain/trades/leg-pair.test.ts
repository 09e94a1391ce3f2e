import { describe, expect, it } from "vitest";
import { closedPair, closedSellPair, disagreeingPair, openEntry, scaleIn } from "../../../tests/support/leg-pair-trades.ts";
import { legPairOf } from "./leg-pair.ts";

describe("legPairOf", () => {
  it("keeps a closed buy's pair in its row: each deal's ids, reason, comment and commission", () => {
    expect(legPairOf(closedPair("7"))).toEqual({
      entryDealId: "71",
      entryOrderId: "8001",
      entryReason: "client",
      entryComment: "entry note",
      entryCommission: "-1.75",
      entryFee: null,
      exitDealId: "72",
      exitOrderId: "8002",
      exitReason: "tp",
      exitComment: "[tp 1.08420]",
      exitCommission: "-1.75",
      exitFee: null,
    });
  });

  it("keeps a closed sell's pair, its fee on the exit", () => {
    expect(legPairOf(closedSellPair("8"))).toMatchObject({ entryCommission: "-1.75", exitCommission: null, exitFee: "-0.20", exitOrderId: null });
  });

  it("keeps an open position's single entry, with no exit", () => {
    expect(legPairOf(openEntry("9"))).toMatchObject({ entryDealId: "91", exitDealId: null, exitCommission: null });
  });

  it("keeps rows for anything the row cannot give back exactly", () => {
    expect(legPairOf(scaleIn("10"))).toBeNull();
    expect(legPairOf(disagreeingPair("11"))).toBeNull();
    const pair = closedPair("12");
    // Profit or swap on the entry deal: the synthetic entry has none.
    expect(legPairOf({ ...pair, legs: [{ ...pair.legs[0]!, swap: "-0.10" }, pair.legs[1]!] })).toBeNull();
    // A volume printed differently from the trade's: the text would change.
    expect(legPairOf({ ...pair, legs: [{ ...pair.legs[0]!, volume: "0.5" }, pair.legs[1]!] })).toBeNull();
    // An exit in the trade's own direction, at another time, or another offset.
    expect(legPairOf({ ...pair, legs: [pair.legs[0]!, { ...pair.legs[1]!, direction: "buy" }] })).toBeNull();
    expect(legPairOf({ ...pair, legs: [pair.legs[0]!, { ...pair.legs[1]!, executedAt: new Date("2026-03-02T11:41:00Z") }] })).toBeNull();
    expect(legPairOf({ ...pair, legs: [pair.legs[0]!, { ...pair.legs[1]!, serverUtcOffsetMinutes: 180 }] })).toBeNull();
    // Closed without an exit deal, or open with one (a partial close).
    expect(legPairOf({ ...pair, legs: [pair.legs[0]!] })).toBeNull();
    expect(legPairOf({ ...openEntry("13"), legs: pair.legs })).toBeNull();
    expect(legPairOf({ ...pair, legs: [] })).toBeNull();
  });

  it("clips comments as the store does", () => {
    const pair = closedPair("14");
    const long = { ...pair, legs: [{ ...pair.legs[0]!, comment: "x".repeat(600) }, pair.legs[1]!] };
    expect(legPairOf(long, (c) => (c === null ? null : c.slice(0, 500)))?.entryComment).toHaveLength(500);
  });
});
