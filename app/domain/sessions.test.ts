import { describe, expect, it } from "vitest";
import { isMarketOpen, sessionTag } from "./sessions.ts";

const at = (iso: string) => new Date(iso);

describe("sessionTag", () => {
  it.each([
    // Winter: London = UTC, New York = UTC-5.
    ["2026-01-14T07:59:00Z", "asian"],
    ["2026-01-14T08:00:00Z", "london"],
    ["2026-01-14T12:59:00Z", "london"],
    ["2026-01-14T13:00:00Z", "overlap"],
    ["2026-01-14T16:59:00Z", "overlap"],
    ["2026-01-14T17:00:00Z", "newyork"],
    ["2026-01-14T21:59:00Z", "newyork"],
    ["2026-01-14T22:00:00Z", "late-ny"],
    ["2026-01-14T23:59:00Z", "late-ny"],
    ["2026-01-15T00:00:00Z", "asian"],
    // Summer: London = UTC+1, New York = UTC-4: every boundary one hour earlier.
    ["2026-07-15T06:59:00Z", "asian"],
    ["2026-07-15T07:00:00Z", "london"],
    ["2026-07-15T12:00:00Z", "overlap"],
    ["2026-07-15T15:59:00Z", "overlap"],
    ["2026-07-15T16:00:00Z", "newyork"],
    ["2026-07-15T21:00:00Z", "late-ny"],
  ])("%s is %s", (iso, tag) => {
    expect(sessionTag(at(iso))).toBe(tag);
  });

  it("the three weeks when New York has switched and London has not (March 2026)", () => {
    // 2026-03-08 US switches to EDT; 2026-03-29 UK switches to BST.
    expect(sessionTag(at("2026-03-16T12:00:00Z"))).toBe("overlap"); // NY 08:00 EDT, London 12:00 GMT
    expect(sessionTag(at("2026-03-16T11:59:00Z"))).toBe("london");
    expect(sessionTag(at("2026-03-16T16:59:00Z"))).toBe("overlap"); // London 16:59 GMT
    expect(sessionTag(at("2026-03-16T17:00:00Z"))).toBe("newyork");
    expect(sessionTag(at("2026-03-16T21:00:00Z"))).toBe("late-ny"); // NY 17:00 EDT
  });

  it("Sydney's own DST (opposite season) does not move the tags", () => {
    expect(isMarketOpen("sydney", at("2026-01-14T20:00:00Z"))).toBe(true); // 07:00 AEDT
    expect(isMarketOpen("sydney", at("2026-07-14T20:00:00Z"))).toBe(false); // 06:00 AEST
    expect(isMarketOpen("sydney", at("2026-07-14T21:00:00Z"))).toBe(true);
  });
});
