// ServerTimes reads a report's printed times by position, with a day and an
// hour's offset kept between calls; it must give exactly what the general
// parser and converter give (parseMetaTraderTime + serverTimeToUtc), in any
// order of calls, across month ends, leap days and DST changes.
import { describe, expect, it } from "vitest";
import { parseMetaTraderTime, serverTimeToUtc } from "../../server-time.ts";
import { ServerTimes } from "./report-times.ts";

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

function general(text: string, zone: string): { ms: number; offset: number } | null {
  const wall = parseMetaTraderTime(text);
  if (!wall) return null;
  const converted = serverTimeToUtc(wall, zone);
  return { ms: converted.at.getTime(), offset: converted.offsetMinutes };
}

/** Printed times around the awkward days, every 37 minutes over each. */
function awkwardTimes(): string[] {
  const days = [
    "2024.02.28",
    "2024.02.29",
    "2024.03.01",
    "2023.02.28",
    "2023.03.01",
    "2024.03.10",
    "2024.03.31",
    "2024.10.27",
    "2024.11.03",
    "2024.12.31",
    "2025.01.01",
    "2000.02.29",
    "1999.12.31",
  ];
  const times: string[] = [];
  for (const day of days)
    for (let minute = 0; minute < 24 * 60; minute += 37) times.push(`${day} ${pad(Math.floor(minute / 60))}:${pad(minute % 60)}:${pad(minute % 60)}`);
  return times;
}

describe("ServerTimes", () => {
  for (const zone of ["NY+7", "UTC", "Europe/Athens", "America/New_York", "Etc/GMT-2"]) {
    it(`reads every time as the general parser and converter do (${zone})`, () => {
      const times = awkwardTimes();
      // Forwards, backwards and shuffled: the kept day and hour must never leak into the next call.
      const orders = [times, [...times].reverse(), times.map((_, i) => times[(i * 7919) % times.length]!)];
      for (const order of orders) {
        const reader = new ServerTimes(zone);
        for (const text of order) expect(reader.read(text), text).toEqual(general(text, zone));
      }
    });
  }

  it("refuses what is not a MetaTrader time, and reads the other printed forms the general way", () => {
    const reader = new ServerTimes("NY+7");
    for (const text of [
      "2024.02.30 10:00:00",
      "2023.02.29 10:00:00",
      "2024.13.01 10:00:00",
      "2024.01.01 24:00:00",
      "2024.01.01 10:60:00",
      "2024-01-01 10:00",
      "",
      "yesterday",
    ]) {
      expect(reader.read(text), text).toEqual(general(text, "NY+7"));
    }
    for (const text of ["2024.01.02 10:00", "2024.01.02", "0099.01.02 10:00:00"]) expect(reader.read(text), text).toEqual(general(text, "NY+7"));
    expect(reader.read("2024.02.30 10:00:00")).toBeNull();
  });
});
