import { describe, expect, it } from "vitest";
import { isoWeekKey, planRetention } from "./retention.ts";

const at = (iso: string) => new Date(iso);
const iso = (dates: Date[]) => dates.map((d) => d.toISOString().slice(0, 10));

/** One copy at 03:00 UTC on each day from `from`, `days` days long. */
function nightly(from: string, days: number): Date[] {
  const start = at(`${from}T03:00:00Z`).getTime();
  return Array.from({ length: days }, (_, i) => new Date(start + i * 86_400_000));
}

describe("isoWeekKey", () => {
  it("puts a year's first days in the previous ISO year's last week when the week starts there", () => {
    expect(isoWeekKey(at("2027-01-01T12:00:00Z"))).toBe("2026-W53");
    expect(isoWeekKey(at("2026-12-07T00:00:00Z"))).toBe("2026-W50");
    expect(isoWeekKey(at("2026-12-06T23:59:59Z"))).toBe("2026-W49");
  });
});

describe("planRetention", () => {
  it("keeps 7 daily, 4 weekly and 12 monthly copies out of a year and a half of nightly backups", () => {
    const copies = nightly("2025-06-01", 550); // through 2026-12-02
    const { keep, remove } = planRetention(copies);
    expect(keep.length + remove.length).toBe(550);
    const kept = iso(keep);
    // the last seven nights
    expect(kept.slice(0, 7)).toEqual(["2026-12-02", "2026-12-01", "2026-11-30", "2026-11-29", "2026-11-28", "2026-11-27", "2026-11-26"]);
    // the newest copy of each of the last 4 ISO weeks (W49 and W48 already among the dailies)
    expect(kept).toContain("2026-11-22"); // Sunday ending W47
    expect(kept).toContain("2026-11-15"); // Sunday ending W46
    expect(kept).not.toContain("2026-11-08");
    // the newest copy of each of the last 12 months: month ends back to 2026-01-31
    for (const monthEnd of ["2026-10-31", "2026-09-30", "2026-01-31"]) expect(kept).toContain(monthEnd);
    expect(kept).not.toContain("2025-12-31");
    // 12 months = December and November (their newest copies are dailies) + October back to January
    expect(kept).toHaveLength(7 + 2 + 10);
    expect(iso(remove)).toContain("2025-06-01");
  });

  it("keeps only the newest of several copies taken the same day", () => {
    const { keep, remove } = planRetention([at("2026-12-06T03:00:00Z"), at("2026-12-06T15:00:00Z")]);
    expect(keep.map((d) => d.toISOString())).toEqual(["2026-12-06T15:00:00.000Z"]);
    expect(remove.map((d) => d.toISOString())).toEqual(["2026-12-06T03:00:00.000Z"]);
  });

  it("counts days that have a copy, so a gap in the schedule does not delete older copies", () => {
    const copies = [...nightly("2026-11-01", 5), ...nightly("2026-11-20", 3)];
    expect(planRetention(copies, { daily: 7, weekly: 0, monthly: 0 }).keep.map((d) => d.toISOString().slice(0, 10))).toEqual([
      "2026-11-22",
      "2026-11-21",
      "2026-11-20",
      "2026-11-05",
      "2026-11-04",
      "2026-11-03",
      "2026-11-02",
    ]);
  });

  it("keeps nothing when every rule is zero and everything when there is one copy", () => {
    expect(planRetention(nightly("2026-01-01", 3), { daily: 0, weekly: 0, monthly: 0 }).keep).toEqual([]);
    expect(planRetention([at("2026-01-01T00:00:00Z")]).keep).toHaveLength(1);
  });
});
