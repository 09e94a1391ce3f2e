// Broker server wall-clock time to UTC. MT5 prints every time in the broker's
// server clock; most brokers run "New York + 7 h" (GMT+2 in northern winter,
// GMT+3 in summer, switching on the US dates), written 'NY+7'; anything else is
// an IANA zone. public.server_time_to_utc() in SQL does the same conversion.

export interface WallClock {
  year: number;
  month: number; // 1–12
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond?: number;
}

export interface ConvertedTime {
  at: Date;
  /** Minutes east of UTC the server clock showed at that instant. */
  offsetMinutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Minutes east of UTC in an IANA zone at an instant. */
export function zoneOffsetMinutes(timeZone: string, at: Date): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60000);
}

export function isServerTimeZone(zone: string): boolean {
  if (zone === "NY+7") return true;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** Offset of the server clock (minutes east of UTC) at a UTC instant. */
export function serverOffsetAt(zone: string, at: Date): number {
  if (zone === "NY+7") return zoneOffsetMinutes("America/New_York", at) + 7 * 60;
  return zoneOffsetMinutes(zone, at);
}

// Offsets change on whole hours; caching per zone and wall-clock hour keeps
// 100 000-row imports from calling Intl a million times.
const offsetCache = new Map<string, number>();

const DAY_MS = 86_400_000;
/** Per zone and wall-clock day: the offset all day long, or null for a day near a clock change. */
const steadyDays = new Map<string, number | null>();

/**
 * A wall-clock day's instants all lie within a day either side of it (offsets
 * are under ±14 h), and no zone changes its clock twice in three days: the same
 * offset a day before and a day after means that offset throughout.
 */
function steadyDayOffset(zone: string, wallMs: number): number | null {
  const day = Math.floor(wallMs / DAY_MS);
  const key = `${zone}|${day}`;
  let offset = steadyDays.get(key);
  if (offset === undefined) {
    const before = serverOffsetAt(zone, new Date(day * DAY_MS - DAY_MS));
    const after = serverOffsetAt(zone, new Date(day * DAY_MS + 2 * DAY_MS));
    offset = before === after ? before : null;
    if (steadyDays.size > 200_000) steadyDays.clear();
    steadyDays.set(key, offset);
  }
  return offset;
}

/**
 * Converts a server wall-clock time to UTC. In the repeated hour after a clock
 * goes back, the earlier instant is chosen; a time inside a skipped hour is
 * read with the offset in force before the jump.
 */
export function serverTimeToUtc(wall: WallClock, zone: string): ConvertedTime {
  const wallMs = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond ?? 0);
  const steady = steadyDayOffset(zone, wallMs);
  if (steady !== null) return { at: new Date(wallMs - steady * 60_000), offsetMinutes: steady };
  const hourKey = `${zone}|${Math.floor(wallMs / 3_600_000)}`;
  let offset = offsetCache.get(hourKey);
  if (offset === undefined) {
    // Two passes settle the offset; try the earlier candidate first for the
    // repeated hour.
    const before = serverOffsetAt(zone, new Date(wallMs - 24 * 3_600_000));
    const after = serverOffsetAt(zone, new Date(wallMs + 24 * 3_600_000));
    const candidates = before >= after ? [before, after] : [after, before];
    // Neither fits only inside a skipped hour.
    offset = before;
    for (const candidate of candidates) {
      if (serverOffsetAt(zone, new Date(wallMs - candidate * 60_000)) === candidate) {
        offset = candidate;
        break;
      }
    }
    offsetCache.set(hourKey, offset);
  }
  return { at: new Date(wallMs - offset * 60_000), offsetMinutes: offset };
}

const MT_TIME = /^(\d{4})[.\-/](\d{1,2})[.\-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/** Parses MetaTrader's "2025.04.15 17:11:31" (also "-" or "/" separated, seconds optional). */
export function parseMetaTraderTime(text: string): WallClock | null {
  const match = MT_TIME.exec(text.trim());
  if (!match) return null;
  const wall: WallClock = {
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
    hour: Number(match[4] ?? 0),
    minute: Number(match[5] ?? 0),
    second: Number(match[6] ?? 0),
    millisecond: match[7] ? Number(match[7].padEnd(3, "0")) : 0,
  };
  if (wall.month < 1 || wall.month > 12 || wall.day < 1 || wall.day > 31 || wall.hour > 23 || wall.minute > 59 || wall.second > 59) {
    return null;
  }
  const check = new Date(Date.UTC(wall.year, wall.month - 1, wall.day));
  if (check.getUTCDate() !== wall.day) return null;
  return wall;
}

/** A broker server-clock epoch (seconds or milliseconds as MT5 gives them) read as the wall clock it encodes. */
export function serverEpochToWallClock(epochMs: number): WallClock {
  const d = new Date(epochMs);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
}

/** A broker server-clock epoch in milliseconds → the UTC instant and the offset used. */
export function serverEpochMsToUtc(epochMs: number, zone: string): ConvertedTime {
  return serverTimeToUtc(serverEpochToWallClock(epochMs), zone);
}

/** A UTC instant → the broker server-clock epoch in seconds (for MT5 query bounds). */
export function utcToServerEpochSeconds(at: Date, zone: string): number {
  return Math.floor((at.getTime() + serverOffsetAt(zone, at) * 60_000) / 1000);
}

/**
 * The server_time_zone a measured broker clock offset implies at `at`:
 * "NY+7" (most MT5 brokers) when it fits, then EU-rule GMT+2/+3
 * (Europe/Athens), then a fixed whole-hour zone. Null for offsets no rule
 * explains (e.g. a half-hour measurement error). A single measurement cannot
 * tell NY+7 from the EU rule outside the weeks the US and EU dates differ, so
 * NY+7 — by far the commoner — wins ties; users can correct it.
 */
export function detectServerTimeZone(offsetMinutes: number, at: Date): string | null {
  for (const zone of ["NY+7", "Europe/Athens"]) {
    if (serverOffsetAt(zone, at) === offsetMinutes) return zone;
  }
  if (offsetMinutes === 0) return "UTC";
  if (offsetMinutes % 60 !== 0 || Math.abs(offsetMinutes) > 14 * 60) return null;
  // POSIX-style Etc zones invert the sign: Etc/GMT-3 is three hours east of UTC.
  const hours = offsetMinutes / 60;
  return `Etc/GMT${hours > 0 ? "-" : "+"}${Math.abs(hours)}`;
}
