import { describe, expect, it } from "vitest";
import {
  detectServerTimeZone,
  isServerTimeZone,
  parseMetaTraderTime,
  serverEpochMsToUtc,
  serverOffsetAt,
  serverTimeToUtc,
  utcToServerEpochSeconds,
} from "./server-time.ts";

function convert(text: string, zone: string) {
  const wall = parseMetaTraderTime(text);
  if (!wall) throw new Error(`bad time ${text}`);
  return serverTimeToUtc(wall, zone);
}

describe("serverTimeToUtc", () => {
  it("reads NY+7 as GMT+3 in summer and GMT+2 in winter, switching on US dates", () => {
    expect(convert("2025.04.15 17:11:31", "NY+7")).toEqual({ at: new Date("2025-04-15T14:11:31Z"), offsetMinutes: 180 });
    expect(convert("2025.01.15 10:00:00", "NY+7")).toEqual({ at: new Date("2025-01-15T08:00:00Z"), offsetMinutes: 120 });
    // US DST began 2025-03-09; EU only on 2025-03-30. NY+7 follows the US.
    expect(convert("2025.03.12 12:00:00", "NY+7").offsetMinutes).toBe(180);
    expect(convert("2025.03.12 12:00:00", "Europe/Athens").offsetMinutes).toBe(120);
  });

  it("handles IANA zones, UTC and the repeated hour", () => {
    expect(convert("2025.07.01 00:00:00", "UTC").at.toISOString()).toBe("2025-07-01T00:00:00.000Z");
    expect(convert("2025.07.01 00:00:00", "Europe/London").at.toISOString()).toBe("2025-06-30T23:00:00.000Z");
    // 01:30 happens twice in London on 2025-10-26; the earlier (BST) one is chosen.
    expect(convert("2025.10.26 01:30:00", "Europe/London")).toEqual({ at: new Date("2025-10-26T00:30:00Z"), offsetMinutes: 60 });
  });

  it("agrees with a from-first-principles conversion every 30 minutes around each 2025–2026 clock change", () => {
    const HOUR = 3_600_000;
    // The offset whose instant reads as this wall time; the earlier instant in a repeated hour; in a skipped hour the offset before the jump.
    const reference = (wallMs: number, zone: string): number => {
      const offsets = new Set<number>();
      for (let h = -48; h <= 48; h += 6) offsets.add(serverOffsetAt(zone, new Date(wallMs + h * HOUR)));
      const fitting = [...offsets].filter((offset) => serverOffsetAt(zone, new Date(wallMs - offset * 60_000)) === offset);
      return fitting.length ? Math.max(...fitting) : serverOffsetAt(zone, new Date(wallMs - 24 * HOUR));
    };
    const switches = [
      "2025-03-09",
      "2025-03-30",
      "2025-04-06",
      "2025-10-05",
      "2025-10-26",
      "2025-11-02",
      "2026-03-08",
      "2026-03-29",
      "2026-10-25",
      "2026-11-01",
    ];
    const zones = ["NY+7", "Europe/London", "Europe/Athens", "America/New_York", "Australia/Sydney", "UTC"];
    const wrong: string[] = [];
    for (const zone of zones) {
      for (const day of switches) {
        const start = Date.parse(`${day}T00:00:00Z`) - 3 * 24 * HOUR;
        for (let wallMs = start; wallMs < start + 6 * 24 * HOUR; wallMs += HOUR / 2) {
          const d = new Date(wallMs);
          const wall = {
            year: d.getUTCFullYear(),
            month: d.getUTCMonth() + 1,
            day: d.getUTCDate(),
            hour: d.getUTCHours(),
            minute: d.getUTCMinutes(),
            second: 0,
          };
          const expected = reference(wallMs, zone);
          const got = serverTimeToUtc(wall, zone);
          if (got.offsetMinutes !== expected || got.at.getTime() !== wallMs - expected * 60_000)
            wrong.push(`${zone} ${d.toISOString()}: ${got.offsetMinutes} not ${expected}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("rejects impossible dates", () => {
    expect(parseMetaTraderTime("2025.02.30 10:00:00")).toBeNull();
    expect(parseMetaTraderTime("2025.13.01 10:00")).toBeNull();
    expect(parseMetaTraderTime("15/04/2025 10:00")).toBeNull();
  });
});

describe("broker server epochs", () => {
  it("reads an MT5 epoch as server wall-clock time and converts it per zone", () => {
    // 2025.04.15 17:11:31 on a NY+7 server is 14:11:31 UTC (GMT+3 in US summer).
    const epochMs = Date.UTC(2025, 3, 15, 17, 11, 31, 250);
    expect(serverEpochMsToUtc(epochMs, "NY+7")).toEqual({ at: new Date("2025-04-15T14:11:31.250Z"), offsetMinutes: 180 });
    expect(utcToServerEpochSeconds(new Date("2025-04-15T14:11:31Z"), "NY+7")).toBe(Math.floor(epochMs / 1000));
    expect(utcToServerEpochSeconds(new Date("2025-01-15T08:00:00Z"), "NY+7")).toBe(Date.UTC(2025, 0, 15, 10) / 1000);
  });

  it("detects the zone a measured offset implies", () => {
    const usSummer = new Date("2026-07-01T12:00:00Z");
    const winter = new Date("2026-01-15T12:00:00Z");
    // Between the US (8 March) and EU (29 March) switches NY+7 is +3 and the EU rule +2.
    const gap = new Date("2026-03-16T12:00:00Z");
    expect(detectServerTimeZone(180, usSummer)).toBe("NY+7");
    expect(detectServerTimeZone(120, winter)).toBe("NY+7");
    expect(detectServerTimeZone(120, gap)).toBe("Europe/Athens");
    expect(detectServerTimeZone(180, gap)).toBe("NY+7");
    expect(detectServerTimeZone(0, winter)).toBe("UTC");
    expect(detectServerTimeZone(-300, winter)).toBe("Etc/GMT+5");
    expect(detectServerTimeZone(60, usSummer)).toBe("Etc/GMT-1");
    expect(detectServerTimeZone(150, winter)).toBeNull();
    expect(isServerTimeZone("Etc/GMT+5")).toBe(true);
  });
});
