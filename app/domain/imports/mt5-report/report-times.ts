// MetaTrader's printed server times ("2025.04.15 17:11:31") to UTC epoch
// milliseconds, for a whole report: exactly parseMetaTraderTime +
// serverTimeToUtc (app/domain/server-time.ts), with the usual 19-character
// form read by position and the zone offset looked up once per wall-clock
// hour (serverTimeToUtc settles one offset per hour too).
import { parseMetaTraderTime, serverTimeToUtc, type WallClock } from "../../server-time.ts";

export interface ServerInstant {
  /** UTC epoch milliseconds. */
  ms: number;
  /** Minutes east of UTC the server clock showed. */
  offset: number;
}

const HOUR_MS = 3_600_000;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const code = text.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

const DOT = 46;
const SPACE = 32;
const COLON = 58;

/** Wall-clock epoch milliseconds of midnight starting that day (the last day asked for is kept: a report's times come day by day). */
class Days {
  private key = -1;
  private ms = 0;

  at(year: number, month: number, day: number): number {
    const key = (year * 13 + month) * 32 + day;
    if (key !== this.key) {
      this.key = key;
      this.ms = Date.UTC(year, month - 1, day);
    }
    return this.ms;
  }
}

/** "YYYY.MM.DD HH:MM:SS" as wall-clock epoch milliseconds, or undefined for any other shape. */
function plainWallMs(text: string, days: Days): number | undefined {
  if (
    text.length !== 19 ||
    text.charCodeAt(4) !== DOT ||
    text.charCodeAt(7) !== DOT ||
    text.charCodeAt(10) !== SPACE ||
    text.charCodeAt(13) !== COLON ||
    text.charCodeAt(16) !== COLON
  )
    return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
    return undefined;
  const leap = month === 2 && ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0);
  if (day > DAYS[month - 1]! + (leap ? 1 : 0)) return undefined;
  // Years below 100 go the general way (Date.UTC reads them as 19xx there as here).
  if (year < 100) return undefined;
  return days.at(year, month, day) + ((hour * 60 + minute) * 60 + second) * 1000;
}

export class ServerTimes {
  private readonly offsets = new Map<number, number>();
  private readonly days = new Days();

  constructor(private readonly zone: string) {}

  /** The instant a printed server time stands for, or null when it is not a MetaTrader time. */
  read(text: string): ServerInstant | null {
    const plain = plainWallMs(text, this.days);
    if (plain === undefined) {
      const wall = parseMetaTraderTime(text);
      if (!wall) return null;
      const converted = serverTimeToUtc(wall, this.zone);
      return { ms: converted.at.getTime(), offset: converted.offsetMinutes };
    }
    const hour = Math.floor(plain / HOUR_MS);
    let offset = this.offsets.get(hour);
    if (offset === undefined) {
      const date = new Date(plain);
      const wall: WallClock = {
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
        hour: date.getUTCHours(),
        minute: date.getUTCMinutes(),
        second: date.getUTCSeconds(),
        millisecond: 0,
      };
      offset = serverTimeToUtc(wall, this.zone).offsetMinutes;
      this.offsets.set(hour, offset);
    }
    return { ms: plain - offset * 60_000, offset };
  }
}
