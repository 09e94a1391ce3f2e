import { describe, expect, it } from "vitest";
import { compareFlagged } from "./comparison.ts";
import { trade } from "./test-support.ts";

const utc = { timeZone: "UTC", dayStartMinutes: 0 };

describe("flagged vs unflagged", () => {
  it("splits closed trades by signal with trades, net, win rate and expectancy", () => {
    const trades = [
      trade("a", "09:00", "09:30", "1", "-100.10"),
      trade("b", "09:40", "10:00", "2", "40.05"), // revenge
      trade("c", "2026-03-11T09:00:00Z", "2026-03-11T10:00:00Z", "1", "10"), // overtrading day
      trade("d", "2026-03-11T10:05:00Z", "2026-03-11T11:00:00Z", "1", "0"), // overtrading day, breakeven
      trade("e", "2026-03-11T11:05:00Z", null, "5", "-20"), // open: not counted
    ];
    const rows = compareFlagged(trades, { revenge: new Set(["b", "e"]), overtradingDays: new Set(["2026-03-11"]), dayRule: utc });
    expect(rows).toEqual([
      { group: "revenge", trades: 1, wins: 1, losses: 0, net: "40.05", winRate: 1, expectancy: "40.05" },
      { group: "overtrading", trades: 2, wins: 1, losses: 0, net: "10", winRate: 0.5, expectancy: "5" },
      { group: "flagged", trades: 3, wins: 2, losses: 0, net: "50.05", winRate: 2 / 3, expectancy: "16.683333333333" },
      { group: "unflagged", trades: 1, wins: 0, losses: 1, net: "-100.1", winRate: 0, expectancy: "-100.1" },
    ]);
  });

  it("counts a trade with both signals once in 'any signal'", () => {
    const rows = compareFlagged([trade("x", "09:00", "10:00", "1", "5")], {
      revenge: new Set(["x"]),
      overtradingDays: new Set(["2026-03-10"]),
      dayRule: utc,
    });
    expect(rows.map((row) => [row.group, row.trades])).toEqual([
      ["revenge", 1],
      ["overtrading", 1],
      ["flagged", 1],
      ["unflagged", 0],
    ]);
    expect(rows[3]).toMatchObject({ winRate: null, expectancy: null, net: "0" });
  });
});
