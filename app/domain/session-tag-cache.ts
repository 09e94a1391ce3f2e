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
const MARKETS = Object.keys(MARKET_HOURS) as Market[];

/** Offsets (minutes east of UTC) of each market for one UTC hour, or null when one changes inside it. */
const hourOffsets = new Map<number, Record<Market, number> | null>();

function offsetsForHour(hour: number): Record<Market, number> | null {
  let offsets = hourOffsets.get(hour);
  if (offsets !== undefined) return offsets;
  const start = new Date(hour * HOUR_MS);
  const end = new Date(hour * HOUR_MS + HOUR_MS - 60_000);
  const found = {} as Record<Market, number>;
  offsets = found;
  for (const market of MARKETS) {
    const zone = MARKET_HOURS[market].timeZone;
    const offset = zoneOffsetMinutes(zone, start);
    if (offset !== zoneOffsetMinutes(zone, end)) {
      offsets = null;
      break;
    }
    found[market] = offset;
  }
  // A year of hours is under 9 000 entries; far more means one long-lived process saw many years.
  if (hourOffsets.size > 200_000) hourOffsets.clear();
  hourOffsets.set(hour, offsets);
  return offsets;
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
