// The trading day of an instant (docs/metrics.md#trading-day) and the user's
// wall clock for hour/weekday breakdowns. Called once per trade, 100,000
// times for a large account: zone offsets are cached per zone and UTC day
// (and per UTC hour on the few days a clock changes), so Intl runs a few
// times per calendar day instead of per trade.
import { zoneOffsetMinutes } from "../server-time.ts";
import type { DayRule } from "./types.ts";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

interface ZoneOffsets {
  /** Per UTC day: the offset all day long, or null for a day with a clock change. */
  days: Map<number, number | null>;
  /** Per UTC hour of a clock-change day: the offset all hour long, or null for the hour of the change. */
  hours: Map<number, number | null>;
}

const zones = new Map<string, ZoneOffsets>();

function steadyOffset(cache: Map<number, number | null>, key: number, zone: string, startMs: number, endMs: number) {
  let offset = cache.get(key);
  if (offset === undefined) {
    // No zone changes its clock twice within a day: equal offsets at both
    // ends of the span mean that offset throughout.
    const atStart = zoneOffsetMinutes(zone, new Date(startMs));
    offset = atStart === zoneOffsetMinutes(zone, new Date(endMs)) ? atStart : null;
    if (cache.size > 100_000) cache.clear();
    cache.set(key, offset);
  }
  return offset;
}

// The last steady UTC day looked up: trades come in time order, so most calls ask for the same day again.
let lastZone = "";
let lastDay = NaN;
let lastOffset = 0;

/** Minutes east of UTC in an IANA zone at an instant (milliseconds since the epoch). */
export function offsetMinutesAt(zone: string, ms: number): number {
  if (zone === lastZone && Math.floor(ms / DAY_MS) === lastDay) return lastOffset;
  let offsets = zones.get(zone);
  if (!offsets) {
    offsets = { days: new Map(), hours: new Map() };
    zones.set(zone, offsets);
  }
  const day = Math.floor(ms / DAY_MS);
  const daily = steadyOffset(offsets.days, day, zone, day * DAY_MS, (day + 1) * DAY_MS);
  if (daily !== null) {
    lastZone = zone;
    lastDay = day;
    lastOffset = daily;
    return daily;
  }
  const hour = Math.floor(ms / HOUR_MS);
  const hourly = steadyOffset(offsets.hours, hour, zone, hour * HOUR_MS, (hour + 1) * HOUR_MS);
  return hourly ?? zoneOffsetMinutes(zone, new Date(ms));
}

/** The instant read on the zone's wall clock, as milliseconds of a UTC-labelled clock. */
export function wallClockMs(ms: number, zone: string): number {
  return ms + offsetMinutesAt(zone, ms) * MINUTE_MS;
}

/**
 * Minutes to add to the wall clock so that its calendar date is the trading
 * day's label. A day is labelled with the calendar date holding most of its
 * hours: a day starting at or before noon carries its start date (01:00 →
 * the same date), one starting after noon the next date (17:00 New York
 * Monday → Tuesday, the FX convention).
 */
export function dayLabelShiftMinutes(dayStartMinutes: number): number {
  if (!Number.isInteger(dayStartMinutes) || dayStartMinutes < 0 || dayStartMinutes > 1439) {
    throw new Error(`dayStartMinutes must be 0..1439, got ${dayStartMinutes}`);
  }
  return dayStartMinutes <= 720 ? 0 - dayStartMinutes : 1440 - dayStartMinutes;
}

/** Trading day as whole days since 1970-01-01 (fast form of tradingDay). */
export function tradingDayNumber(ms: number, rule: DayRule): number {
  const shifted = wallClockMs(ms, rule.timeZone) + dayLabelShiftMinutes(rule.dayStartMinutes) * MINUTE_MS;
  return Math.floor(shifted / DAY_MS);
}

const labels = new Map<number, string>();

/** Days since 1970-01-01 → "YYYY-MM-DD". */
export function dayLabel(dayNumber: number): string {
  let label = labels.get(dayNumber);
  if (label === undefined) {
    label = new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
    if (labels.size > 100_000) labels.clear();
    labels.set(dayNumber, label);
  }
  return label;
}

/** "YYYY-MM-DD" → days since 1970-01-01. */
export function dayNumberOf(label: string): number {
  return Math.floor(Date.parse(`${label}T00:00:00Z`) / DAY_MS);
}

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOfDayNumber(dayNumber: number): number {
  return (((dayNumber + 3) % 7) + 7) % 7;
}

/** The trading day (YYYY-MM-DD) an instant belongs to under the user's day rule. */
export function tradingDay(at: Date, rule: DayRule): string {
  return dayLabel(tradingDayNumber(at.getTime(), rule));
}

/** Weekday × 24 + hour (weekday 0 = Monday) of an instant on the zone's wall clock; no day-start shift. */
export function wallWeekHour(ms: number, zone: string): number {
  const wall = wallClockMs(ms, zone);
  const day = Math.floor(wall / DAY_MS);
  return weekdayOfDayNumber(day) * 24 + Math.floor((wall - day * DAY_MS) / HOUR_MS);
}

/** Weekday (0 = Monday) and hour of an instant on the zone's wall clock; no day-start shift. */
export function wallWeekdayHour(ms: number, zone: string): { weekday: number; hour: number } {
  const cell = wallWeekHour(ms, zone);
  return { weekday: Math.floor(cell / 24), hour: cell % 24 };
}
