import { describe, expect, it } from "vitest";
import { resolvePeriod } from "./period.ts";

const utc = { timeZone: "UTC", dayStartMinutes: 0 };
const fx = { timeZone: "America/New_York", dayStartMinutes: 17 * 60 };
// Sunday 6 December 2026, 14:00 UTC.
const now = new Date("2026-12-06T14:00:00Z");

describe("analytics periods", () => {
  it("resolves calendar periods and the one before each", () => {
    expect(resolvePeriod("today", now, utc)).toMatchObject({
      days: { firstDay: "2026-12-06", lastDay: "2026-12-06" },
      previous: { days: { firstDay: "2026-12-05" } },
    });
    expect(resolvePeriod("week", now, utc).days).toEqual({ firstDay: "2026-11-30", lastDay: "2026-12-06" });
    expect(resolvePeriod("month", now, utc)).toMatchObject({
      days: { firstDay: "2026-12-01", lastDay: "2026-12-31" },
      from: new Date("2026-12-01T00:00:00Z"),
      to: new Date("2027-01-01T00:00:00Z"),
      previous: { days: { firstDay: "2026-11-01", lastDay: "2026-11-30" } },
    });
    expect(resolvePeriod("last-month", now, utc)).toMatchObject({
      days: { firstDay: "2026-11-01", lastDay: "2026-11-30" },
      previous: { days: { firstDay: "2026-10-01", lastDay: "2026-10-31" } },
    });
    expect(resolvePeriod("quarter", now, utc)).toMatchObject({
      days: { firstDay: "2026-10-01", lastDay: "2026-12-31" },
      previous: { days: { firstDay: "2026-07-01", lastDay: "2026-09-30" } },
    });
    expect(resolvePeriod("year", now, utc)).toMatchObject({
      days: { firstDay: "2026-01-01", lastDay: "2026-12-31" },
      previous: { days: { firstDay: "2025-01-01", lastDay: "2025-12-31" } },
    });
    expect(resolvePeriod("all", now, utc)).toEqual({ key: "all", days: null, from: null, to: null, previous: null });
  });

  it("uses the trading day: at 17:30 New York on 31 January the FX day is already 1 February", () => {
    const late = new Date("2026-01-31T22:30:00Z");
    const month = resolvePeriod("month", late, fx);
    expect(month.days).toEqual({ firstDay: "2026-02-01", lastDay: "2026-02-28" });
    expect(month.from).toEqual(new Date("2026-01-31T22:00:00Z"));
  });

  it("takes a custom range inclusive, swapped when backwards, with an equally long previous period", () => {
    const custom = resolvePeriod("custom", now, utc, { from: "2026-11-10", to: "2026-11-01" });
    expect(custom.days).toEqual({ firstDay: "2026-11-01", lastDay: "2026-11-10" });
    expect(custom.to).toEqual(new Date("2026-11-11T00:00:00Z"));
    expect(custom.previous?.days).toEqual({ firstDay: "2026-10-22", lastDay: "2026-10-31" });
  });
});
