// Forex market sessions, defined in each market's own local time so the tags
// stay right across every DST switch. The database function
// public.session_tag() implements the same rules; tests/db/sessions.test.ts
// checks the two agree.

export type Market = "sydney" | "tokyo" | "london" | "newyork";
export type SessionTag = "asian" | "london" | "overlap" | "newyork" | "late-ny";

interface MarketHours {
  timeZone: string;
  /** Local opening and closing minute of the day, [open, close). */
  open: number;
  close: number;
}

export const MARKET_HOURS: Record<Market, MarketHours> = {
  sydney: { timeZone: "Australia/Sydney", open: 7 * 60, close: 16 * 60 },
  tokyo: { timeZone: "Asia/Tokyo", open: 9 * 60, close: 18 * 60 },
  london: { timeZone: "Europe/London", open: 8 * 60, close: 17 * 60 },
  newyork: { timeZone: "America/New_York", open: 8 * 60, close: 17 * 60 },
};

export const SESSION_TAGS: readonly SessionTag[] = ["asian", "london", "overlap", "newyork", "late-ny"];

const formatters = new Map<string, Intl.DateTimeFormat>();

function minuteOfDay(at: Date, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(timeZone, format);
  }
  let hour = 0;
  let minute = 0;
  for (const part of format.formatToParts(at)) {
    if (part.type === "hour") hour = Number(part.value);
    else if (part.type === "minute") minute = Number(part.value);
  }
  return hour * 60 + minute;
}

export function isMarketOpen(market: Market, at: Date): boolean {
  const hours = MARKET_HOURS[market];
  const minute = minuteOfDay(at, hours.timeZone);
  return minute >= hours.open && minute < hours.close;
}

/**
 * overlap: London and New York both open; london / newyork: one of them open;
 * asian: Tokyo open; late-ny: after the New York close until Tokyo opens.
 */
export function sessionTag(at: Date): SessionTag {
  const london = isMarketOpen("london", at);
  const newYork = isMarketOpen("newyork", at);
  if (london && newYork) return "overlap";
  if (london) return "london";
  if (newYork) return "newyork";
  if (isMarketOpen("tokyo", at)) return "asian";
  return "late-ny";
}
