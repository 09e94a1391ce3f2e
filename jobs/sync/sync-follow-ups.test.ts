import { describe, expect, it } from "vitest";
import { balanceMoved, dealCheckWanted, recentlyTradedSymbols } from "./sync-follow-ups.ts";

const noChanges = { disappeared: [], volumeChanged: [] };

describe("a light sync's deal check", () => {
  it("sees the balance move by its value, not its printed text, and never on the first sync (nothing stored)", () => {
    expect(balanceMoved("1000.00", "1000")).toBe(false);
    expect(balanceMoved("1000.00", "1012.50")).toBe(true);
    expect(balanceMoved(null, "1012.50")).toBe(false);
  });

  it("asks for a full check when a position disappeared or changed volume, or the balance moved", () => {
    expect(dealCheckWanted(noChanges, false)).toBe(false);
    expect(dealCheckWanted({ disappeared: ["100"], volumeChanged: [] }, false)).toBe(true);
    expect(dealCheckWanted({ disappeared: [], volumeChanged: ["101"] }, false)).toBe(true);
    expect(dealCheckWanted(noChanges, true)).toBe(true);
  });
});

describe("recentlyTradedSymbols", () => {
  const at = new Date(Date.UTC(2025, 3, 15, 12));
  const daysAgo = (days: number) => new Date(at.getTime() - days * 24 * 3600_000);

  it("keeps each symbol once whose trade closed, or if open opened, within the last 7 days", () => {
    expect(
      recentlyTradedSymbols(
        [
          { symbol: "EURUSD", openedAt: daysAgo(30), closedAt: daysAgo(1) },
          { symbol: "EURUSD", openedAt: daysAgo(2), closedAt: null },
          { symbol: "XAUUSD", openedAt: daysAgo(7), closedAt: null },
          { symbol: "GBPUSD", openedAt: daysAgo(9), closedAt: daysAgo(8) },
          { symbol: "USDJPY", openedAt: daysAgo(10), closedAt: daysAgo(7.5) },
        ],
        at,
      ),
    ).toEqual(["EURUSD", "XAUUSD"]);
  });
});
