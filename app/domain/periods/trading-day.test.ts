import { describe, expect, it } from "vitest";
import { addDays, tradingDayOf, tradingDayStart, weekdayOf } from "./trading-day.ts";

const midnightLondon = { timeZone: "Europe/London", dayStartMinutes: 0 };
const fxNewYork = { timeZone: "America/New_York", dayStartMinutes: 17 * 60 };

describe("trading day", () => {
  it("is the local date with a midnight start", () => {
    // 23:30 UTC on 14 July is 00:30 BST on 15 July.
    expect(tradingDayOf(new Date("2026-07-14T23:30:00Z"), midnightLondon)).toBe("2026-07-15");
    expect(tradingDayOf(new Date("2026-01-14T23:30:00Z"), midnightLondon)).toBe("2026-01-14");
    expect(tradingDayStart("2026-07-15", midnightLondon)).toEqual(new Date("2026-07-14T23:00:00Z"));
  });

  it("names a day that starts at 17:00 New York after the date it ends on (the FX convention)", () => {
    // Monday 16:59 EST → Monday; Monday 17:00 EST → Tuesday.
    expect(tradingDayOf(new Date("2026-01-12T21:59:00Z"), fxNewYork)).toBe("2026-01-12");
    expect(tradingDayOf(new Date("2026-01-12T22:00:00Z"), fxNewYork)).toBe("2026-01-13");
    // Tuesday's day starts Monday 17:00 EST = 22:00 UTC (21:00 UTC in summer).
    expect(tradingDayStart("2026-01-13", fxNewYork)).toEqual(new Date("2026-01-12T22:00:00Z"));
    expect(tradingDayStart("2026-07-14", fxNewYork)).toEqual(new Date("2026-07-13T21:00:00Z"));
  });

  it("stays right across the US change dates", () => {
    // 8 March 2026 US clocks go forward: Monday 9 March's day starts Sunday 17:00 EDT = 21:00 UTC.
    expect(tradingDayStart("2026-03-09", fxNewYork)).toEqual(new Date("2026-03-08T21:00:00Z"));
    expect(tradingDayOf(new Date("2026-03-08T21:00:00Z"), fxNewYork)).toBe("2026-03-09");
    expect(tradingDayOf(new Date("2026-03-08T20:59:59Z"), fxNewYork)).toBe("2026-03-08");
    // 1 November 2026 back: Monday 2 November's day starts Sunday 17:00 EST = 22:00 UTC.
    expect(tradingDayStart("2026-11-02", fxNewYork)).toEqual(new Date("2026-11-01T22:00:00Z"));
  });

  it("round-trips: every instant lies in the day whose start is at or before it and whose successor starts after it", () => {
    for (const rule of [midnightLondon, fxNewYork, { timeZone: "Asia/Tokyo", dayStartMinutes: 7 * 60 }, { timeZone: "UTC", dayStartMinutes: 0 }]) {
      for (let ms = Date.parse("2026-02-25T00:00:00Z"); ms < Date.parse("2026-04-05T00:00:00Z"); ms += 37 * 60_000) {
        const day = tradingDayOf(ms, rule);
        expect(tradingDayStart(day, rule).getTime()).toBeLessThanOrEqual(ms);
        expect(tradingDayStart(addDays(day, 1), rule).getTime()).toBeGreaterThan(ms);
      }
    }
  });

  it("counts weekdays from Monday", () => {
    expect(weekdayOf("2026-12-07")).toBe(0);
    expect(weekdayOf("2026-12-06")).toBe(6);
  });
});
