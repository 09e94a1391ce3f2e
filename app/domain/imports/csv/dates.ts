// Date-times as CSV exports print them. Times are the broker's server clock
// unless the column header names an offset ("Closing Time (UTC+3)") or the
// value carries one ("2025-04-15T14:11:31Z"); either way the result is UTC
// plus the offset that was used.
import { serverTimeToUtc, type WallClock } from "../../server-time.ts";

/** Day-first or month-first, for numeric dates like 03/04/2025. */
export type DayOrder = "dmy" | "mdy";

export interface ParsedDateText {
  wall: WallClock;
  /** Minutes east of UTC written in the value itself (Z, +02:00), else null. */
  offsetMinutes: number | null;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const TIME_PART = String.raw`(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?\s*([AaPp]\.?[Mm]\.?)?)?`;
const ZONE_PART = String.raw`\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?`;
const YEAR_FIRST = new RegExp(String.raw`^(\d{4})[.\-/](\d{1,2})[.\-/](\d{1,2})${TIME_PART}${ZONE_PART}$`);
const NUMERIC_DAY_MONTH = new RegExp(String.raw`^(\d{1,2})([.\-/])(\d{1,2})\2(\d{4}|\d{2})${TIME_PART}${ZONE_PART}$`);
const NAMED_MONTH = new RegExp(String.raw`^(\d{1,2})[ \-]([A-Za-z]{3})[a-z]*\.?[ \-,]+(\d{4})${TIME_PART}${ZONE_PART}$`);

function zoneMinutes(zone: string | undefined): number | null {
  if (!zone) return null;
  if (zone === "Z" || zone === "UTC" || zone === "GMT") return 0;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!match) return null;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === "-" ? -minutes : minutes;
}

function buildWall(
  year: number,
  month: number,
  day: number,
  hourText: string | undefined,
  minuteText: string | undefined,
  secondText: string | undefined,
  fractionText: string | undefined,
  meridiem: string | undefined,
): WallClock | null {
  let hour = Number(hourText ?? 0);
  const minute = Number(minuteText ?? 0);
  const second = Number(secondText ?? 0);
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    const pm = meridiem[0]!.toLowerCase() === "p";
    if (hour === 12) hour = pm ? 12 : 0;
    else if (pm) hour += 12;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  const millisecond = fractionText ? Number(fractionText.slice(0, 3).padEnd(3, "0")) : 0;
  return { year, month, day, hour, minute, second, millisecond };
}

/** The two leading numbers of a d/m/y or m/d/y value, for deciding the column's order. */
export function numericDayMonthParts(text: string): [number, number] | null {
  const match = NUMERIC_DAY_MONTH.exec(text.trim());
  return match ? [Number(match[1]), Number(match[3])] : null;
}

export interface DayOrderDecision {
  order: DayOrder;
  /** True when no value in the column settles it (every first and second number ≤ 12). */
  undecided: boolean;
  /** True when some values need day-first and others month-first. */
  conflicting: boolean;
}

/**
 * Decides d/m/y versus m/d/y from every value of the date columns: a first
 * number above 12 means day-first, a second above 12 month-first. Undecided
 * columns read month-first when the times use AM/PM (US style) and day-first
 * otherwise; the caller reports that guess.
 */
export function decideDayOrder(values: Iterable<string>): DayOrderDecision {
  let dayFirst = false;
  let monthFirst = false;
  let meridiem = false;
  let numeric = false;
  for (const value of values) {
    const parts = numericDayMonthParts(value);
    if (!parts) continue;
    numeric = true;
    if (/[AaPp]\.?[Mm]\.?\s*$/.test(value.trim())) meridiem = true;
    if (parts[0] > 12) dayFirst = true;
    if (parts[1] > 12) monthFirst = true;
  }
  if (dayFirst && !monthFirst) return { order: "dmy", undecided: false, conflicting: false };
  if (monthFirst && !dayFirst) return { order: "mdy", undecided: false, conflicting: false };
  return { order: meridiem ? "mdy" : "dmy", undecided: numeric && !dayFirst && !monthFirst, conflicting: dayFirst && monthFirst };
}

/** Reads one date-time; null when the text is not a real date. */
export function parseDateText(input: string, order: DayOrder): ParsedDateText | null {
  const text = input.trim();
  let match = YEAR_FIRST.exec(text);
  if (match) {
    const wall = buildWall(Number(match[1]), Number(match[2]), Number(match[3]), match[4], match[5], match[6], match[7], match[8]);
    return wall ? { wall, offsetMinutes: zoneMinutes(match[9]) } : null;
  }
  match = NUMERIC_DAY_MONTH.exec(text);
  if (match) {
    const first = Number(match[1]);
    const second = Number(match[3]);
    let year = Number(match[4]);
    if (match[4]!.length === 2) year += 2000;
    const [day, month] = order === "dmy" ? [first, second] : [second, first];
    const wall = buildWall(year, month, day, match[5], match[6], match[7], match[8], match[9]);
    return wall ? { wall, offsetMinutes: zoneMinutes(match[10]) } : null;
  }
  match = NAMED_MONTH.exec(text);
  if (match) {
    const month = MONTHS[match[2]!.toLowerCase()];
    if (!month) return null;
    const wall = buildWall(Number(match[3]), month, Number(match[1]), match[4], match[5], match[6], match[7], match[8]);
    return wall ? { wall, offsetMinutes: zoneMinutes(match[9]) } : null;
  }
  return null;
}

const EXCEL_SERIAL = /^\d{5}(?:\.\d+)?$/;
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * A spreadsheet date cell read as its serial number ("45762.59" = days since
 * 1899-12-30, the fraction being the time of day), to the second. Only
 * 1927–2173 (five-digit serials) count, so small plain numbers stay numbers.
 */
export function excelSerialToDate(text: string): ParsedDateText | null {
  const value = text.trim();
  if (!EXCEL_SERIAL.test(value)) return null;
  const at = new Date(EXCEL_EPOCH_MS + Math.round(Number(value) * 86_400) * 1000);
  return {
    wall: {
      year: at.getUTCFullYear(),
      month: at.getUTCMonth() + 1,
      day: at.getUTCDate(),
      hour: at.getUTCHours(),
      minute: at.getUTCMinutes(),
      second: at.getUTCSeconds(),
      millisecond: 0,
    },
    offsetMinutes: null,
  };
}

/** "Closing Time (UTC+3)" → 180, "Time (UTC)" → 0, "Open time GMT-05:30" → -330; null when the header names no offset. */
export function headerUtcOffsetMinutes(header: string): number | null {
  const match = /\b(?:UTC|GMT)\s*(?:([+-−])\s*(\d{1,2})(?::?(\d{2}))?)?(?![\w])/i.exec(header);
  if (!match) return null;
  if (!match[1]) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === "+" ? minutes : -minutes;
}

export interface UtcTime {
  at: Date;
  offsetMinutes: number;
}

function wallToEpoch(wall: WallClock): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond ?? 0);
}

/** UTC from a parsed value: its own offset, else the column's, else the broker server clock. */
export function toUtc(parsed: ParsedDateText, columnOffsetMinutes: number | null, serverTimeZone: string): UtcTime {
  const fixed = parsed.offsetMinutes ?? columnOffsetMinutes;
  if (fixed !== null) return { at: new Date(wallToEpoch(parsed.wall) - fixed * 60_000), offsetMinutes: fixed };
  return serverTimeToUtc(parsed.wall, serverTimeZone);
}
