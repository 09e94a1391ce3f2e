// Chart axis and crosshair labels in the user's time zone. lightweight-charts
// counts every time as UTC; the bars stay UTC and only their labels move, so a
// DST change never reorders or duplicates a bar.

export type TickKind = "year" | "month" | "day" | "time" | "seconds";

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { ...options, timeZone });
    cache.set(key, format);
  }
  return format;
}

/** A tick label on the time axis: the coarser the tick, the less it says. */
export function tickLabel(epochSeconds: number, kind: TickKind, timeZone: string): string {
  const date = new Date(epochSeconds * 1000);
  switch (kind) {
    case "year":
      return formatter(timeZone, { year: "numeric" }).format(date);
    case "month":
      return formatter(timeZone, { month: "short" }).format(date);
    case "day":
      return formatter(timeZone, { day: "numeric", month: "short" }).format(date);
    case "time":
      return formatter(timeZone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(date);
    case "seconds":
      return formatter(timeZone, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).format(date);
  }
}

/** The crosshair's full label: "Thu, 3 Dec 2026, 14:30". */
export function crosshairLabel(epochSeconds: number, timeZone: string): string {
  return formatter(timeZone, {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(epochSeconds * 1000));
}
