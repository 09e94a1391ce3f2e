import { describe, expect, it } from "vitest";
import { balanceCurve } from "./balance-curve.ts";
import { BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, bootstrapMeanInterval, EXACT_BOOTSTRAP_MAX_TRADES, mulberry32 } from "./bootstrap.ts";
import { breakdown } from "./breakdown.ts";
import { calendarMonths, dailyNet } from "./daily.ts";
import { decimateCurve } from "./decimate.ts";
import { dayHourHeatmap } from "./heatmap.ts";
import { netOf } from "./net.ts";
import { cash, input, trade } from "./test-support.ts";
import type { CurvePoint } from "./types.ts";

const data = input(
  [
    trade("a", "2026-01-05T14:00:00Z", "2026-01-05T14:03:00Z", {
      profit: "10.50",
      tags: ["breakout", "news"],
      session: "london",
      initialRisk: "5.25",
    }),
    trade("b", "2026-01-05T14:10:00Z", "2026-01-05T15:10:00Z", { profit: "-4", symbol: "XAUUSD", direction: "sell", tags: ["breakout"] }),
    trade("c", "2026-01-06T22:00:00Z", "2026-01-16T22:00:00Z", { profit: "0.25", commission: "-0.25" }),
    trade("d", "2026-01-31T10:00:00Z", "2026-02-02T10:00:00Z", { profit: "3.125", tags: ["news", "news"] }),
  ],
  { cash: [cash("dep", "2026-01-05T15:10:00Z", "1000"), cash("wd", "2026-01-20T00:00:00Z", "-250.5")] },
);

describe("netOf", () => {
  it("adds exactly at any precision", () => {
    expect(netOf({ profit: "0.1", commission: "0.2", swap: "-0.3", fee: "0" })).toBe("0");
    expect(netOf({ profit: "123456789012345678.01", commission: "-0.015", swap: "0", fee: "-1" })).toBe("123456789012345676.995");
  });
});

describe("balanceCurve", () => {
  it("interleaves cash and trades, cash first at the same instant", () => {
    const curve = balanceCurve(data);
    expect(curve.map((p) => [p.kind, p.refId, p.balance, p.drawdown])).toEqual([
      ["start", null, "10000", "0"],
      ["trade", "a", "10010.5", "0"],
      ["cash", "dep", "11010.5", "0"], // 15:10, same instant as b: first
      ["trade", "b", "11006.5", "4"],
      ["trade", "c", "11006.5", "4"], // net 0
      ["cash", "wd", "10756", "4"], // a withdrawal is not a drawdown
      ["trade", "d", "10759.125", "0.875"],
    ]);
    expect(curve[3]!.drawdownPercent).toBeCloseTo((100 * 4) / 11010.5, 12);
    expect(curve[0]!.at).toEqual(data.trades[0]!.closedAt);
  });

  it("thins to the same points decimateCurve keeps, formatting only those", () => {
    const many = input(
      Array.from({ length: 500 }, (_, i) =>
        trade(
          `t${String(i).padStart(3, "0")}`,
          new Date(Date.UTC(2026, 0, 5) + i * 60_000).toISOString(),
          new Date(Date.UTC(2026, 0, 5) + i * 60_000 + 30_000).toISOString(),
          {
            profit: String(Math.round(Math.sin(i / 7) * 100 + (i === 250 ? -5000 : 0))),
          },
        ),
      ),
    );
    const thin = balanceCurve(many, { maxPoints: 50 });
    expect(thin).toEqual(decimateCurve(balanceCurve(many), 50));
    expect(thin.length).toBeLessThanOrEqual(50);
    const full = balanceCurve(many);
    const deepest = full.reduce((a, p) => (Number(p.drawdown) > Number(a.drawdown) ? p : a));
    expect(thin).toContainEqual(deepest); // the deepest trough survives (the −5000 trade starts it)
  });
});

describe("dailyNet and calendarMonths", () => {
  it("sums trades per trading day and per Monday-first week of each month", () => {
    const days = dailyNet(data);
    expect(days).toEqual([
      { day: "2026-01-05", net: "6.5", trades: 2 },
      { day: "2026-01-16", net: "0", trades: 1 },
      { day: "2026-02-02", net: "3.125", trades: 1 },
    ]);
    const [january, february] = calendarMonths(days);
    expect(january).toMatchObject({ month: "2026-01", net: "6.5", trades: 3 });
    // January 2026 starts on a Thursday: rows from Monday 2025-12-29 to Monday 2026-01-26.
    expect(january!.weeks.map((w) => [w.start, w.net, w.trades])).toEqual([
      ["2025-12-29", "0", 0],
      ["2026-01-05", "6.5", 2],
      ["2026-01-12", "0", 1],
      ["2026-01-19", "0", 0],
      ["2026-01-26", "0", 0],
    ]);
    // 2026-02-01 is a Sunday: rows 26 Jan (1 Feb only), 2, 9, 16, 23 Feb (to Saturday 28).
    expect(february!.weeks.map((w) => [w.start, w.net, w.trades])).toEqual([
      ["2026-01-26", "0", 0],
      ["2026-02-02", "3.125", 1],
      ["2026-02-09", "0", 0],
      ["2026-02-16", "0", 0],
      ["2026-02-23", "0", 0],
    ]);
  });
});

describe("breakdown", () => {
  it("counts a trade once in each distinct tag and keeps untagged trades", () => {
    const rows = breakdown(data, "tag");
    expect(rows.map((r) => [r.key, r.label, r.trades, r.net])).toEqual([
      ["breakout", "breakout", 2, "6.5"],
      ["news", "news", 2, "13.625"],
      ["", "Untagged", 1, "0"],
    ]);
    expect(rows[0]).toMatchObject({ wins: 1, winRate: 0.5, expectancy: "3.25", profitFactor: 10.5 / 4, averageR: 2, smallSample: true });
  });

  it("buckets durations, directions, weekdays and hours by open time", () => {
    const durations = breakdown(data, "duration");
    // a 3 min, b 1 h, d 2 days, c 10 days
    expect(durations.map((r) => r.trades)).toEqual([1, 0, 1, 0, 0, 1, 1]);
    expect(durations[1]).toMatchObject({ trades: 0, winRate: null, expectancy: null, profitFactor: null, net: "0" });
    expect(breakdown(data, "direction").map((r) => r.trades)).toEqual([3, 1]);
    const ny = { timeZone: "America/New_York", dayStartMinutes: 1020 };
    const weekdays = breakdown(data, "weekday", ny);
    expect(weekdays.map((r) => r.trades)).toEqual([2, 1, 0, 0, 0, 1, 0]); // c opens Tue 17:00 NY, d Sat 05:00 NY
    const hours = breakdown(data, "hour", ny);
    expect(hours[9]!.trades).toBe(2); // 14:00Z and 14:10Z are 09:xx EST
    expect(breakdown(data, "session").map((r) => r.key)).toEqual(["", "london"]);
    expect(breakdown(data, "symbol").map((r) => [r.key, r.trades])).toEqual([
      ["EURUSD", 3],
      ["XAUUSD", 1],
    ]);
  });

  it("fills a 7 × 24 heatmap by open time", () => {
    const cells = dayHourHeatmap(data, { timeZone: "America/New_York", dayStartMinutes: 1020 });
    expect(cells).toHaveLength(168);
    expect(cells[9]).toEqual({ weekday: 0, hour: 9, net: "6.5", trades: 2 });
    expect(cells.reduce((n, c) => n + c.trades, 0)).toBe(4);
  });
});

describe("bootstrap", () => {
  it("is deterministic and contains the mean", () => {
    const random = mulberry32(1);
    const values = Float64Array.from({ length: 500 }, () => (random() - 0.45) * 100);
    const mean = values.reduce((a, b) => a + b) / values.length;
    const first = bootstrapMeanInterval(values)!;
    expect(bootstrapMeanInterval(values)).toEqual(first);
    expect(first.low).toBeLessThan(mean);
    expect(first.high).toBeGreaterThan(mean);
  });

  it("resamples exactly as its definition: mulberry32(BOOTSTRAP_SEED) draws, every mean sorted, type-7 percentiles", () => {
    // The definition written plainly; the product's loop inlines the generator and selects the percentiles.
    const definition = (values: Float64Array) => {
      const random = mulberry32(BOOTSTRAP_SEED);
      const means = new Float64Array(BOOTSTRAP_RESAMPLES);
      for (let b = 0; b < BOOTSTRAP_RESAMPLES; b++) {
        let total = 0;
        for (let i = 0; i < values.length; i++) total += values[(random() * values.length) | 0]!;
        means[b] = total / values.length;
      }
      means.sort();
      const at = (p: number) => {
        const position = p * (means.length - 1);
        const below = Math.floor(position);
        return means[below]! + (means[below + 1]! - means[below]!) * (position - below);
      };
      return { low: at(0.025), high: at(0.975) };
    };
    const random = mulberry32(7);
    const samples = [
      Float64Array.of(12.5),
      Float64Array.of(-3, 7),
      new Float64Array(40).fill(5), // every mean equal
      Float64Array.from({ length: 97 }, () => Math.round(random() * 3)), // many ties
      Float64Array.from({ length: 333 }, () => Math.round((random() - 0.45) * 40_000) / 100),
      Float64Array.from({ length: EXACT_BOOTSTRAP_MAX_TRADES }, () => (random() < 0.2 ? 40 + random() * 200 : -10 - random() * 10)),
    ];
    for (const values of samples) expect(bootstrapMeanInterval(values), `${values.length} values`).toEqual(definition(values));
  });

  it("gives the same interval from the bootstrap distribution's moments above the resampling limit", () => {
    // Skewed P&L (many small losses, few big wins), just under and just over the limit.
    const random = mulberry32(99);
    const values = Float64Array.from({ length: EXACT_BOOTSTRAP_MAX_TRADES + 1 }, () => (random() < 0.2 ? 40 + random() * 200 : -10 - random() * 10));
    const moments = bootstrapMeanInterval(values)!;
    const resampled = bootstrapMeanInterval(values.subarray(0, EXACT_BOOTSTRAP_MAX_TRADES))!;
    const sd =
      Math.sqrt(values.reduce((a, x) => a + x * x, 0) / values.length - (values.reduce((a, x) => a + x, 0) / values.length) ** 2) /
      Math.sqrt(values.length);
    // Within 0.1 bootstrap standard deviations at both ends (the Monte-Carlo noise is ≈ 0.03).
    expect(Math.abs(moments.low - resampled.low)).toBeLessThan(0.1 * sd);
    expect(Math.abs(moments.high - resampled.high)).toBeLessThan(0.1 * sd);
  });
});

describe("decimateCurve", () => {
  it("keeps the ends, peaks and drawdown troughs", () => {
    const points: CurvePoint[] = Array.from({ length: 1000 }, (_, i) => {
      const balance = i === 500 ? 50 : 1000 + i;
      return { at: new Date(i), balance: String(balance), drawdown: i === 500 ? "999" : "0", drawdownPercent: 0, kind: "trade", refId: String(i) };
    });
    const thin = decimateCurve(points, 62);
    expect(thin.length).toBeLessThanOrEqual(62);
    expect(thin[0]).toBe(points[0]);
    expect(thin.at(-1)).toBe(points[999]);
    expect(thin).toContain(points[500]);
    expect(thin.map((p) => p.at.getTime())).toEqual([...thin.map((p) => p.at.getTime())].sort((a, b) => a - b));
    expect(decimateCurve(points.slice(0, 10), 62)).toHaveLength(10);
  });
});

describe("money text", () => {
  it("formats units exactly without trailing zeros", async () => {
    const { formatUnits } = await import("./money.ts");
    const cases: [number | bigint, number, string][] = [
      [0, 2, "0"],
      [-0, 2, "0"],
      [5, 2, "0.05"],
      [-5, 2, "-0.05"],
      [150, 2, "1.5"],
      [-100, 2, "-1"],
      [123456789012345, 2, "1234567890123.45"],
      [1, 12, "0.000000000001"],
      [7, 0, "7"],
      [-120n, 1, "-12"],
      [10n ** 30n + 1n, 3, "1000000000000000000000000000.001"],
    ];
    for (const [units, decimals, text] of cases) expect(formatUnits(units, decimals)).toBe(text);
  });
});
