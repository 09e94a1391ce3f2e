import { describe, expect, it } from "vitest";
import { isFxWeekendClosed, nextFxWeekBoundary } from "./market-hours.ts";

describe("the FX week", () => {
  // US DST ends Sunday 1 November 2026: the FX week closes Friday 30 October at
  // 17:00 EDT (21:00 UTC) and reopens Sunday 1 November at 17:00 EST (22:00 UTC).
  it("closes Friday 17:00 and reopens Sunday 17:00 New York across the autumn DST change", () => {
    expect(isFxWeekendClosed(new Date("2026-10-30T20:59:00Z"))).toBe(false);
    expect(isFxWeekendClosed(new Date("2026-10-30T21:00:00Z"))).toBe(true);
    expect(isFxWeekendClosed(new Date("2026-11-01T21:59:00Z"))).toBe(true);
    expect(isFxWeekendClosed(new Date("2026-11-01T22:00:00Z"))).toBe(false);
    expect(nextFxWeekBoundary(new Date("2026-10-29T09:13:20Z"))).toEqual(new Date("2026-10-30T21:00:00Z"));
    expect(nextFxWeekBoundary(new Date("2026-10-30T21:00:00Z"))).toEqual(new Date("2026-11-01T22:00:00Z"));
  });

  // US DST starts Sunday 8 March 2026: closes Friday 6 March 17:00 EST (22:00
  // UTC), reopens Sunday 8 March 17:00 EDT (21:00 UTC).
  it("follows the spring DST change too", () => {
    expect(isFxWeekendClosed(new Date("2026-03-06T21:59:00Z"))).toBe(false);
    expect(isFxWeekendClosed(new Date("2026-03-06T22:00:00Z"))).toBe(true);
    expect(isFxWeekendClosed(new Date("2026-03-08T20:59:00Z"))).toBe(true);
    expect(isFxWeekendClosed(new Date("2026-03-08T21:00:00Z"))).toBe(false);
    expect(nextFxWeekBoundary(new Date("2026-03-07T12:00:00Z"))).toEqual(new Date("2026-03-08T21:00:00Z"));
  });
});
