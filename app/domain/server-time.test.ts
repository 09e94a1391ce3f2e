import { describe, expect, it } from "vitest";
import { parseMetaTraderTime, serverTimeToUtc } from "./server-time.ts";

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

  it("rejects impossible dates", () => {
    expect(parseMetaTraderTime("2025.02.30 10:00:00")).toBeNull();
    expect(parseMetaTraderTime("2025.13.01 10:00")).toBeNull();
    expect(parseMetaTraderTime("15/04/2025 10:00")).toBeNull();
  });
});
