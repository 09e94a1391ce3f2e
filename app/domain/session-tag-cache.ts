// sessionTag() (app/domain/sessions.ts) for many instants at once: bulk
// imports tag 100 000 trades, and sessionTag asks Intl for three or four
// local times per call. The rules are sessionTag's own (the same market hours
// from MARKET_HOURS); only the way the local minute of the day is found
// differs — from each market's UTC offset, looked up once per UTC hour.
//
// The four markets' zones change their offset only on whole UTC hours, so an
// hour whose offset is the same at its first and last minute has that offset
// throughout. An hour where they differ (a zone that switches mid-hour) is
// left to sessionTag itself, so the result never depends on that assumption.
import { MARKET_HOURS, sessionTag, type Market, type SessionTag } from "./sessions.ts";
import { zoneOffsetMinutes } from "./server-time.ts";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const MARKETS = Object.keys(MARKET_HOURS) as Market[];

/** Each market's offset (minutes east of UTC) over [from, from + span), or null when one changes inside it. */
function constantOffsets(from: number, span: number): Record<Market, number> | null {
  const start = new Date(from);
  const end = new Date(from + span - 60_000);
  const found = {} as Record<Market, number>;
  for (const market of MARKETS) {
    const zone = MARKET_HOURS[market].timeZone;
    const offset = zoneOffsetMinutes(zone, start);
    if (offset !== zoneOffsetMinutes(zone, end)) return null;
    found[market] = offset;
  }
  return found;
}

// Whole UTC days first: a market's zone switches at most once a day, so equal
// offsets at a day's first and last minute hold all day, and a 100 000-trade
// import spanning years asks Intl per day instead of per hour. Only the ~8
// switch days a year are looked at hour by hour.
const dayOffsets = new Map<number, Record<Market, number> | null>();
const hourOffsets = new Map<number, Record<Market, number> | null>();

function remember<K>(cache: Map<K, Record<Market, number> | null>, key: K, offsets: Record<Market, number> | null) {
  // A year is 365 days and ~70 switch-day hours; far more means one long-lived process saw many years.
  if (cache.size > 200_000) cache.clear();
  cache.set(key, offsets);
  return offsets;
}

function offsetsForHour(hour: number): Record<Market, number> | null {
  const day = Math.floor((hour * HOUR_MS) / DAY_MS);
  let whole = dayOffsets.get(day);
  if (whole === undefined) whole = remember(dayOffsets, day, constantOffsets(day * DAY_MS, DAY_MS));
  if (whole) return whole;
  const offsets = hourOffsets.get(hour);
  return offsets !== undefined ? offsets : remember(hourOffsets, hour, constantOffsets(hour * HOUR_MS, HOUR_MS));
}

function open(market: Market, utcMinuteOfDay: number, offsets: Record<Market, number>): boolean {
  const hours = MARKET_HOURS[market];
  const minute = (((utcMinuteOfDay + offsets[market]) % 1440) + 1440) % 1440;
  return minute >= hours.open && minute < hours.close;
}

/** Exactly sessionTag(at), at a fraction of its cost when called for many instants. */
export function cachedSessionTag(at: Date): SessionTag {
  const ms = at.getTime();
  const offsets = offsetsForHour(Math.floor(ms / HOUR_MS));
  if (!offsets) return sessionTag(at);
  // sessionTag reads local hours and minutes: seconds never move a market's open minute.
  const utcMinuteOfDay = Math.floor((((ms % 86_400_000) + 86_400_000) % 86_400_000) / 60_000);
  const london = open("london", utcMinuteOfDay, offsets);
  const newYork = open("newyork", utcMinuteOfDay, offsets);
  if (london && newYork) return "overlap";
  if (london) return "london";
  if (newYork) return "newyork";
  if (open("tokyo", utcMinuteOfDay, offsets)) return "asian";
  return "late-ny";
}
