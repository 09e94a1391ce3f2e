import { describe, expect, it } from "vitest";
import { MAX_RANGE_MS, MERGE_GAP_BARS, planBarRanges, tradeReads } from "./fetch-plan.ts";

const at = (iso: string) => Date.parse(iso);
const trade = (id: string, symbol: string, open: string, close: string) => ({ id, symbol, openedMs: at(open), closedMs: at(close) });

describe("planBarRanges", () => {
  it("merges a symbol's trades that lie close together into one range, from the entry's bar to the last exit", () => {
    const ranges = planBarRanges(
      [
        trade("b", "EURUSD", "2026-03-02T10:40:00Z", "2026-03-02T11:00:00Z"), // starts 25 min after a's exit: merged
        trade("a", "EURUSD", "2026-03-02T10:00:30Z", "2026-03-02T10:15:00Z"),
        trade("c", "EURUSD", "2026-03-02T12:00:00Z", "2026-03-02T12:01:00Z"), // 60 min gap: a new range
        trade("d", "USDJPY", "2026-03-02T10:05:00Z", "2026-03-02T10:06:00Z"),
      ],
      "M1",
    );
    expect(ranges).toEqual([
      { symbol: "EURUSD", timeframe: "M1", fromMs: at("2026-03-02T10:00:00Z"), toMs: at("2026-03-02T11:00:00Z"), tradeIds: ["a", "b"] },
      { symbol: "EURUSD", timeframe: "M1", fromMs: at("2026-03-02T12:00:00Z"), toMs: at("2026-03-02T12:01:00Z"), tradeIds: ["c"] },
      { symbol: "USDJPY", timeframe: "M1", fromMs: at("2026-03-02T10:05:00Z"), toMs: at("2026-03-02T10:06:00Z"), tradeIds: ["d"] },
    ]);
    expect(MERGE_GAP_BARS).toBe(30);
  });

  it("starts M5 ranges on a five-minute bar and splits a range that would grow past its cap", () => {
    const [m5] = planBarRanges([trade("a", "EURUSD", "2026-03-02T10:03:10Z", "2026-03-02T10:04:00Z")], "M5");
    expect(m5!.fromMs).toBe(at("2026-03-02T10:00:00Z"));
    // Back-to-back trades every 6 hours for 30 days: ranges never span more than the cap.
    const many = Array.from({ length: 120 }, (_, i) => ({
      id: String(i),
      symbol: "EURUSD",
      openedMs: at("2026-03-02T00:00:00Z") + i * 6 * 3600_000,
      closedMs: at("2026-03-02T00:00:00Z") + i * 6 * 3600_000 + 5.9 * 3600_000,
    }));
    const ranges = planBarRanges(many, "M1");
    expect(ranges.length).toBeGreaterThan(2);
    for (const range of ranges) expect(range.toMs - range.fromMs).toBeLessThanOrEqual(MAX_RANGE_MS);
    expect(ranges.flatMap((range) => range.tradeIds)).toHaveLength(120);
  });
});

describe("tradeReads", () => {
  it("reads a trade under an hour on M1 whole", () => {
    expect(tradeReads(trade("a", "EURUSD", "2026-03-02T10:00:30Z", "2026-03-02T10:59:00Z"))).toEqual({
      m1: [{ id: "a:m1", symbol: "EURUSD", openedMs: at("2026-03-02T10:00:30Z"), closedMs: at("2026-03-02T10:59:00Z") }],
      m5: [],
    });
  });

  it("reads a long trade's ends on M1 and the whole M5 bars between on M5", () => {
    // 10:02:30 → 11:43:10: M1 bars 10:02–10:04, M5 bars 10:05–11:35 (the last whole one), M1 bars 11:40–11:43.
    expect(tradeReads(trade("b", "EURUSD", "2026-03-02T10:02:30Z", "2026-03-02T11:43:10Z"))).toEqual({
      m1: [
        { id: "b:head", symbol: "EURUSD", openedMs: at("2026-03-02T10:02:30Z"), closedMs: at("2026-03-02T10:04:00Z") },
        { id: "b:tail", symbol: "EURUSD", openedMs: at("2026-03-02T11:40:00Z"), closedMs: at("2026-03-02T11:43:10Z") },
      ],
      m5: [{ id: "b:mid", symbol: "EURUSD", openedMs: at("2026-03-02T10:05:00Z"), closedMs: at("2026-03-02T11:35:00Z") }],
    });
    // Opened on a five-minute boundary: no head.
    expect(tradeReads(trade("c", "EURUSD", "2026-03-02T10:05:00Z", "2026-03-02T11:10:00Z")).m1.map((w) => w.id)).toEqual(["c:tail"]);
  });
});
