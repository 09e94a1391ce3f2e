import { describe, expect, it } from "vitest";
import { wallClockOffsetMs, WallClockError } from "./wall-clock.server.ts";

describe("wall clock", () => {
  it("is the system clock when nothing is set", () => {
    expect(wallClockOffsetMs({})).toBe(0);
  });

  it("turns RAWJOURNAL_CLOCK into an offset that makes now read that instant", () => {
    const saturday = "2026-12-05T12:00:00Z";
    const offset = wallClockOffsetMs({ RAWJOURNAL_CLOCK: saturday });
    expect(Math.abs(Date.now() + offset - Date.parse(saturday))).toBeLessThan(1_000);
  });

  it("prefers the offset a parent process handed down, so children share one clock", () => {
    expect(wallClockOffsetMs({ RAWJOURNAL_CLOCK: "2026-12-05T12:00:00Z", RAWJOURNAL_CLOCK_OFFSET_MS: "-86400000" })).toBe(-86_400_000);
  });

  it("refuses an instant without a zone and a malformed offset, naming the variable", () => {
    expect(() => wallClockOffsetMs({ RAWJOURNAL_CLOCK: "2026-12-05 12:00" })).toThrow(WallClockError);
    expect(() => wallClockOffsetMs({ RAWJOURNAL_CLOCK: "saturday" })).toThrow(/RAWJOURNAL_CLOCK must be an ISO-8601 instant/);
    expect(() => wallClockOffsetMs({ RAWJOURNAL_CLOCK_OFFSET_MS: "soon" })).toThrow(/RAWJOURNAL_CLOCK_OFFSET_MS must be a number/);
  });
});
