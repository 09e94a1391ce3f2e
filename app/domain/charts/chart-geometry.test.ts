// Bars found by time, the padded span, and live bars merged in order.
import { describe, expect, it } from "vitest";
import { barIndexAt, mergeCandle, priceExtentBetween, spanRange } from "./chart-geometry.ts";

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

describe("priceExtentBetween", () => {
  const placed = { times: [100, 200, 200, 300, 400], prices: [1.1, 1.3, 1.0, 1.2, 1.5] };

  it("takes the lowest and highest price placed inside the range, both ends included", () => {
    expect(priceExtentBetween(placed, 200, 300)).toEqual({ min: 1.0, max: 1.3 });
    expect(priceExtentBetween(placed, 0, 1_000)).toEqual({ min: 1.0, max: 1.5 });
    expect(priceExtentBetween(placed, 400, 400)).toEqual({ min: 1.5, max: 1.5 });
  });

  it("is null when nothing is placed in the range", () => {
    expect(priceExtentBetween(placed, 201, 299)).toBeNull();
    expect(priceExtentBetween(placed, 500, 600)).toBeNull();
    expect(priceExtentBetween({ times: [], prices: [] }, 0, 1)).toBeNull();
  });
});
