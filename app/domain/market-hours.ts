// When the FX market is open: Sunday 17:00 → Friday 17:00 America/New_York
// (shared/reference/mt5.md §6), DST-correct on both US change dates because
// the wall clock is read through Intl. The jobs process switches to weekend
// mode on it; the dashboard shows a "market closed" banner on it. Crypto CFDs
// trade around the clock, weekends included, at MT5 brokers that offer them.
import { resolveInstrument } from "./instruments/catalogue.ts";

const newYorkParts = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/New_York",
  weekday: "short",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const FX_CLOSE_MINUTE = 17 * 60;

function newYorkWeekMinute(at: Date): { weekday: number; minute: number } {
  let weekday = -1;
  let hour = 0;
  let minute = 0;
  for (const part of newYorkParts.formatToParts(at)) {
    if (part.type === "weekday") weekday = WEEKDAYS.indexOf(part.value);
    else if (part.type === "hour") hour = Number(part.value);
    else if (part.type === "minute") minute = Number(part.value);
  }
  return { weekday, minute: hour * 60 + minute };
}

/** Whether the FX week is closed: Friday 17:00 → Sunday 17:00 America/New_York. */
export function isFxWeekendClosed(at: Date): boolean {
  const { weekday, minute } = newYorkWeekMinute(at);
  if (weekday === 6) return true;
  if (weekday === 5) return minute >= FX_CLOSE_MINUTE;
  if (weekday === 0) return minute < FX_CLOSE_MINUTE;
  return false;
}

/** Whether a symbol trades at the weekend (crypto CFDs; broker spellings accepted). */
export function tradesAtTheWeekend(symbol: string): boolean {
  return resolveInstrument(symbol)?.class === "crypto";
}

/**
 * The next moment the FX market opens or closes after `at` (minute precision),
 * so the caller can wake up exactly at the switch.
 */
export function nextFxWeekBoundary(at: Date): Date {
  const closed = isFxWeekendClosed(at);
  const changed = (ms: number) => isFxWeekendClosed(new Date(ms)) !== closed;
  const firstMinute = Math.floor(at.getTime() / 60_000) * 60_000 + 60_000;
  const limit = at.getTime() + 8 * 24 * 60 * 60_000;
  // Stride by hours to the hour holding the switch, then walk its minutes.
  let from = firstMinute;
  for (let probe = firstMinute; probe < limit; probe += 60 * 60_000) {
    if (changed(probe)) {
      let minute = from;
      while (!changed(minute)) minute += 60_000;
      return new Date(minute);
    }
    from = probe + 60_000;
  }
  throw new Error("No FX week boundary within eight days.");
}
