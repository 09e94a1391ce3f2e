import { describe, expect, it } from "vitest";
import { summarize } from "./summarize.ts";
import { cash, input, series, trade } from "./test-support.ts";

// The hand-checked table (UTC, day starts 00:00, start balance 10,000):
//   A Mon 05 10:00  profit 100, commission −2            net  98   risk 49 → R  2
//   B Mon 05 11:30  profit −50, commission −2            net −52   risk 52 → R −1
//   cash Tue 06 12:00 withdrawal −500 (same instant as C: cash first)
//   C Tue 06 12:00  profit 0                             net   0   no stop
//   D Wed 07 15:00  profit 30, swap −1.5, fee −0.5       net  28   risk 28 → R  1
//   E Wed 07 16:00  profit −20, commission −1            net −21   no stop
const table = input(
  [
    trade("E", "2026-01-07T15:30:00Z", "2026-01-07T16:00:00Z", { profit: "-20", commission: "-1", direction: "sell" }),
    trade("A", "2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z", { profit: "100", commission: "-2", initialRisk: "49" }),
    trade("C", "2026-01-06T11:00:00Z", "2026-01-06T12:00:00Z", { profit: "0" }),
    trade("B", "2026-01-05T11:00:00Z", "2026-01-05T11:30:00Z", { profit: "-50", commission: "-2", initialRisk: "52" }),
    trade("D", "2026-01-07T09:00:00Z", "2026-01-07T15:00:00Z", { profit: "30", swap: "-1.5", fee: "-0.5", initialRisk: "28" }),
  ],
  {
    cash: [cash("w1", "2026-01-06T12:00:00Z", "-500")],
    // Monday 5 to Saturday 10 (exclusive): five weekdays.
    period: { from: new Date("2026-01-05T00:00:00Z"), to: new Date("2026-01-10T00:00:00Z") },
  },
);

describe("summarize, hand-checked table", () => {
  const s = summarize(table);

  it("counts and sums exactly", () => {
    expect([s.trades, s.wins, s.losses, s.breakevens]).toEqual([5, 2, 2, 1]);
    expect(s.winRate).toBe(0.4); // 2 / 5, the breakeven in the denominator
    expect(s.grossProfit).toBe("126"); // 98 + 28
    expect(s.grossLoss).toBe("-73"); // −52 − 21
    expect(s.netTotal).toBe("53");
    expect(s.profitFactor).toBeCloseTo(126 / 73, 12);
    expect(s.averageWin).toBe("63"); // 126 / 2
    expect(s.averageLoss).toBe("-36.5"); // −73 / 2
    expect(s.payoffRatio).toBeCloseTo(63 / 36.5, 12);
    expect(s.expectancy).toBe("10.6"); // 53 / 5
    expect(s.largestWin).toBe("98");
    expect(s.largestLoss).toBe("-52");
    expect(s.bestTrade).toBe("A");
    expect(s.worstTrade).toBe("B");
    expect(s.costs).toEqual({ commission: "-5", swap: "-1.5", fee: "-0.5" });
  });

  it("uses the sample standard deviation (n − 1)", () => {
    // mean 10.6; squared deviations 7638.76 + 3918.76 + 112.36 + 302.76 + 998.56 = 12971.2; / 4 = 3242.8
    expect(s.standardDeviation).toBeCloseTo(Math.sqrt(3242.8), 10);
  });

  it("takes R only from trades with a stop", () => {
    expect(s.expectancyR).toBeCloseTo((2 - 1 + 1) / 3, 12);
    expect([s.rTrades, s.rMissing]).toEqual([3, 2]);
    expect(s.sqn).toBeNull(); // N = 3 < 30
    expect(s.zScore).toBeNull();
    expect(s.zLabel).toBeNull();
  });

  it("averages durations of wins and losses separately", () => {
    expect(s.averageDurationWinMs).toBe((3_600_000 + 6 * 3_600_000) / 2); // A 1 h, D 6 h
    expect(s.averageDurationLossMs).toBe((1_800_000 + 1_800_000) / 2); // B 30 min, E 30 min
  });

  it("neutralises the withdrawal in the drawdown", () => {
    // 10000 → A 10098 (peak) → B 10046 (dd 52) → cash −500: 9546, peak 9598 (dd still 52)
    // → C 9546 → D 9574 (dd 24) → E 9553 (dd 45)
    expect(s.maxDrawdown).toBe("52");
    expect(s.maxDrawdownPercent).toBeCloseTo((100 * 52) / 9598, 12); // deeper than 52 / 10098
    expect(s.recoveryFactor).toBeCloseTo(53 / 52, 12);
    expect([s.longestWinStreak, s.longestLossStreak]).toEqual([1, 1]); // W L B W L
  });

  it("measures returns on the balance before each trade and each day", () => {
    const r = [98 / 10000, -52 / 10098, 0 / 9546, 28 / 9546, -21 / 9574];
    expect(s.ahpr).toBeCloseTo(r.reduce((a, b) => a + b) / 5, 14);
    expect(s.ghpr).toBeCloseTo(
      Math.pow(
        r.reduce((p, x) => p * (1 + x), 1),
        1 / 5,
      ) - 1,
      14,
    );
    // Mon 46 / 10000; Tue 0 / 10046 (the withdrawal is after the day's start);
    // Wed 7 / 9546; Thu and Fri no trades → 0.
    const daily = [46 / 10000, 0, 7 / 9546, 0, 0];
    const mean = daily.reduce((a, b) => a + b) / 5;
    const sd = Math.sqrt(daily.reduce((a, x) => a + (x - mean) ** 2, 0) / 4);
    expect(s.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(252), 10);
    expect(s.sortino).toBeNull(); // no losing day
  });

  it("gives interval estimates", () => {
    // Wilson, 2 of 5 at 95 %: 0.1176 … 0.7693 (textbook value)
    expect(s.winRateInterval!.low).toBeCloseTo(0.117621, 5);
    expect(s.winRateInterval!.high).toBeCloseTo(0.769276, 5);
    const low = Number(s.expectancyInterval!.low);
    const high = Number(s.expectancyInterval!.high);
    expect(low).toBeLessThan(10.6);
    expect(high).toBeGreaterThan(10.6);
    expect(low).toBeGreaterThanOrEqual(-52);
    expect(high).toBeLessThanOrEqual(98);
    expect(summarize({ ...table }).expectancyInterval).toEqual(s.expectancyInterval); // same data, same interval
  });
});

describe("summarize, edge cases", () => {
  it("has no figures without trades", () => {
    const s = summarize(input([]));
    expect(s).toMatchObject({
      trades: 0,
      winRate: null,
      winRateInterval: null,
      grossProfit: "0",
      grossLoss: "0",
      netTotal: "0",
      profitFactor: null,
      averageWin: null,
      averageLoss: null,
      payoffRatio: null,
      expectancy: null,
      expectancyInterval: null,
      expectancyR: null,
      largestWin: null,
      largestLoss: null,
      standardDeviation: null,
      maxDrawdown: "0",
      maxDrawdownPercent: 0,
      recoveryFactor: null,
      ahpr: null,
      ghpr: null,
      sharpe: null,
      sortino: null,
      bestTrade: null,
      worstTrade: null,
    });
  });

  it("handles one trade", () => {
    const s = summarize(input(series(["12.34"])));
    expect(s.standardDeviation).toBeNull();
    expect(s.expectancyInterval).toEqual({ low: "12.34", high: "12.34" });
    expect(s.profitFactor).toBe("infinite");
    expect(s.sharpe).toBeNull(); // one day, no deviation
  });

  it("shows ∞ for all wins and 0 for all losses", () => {
    expect(summarize(input(series(["1", "2"]))).profitFactor).toBe("infinite");
    const losses = summarize(input(series(["-1", "-2.5"])));
    expect(losses.profitFactor).toBe(0);
    expect(losses.payoffRatio).toBeNull();
    expect(losses.longestLossStreak).toBe(2);
    expect(losses.maxDrawdown).toBe("3.5");
    expect(losses.recoveryFactor).toBeCloseTo(-1, 12);
  });

  it("shows — for only breakevens", () => {
    const s = summarize(input(series(["0", "0", "0.00"])));
    expect([s.breakevens, s.winRate, s.profitFactor, s.expectancy, s.largestWin]).toEqual([3, 0, null, "0", null]);
    expect([s.longestWinStreak, s.longestLossStreak]).toEqual([0, 0]);
  });

  it("adds money exactly", () => {
    const s = summarize(input(series(Array.from({ length: 10 }, () => "0.1"))));
    expect(s.netTotal).toBe("1"); // 0.1 × 10 in binary floats is 0.9999999999999999
    expect(s.expectancy).toBe("0.1");
  });

  it("computes SQN and the runs test from 30 trades", () => {
    // 30 alternating trades: W L W L …, every R = ±1 → mean 0, SQN 0.
    const alternating = series(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? "-10" : "10")),
      "10",
    );
    const s = summarize(input(alternating));
    expect(s.sqn).toBeCloseTo(0, 12);
    // N 30, W 15, L 15, R 30 runs, P 450: Z = (30 × 29.5 − 450) / √(450 × 420 / 29) = 435 / 80.73 ≈ 5.388
    expect(s.zScore).toBeCloseTo((30 * 29.5 - 450) / Math.sqrt((450 * 420) / 29), 12);
    expect(s.zLabel).toBe("alternating");
    // 15 wins then 15 losses: 2 runs → Z = (30 × 1.5 − 450) / 80.73 ≈ −5.02, streaky.
    const streaky = summarize(input(series([...Array(15).fill("10"), ...Array(15).fill("-10")])));
    expect(streaky.zLabel).toBe("streaky");
    expect(streaky.longestWinStreak).toBe(15);
    // 29 trades: no SQN, no Z.
    const short = summarize(input(alternating.slice(0, 29)));
    expect([short.sqn, short.zScore]).toEqual([null, null]);
  });

  it("ends both streaks on a breakeven", () => {
    const s = summarize(input(series(["1", "1", "0", "1", "-1", "-1", "0", "-1"])));
    expect([s.longestWinStreak, s.longestLossStreak]).toEqual([2, 2]);
  });

  it("returns no NaN or Infinity anywhere", () => {
    for (const nets of [[], ["0"], ["5"], ["-5"], ["5", "-5"], ["-10000"], ["-20000", "5"]]) {
      const s = summarize(input(series(nets)));
      for (const value of Object.values(s)) {
        if (typeof value === "number") expect(Number.isFinite(value)).toBe(true);
      }
    }
  });

  it("leaves returns undefined once the balance before a trade is not positive", () => {
    // −20000 on 10000 leaves −10000: the second trade's return has no base.
    const s = summarize(input(series(["-20000", "5"])));
    expect([s.ahpr, s.ghpr]).toEqual([null, null]);
    // −10000 on 10000 (a total loss) is still defined: GHPR −100 %.
    const wiped = summarize(input(series(["-10000"])));
    expect([wiped.ahpr, wiped.ghpr]).toEqual([-1, -1]);
  });
});
