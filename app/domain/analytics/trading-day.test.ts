import { describe, expect, it } from "vitest";
import { dayLabelShiftMinutes, tradingDay, wallWeekdayHour } from "./trading-day.ts";

const NY_FX = { timeZone: "America/New_York", dayStartMinutes: 1020 };
const LONDON = { timeZone: "Europe/London", dayStartMinutes: 0 };
const day = (iso: string, rule = NY_FX) => tradingDay(new Date(iso), rule);

describe("tradingDay", () => {
  it("puts a trade closed after 17:00 New York on the next day", () => {
    expect(day("2026-03-09T21:30:00Z")).toBe("2026-03-10"); // Monday 17:30 EDT → Tuesday
    expect(day("2026-03-09T20:59:00Z")).toBe("2026-03-09"); // Monday 16:59 EDT
    expect(day("2026-01-05T22:00:00Z")).toBe("2026-01-06"); // Monday 17:00 EST → Tuesday
    expect(day("2026-01-05T21:59:59Z")).toBe("2026-01-05");
  });

  it("follows the US clock change of 2026-03-08", () => {
    expect(day("2026-03-06T21:59:00Z")).toBe("2026-03-06"); // Friday 16:59 EST
    expect(day("2026-03-07T21:30:00Z")).toBe("2026-03-07"); // Saturday 16:30 EST
    expect(day("2026-03-08T21:00:00Z")).toBe("2026-03-09"); // Sunday 17:00 EDT opens Monday
    expect(day("2026-03-08T20:59:00Z")).toBe("2026-03-08"); // Sunday 16:59 EDT
    expect(day("2026-03-08T06:30:00Z")).toBe("2026-03-08"); // 01:30 EST, before the change
    expect(day("2026-03-08T07:30:00Z")).toBe("2026-03-08"); // 03:30 EDT, after it
  });

  it("follows the EU clock change of 2026-03-29 with midnight days", () => {
    expect(day("2026-03-28T23:30:00Z", LONDON)).toBe("2026-03-28"); // 23:30 GMT
    expect(day("2026-03-29T23:30:00Z", LONDON)).toBe("2026-03-30"); // 00:30 BST
    expect(day("2026-10-25T00:30:00Z", LONDON)).toBe("2026-10-25"); // 01:30 BST, the first of two
    expect(day("2026-10-25T01:30:00Z", LONDON)).toBe("2026-10-25"); // 01:30 GMT
  });

  it("labels a day by the date holding most of its hours", () => {
    expect(dayLabelShiftMinutes(0)).toBe(0);
    expect(dayLabelShiftMinutes(60)).toBe(-60); // 01:00 start: the start date
    expect(dayLabelShiftMinutes(720)).toBe(-720);
    expect(dayLabelShiftMinutes(1020)).toBe(420); // 17:00 start: the end date
    expect(day("2026-01-05T00:30:00Z", { timeZone: "UTC", dayStartMinutes: 60 })).toBe("2026-01-04");
    expect(day("2026-01-05T01:00:00Z", { timeZone: "UTC", dayStartMinutes: 60 })).toBe("2026-01-05");
    expect(() => dayLabelShiftMinutes(1440)).toThrow();
  });

  it("agrees with Intl for 20,000 instants in zones with odd offsets and clock changes", () => {
    const zones = ["America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata", "Pacific/Chatham", "Australia/Lord_Howe"];
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (const timeZone of zones) {
      const format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
      for (let i = 0; i < 20_000 / zones.length; i++) {
        const at = new Date(Date.UTC(2024, 0, 1) + Math.floor(random() * 3 * 365 * 86_400_000));
        expect(tradingDay(at, { timeZone, dayStartMinutes: 0 })).toBe(format.format(at));
      }
    }
  });
});

describe("wallWeekdayHour", () => {
  it("reads the open time on the user's clock, Monday first, without the day-start shift", () => {
    expect(wallWeekdayHour(Date.parse("2026-01-05T14:30:00Z"), "America/New_York")).toEqual({ weekday: 0, hour: 9 });
    expect(wallWeekdayHour(Date.parse("2026-01-05T22:30:00Z"), "America/New_York")).toEqual({ weekday: 0, hour: 17 });
    expect(wallWeekdayHour(Date.parse("2026-03-09T13:30:00Z"), "America/New_York")).toEqual({ weekday: 0, hour: 9 }); // EDT
    expect(wallWeekdayHour(Date.parse("2026-01-11T23:00:00Z"), "UTC")).toEqual({ weekday: 6, hour: 23 });
  });
});
