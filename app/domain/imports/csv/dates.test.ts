import { describe, expect, it } from "vitest";
import { decideDayOrder, headerUtcOffsetMinutes, parseDateText, toUtc } from "./dates.ts";

const iso = (text: string, order: "dmy" | "mdy" = "dmy", column: number | null = null, zone = "NY+7") => {
  const parsed = parseDateText(text, order);
  return parsed ? toUtc(parsed, column, zone).at.toISOString() : null;
};

describe("parseDateText + toUtc", () => {
  it.each([
    // MetaTrader server time, NY+7 = UTC+3 in April 2025.
    ["2025.04.15 17:11:31", "dmy", "2025-04-15T14:11:31.000Z"],
    ["2025-04-15T14:11:31Z", "dmy", "2025-04-15T14:11:31.000Z"],
    ["2025-04-15T16:11:31+02:00", "dmy", "2025-04-15T14:11:31.000Z"],
    ["04/15/2025 5:11:31 PM", "mdy", "2025-04-15T14:11:31.000Z"],
    ["4/15/2025 12:05:00 AM", "mdy", "2025-04-14T21:05:00.000Z"],
    ["4/15/2025 12:05:00 PM", "mdy", "2025-04-15T09:05:00.000Z"],
    ["15.04.2025 17:11", "dmy", "2025-04-15T14:11:00.000Z"],
    ["15/04/2025", "dmy", "2025-04-14T21:00:00.000Z"],
    ["03 Jun 2026 14:34:12.258", "dmy", "2026-06-03T11:34:12.258Z"],
  ] as const)("%s (%s) → %s", (text, order, expected) => {
    expect(iso(text, order)).toBe(expected);
  });

  it.each(["2025.02.30 10:00", "31/04/2025", "2025-13-01", "13:00 PM 1/1/2025", "13/1/2025 13:00 PM", "yesterday", "2025.04.15 24:00"])(
    "rejects %j",
    (text) => {
      expect(parseDateText(text, "dmy")).toBeNull();
    },
  );

  it("rejects a month above 12 in month-first order", () => {
    expect(parseDateText("13/1/2025 1:00 PM", "mdy")).toBeNull();
  });

  it("uses the column's UTC offset instead of the server clock", () => {
    expect(iso("03 Jun 2026 14:34:12.258", "dmy", 180)).toBe("2026-06-03T11:34:12.258Z");
    expect(iso("2026-01-10 10:00:00", "dmy", -300)).toBe("2026-01-10T15:00:00.000Z");
  });
});

describe("decideDayOrder", () => {
  it("settles day-first and month-first from the whole column", () => {
    expect(decideDayOrder(["03/04/2025", "15/04/2025"])).toEqual({ order: "dmy", undecided: false, conflicting: false });
    expect(decideDayOrder(["03/04/2025", "04/15/2025"])).toEqual({ order: "mdy", undecided: false, conflicting: false });
  });

  it("reports an undecidable column and leans on AM/PM", () => {
    expect(decideDayOrder(["03/04/2025 10:00", "05/06/2025 11:00"])).toEqual({ order: "dmy", undecided: true, conflicting: false });
    expect(decideDayOrder(["3/4/2025 1:00:00 PM"])).toEqual({ order: "mdy", undecided: true, conflicting: false });
  });

  it("reports a column that mixes both", () => {
    expect(decideDayOrder(["13/04/2025", "04/13/2025"])).toMatchObject({ conflicting: true });
  });

  it("ignores year-first values", () => {
    expect(decideDayOrder(["2025.04.15 17:11:31"])).toEqual({ order: "dmy", undecided: false, conflicting: false });
  });
});

describe("headerUtcOffsetMinutes", () => {
  it.each([
    ["Closing Time (UTC+3)", 180],
    ["Opening time (UTC-6)", -360],
    ["Time (UTC)", 0],
    ["Open time GMT+05:30", 330],
    ["Close Time", null],
  ] as const)("%s → %s", (header, expected) => {
    expect(headerUtcOffsetMinutes(header)).toBe(expected);
  });
});
