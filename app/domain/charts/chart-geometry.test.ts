// Bars found by time, the padded span, and live bars merged in order.
import { describe, expect, it } from "vitest";
import { barIndexAt, mergeCandle, spanRange } from "./chart-geometry.ts";

const bar = (time: number, close = 1) => ({ time, open: 1, high: 2, low: 0.5, close });
const bars = [bar(100), bar(200), bar(300), bar(400)];

describe("barIndexAt", () => {
  it("finds the bar containing a time (a leg rarely lands on a bar's open)", () => {
    expect(barIndexAt(bars, 100)).toBe(0);
    expect(barIndexAt(bars, 299)).toBe(1);
    expect(barIndexAt(bars, 300)).toBe(2);
    expect(barIndexAt(bars, 10_000)).toBe(3);
    expect(barIndexAt(bars, 5)).toBe(0);
    expect(barIndexAt([], 5)).toBe(-1);
  });
});

describe("spanRange", () => {
  it("shows the span with at least 12 bars either side, a third of its width when wider", () => {
    expect(spanRange(bars, { from: 150, to: 350 })).toEqual({ from: -12, to: 14 });
    const many = Array.from({ length: 200 }, (_, i) => bar(i * 60));
    // Bars 30..119 (90 bars): padding 30.
    expect(spanRange(many, { from: 30 * 60, to: 119 * 60 + 10 })).toEqual({ from: 0, to: 149 });
    expect(spanRange([], { from: 0, to: 1 })).toBeNull();
  });
});

describe("mergeCandle", () => {
  it("replaces the forming bar, appends a new one, inserts a late one in order, and copies", () => {
    const replaced = mergeCandle(bars, bar(400, 9));
    expect(replaced.map((b) => [b.time, b.close])).toEqual([
      [100, 1],
      [200, 1],
      [300, 1],
      [400, 9],
    ]);
    expect(bars[3]!.close).toBe(1);
    expect(mergeCandle(bars, bar(500)).map((b) => b.time)).toEqual([100, 200, 300, 400, 500]);
    expect(mergeCandle(bars, bar(250)).map((b) => b.time)).toEqual([100, 200, 250, 300, 400]);
    expect(mergeCandle(bars, bar(50)).map((b) => b.time)).toEqual([50, 100, 200, 300, 400]);
    expect(mergeCandle([], bar(50)).map((b) => b.time)).toEqual([50]);
  });
});
