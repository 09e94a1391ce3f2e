import { describe, expect, it } from "vitest";
import { median, overtradingDays } from "./overtrading.ts";
import { OVERTRADING_MEDIAN_MULTIPLE, OVERTRADING_MIN_ACTIVE_DAYS } from "./rules.ts";

const utc = { timeZone: "UTC", dayStartMinutes: 0 };
const fxNewYork = { timeZone: "America/New_York", dayStartMinutes: 17 * 60 };

/** `counts[i]` trades closed at noon UTC on consecutive days from 1 March 2026. */
function history(counts: number[]) {
  return counts.flatMap((count, i) => Array.from({ length: count }, () => ({ closedMs: Date.UTC(2026, 2, 1 + i, 12) })));
}

describe("overtrading days", () => {
  it("uses the documented thresholds", () => {
    expect(OVERTRADING_MEDIAN_MULTIPLE).toBe(2);
    expect(OVERTRADING_MIN_ACTIVE_DAYS).toBe(10);
  });

  it("takes the median of active days, the mean of the middle two for an even count", () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("flags a day with more than twice the median, not one with exactly twice", () => {
    // Median of [2 × 9 days, 4, 5] is 2: 5 > 4 flagged, 4 is exactly 2× and is not.
    const report = overtradingDays(history([2, 2, 2, 2, 2, 2, 2, 2, 2, 4, 5]), utc);
    expect(report).toMatchObject({ activeDays: 11, medianPerDay: 2, threshold: 4 });
    expect([...report.flaggedDays]).toEqual(["2026-03-11"]);
  });

  it("judges no day before 10 active days (days without trades do not count)", () => {
    const nine = overtradingDays(history([1, 1, 1, 1, 1, 1, 1, 1, 9]), utc);
    expect(nine).toMatchObject({ activeDays: 9, medianPerDay: 1, threshold: null });
    expect(nine.flaggedDays.size).toBe(0);
    const tenWithGaps = overtradingDays(history([1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 9]), utc);
    expect(tenWithGaps).toMatchObject({ activeDays: 10, threshold: 2 });
    expect([...tenWithGaps.flaggedDays]).toEqual(["2026-03-12"]);
  });

  it("counts only closed trades, on their close time's trading day", () => {
    const open = Array.from({ length: 20 }, () => ({ closedMs: null }));
    const report = overtradingDays([...history([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]), ...open], utc);
    expect(report.flaggedDays.size).toBe(0);
    expect(report.activeDays).toBe(10);
  });

  it("puts trades on the user's trading day across a DST change (17:00 New York)", () => {
    // 8 March 2026 US clocks go forward. Monday 9 March's FX day runs Sunday 21:00 UTC → Monday 21:00 UTC.
    // Three trades from Sunday 21:00 UTC to Monday 20:59 UTC fall on 9 March; one at Monday 21:00 UTC on 10 March.
    const days = overtradingDays(
      [
        { closedMs: Date.parse("2026-03-08T20:59:59Z") },
        { closedMs: Date.parse("2026-03-08T21:00:00Z") },
        { closedMs: Date.parse("2026-03-09T12:00:00Z") },
        { closedMs: Date.parse("2026-03-09T20:59:59Z") },
        { closedMs: Date.parse("2026-03-09T21:00:00Z") },
      ],
      fxNewYork,
    ).countByDay;
    expect(Object.fromEntries(days)).toEqual({ "2026-03-08": 1, "2026-03-09": 3, "2026-03-10": 1 });
  });
});
