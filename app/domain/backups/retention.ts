// Which backup copies to keep: the newest copy of each of the last `daily`
// days that have one, of the last `weekly` ISO weeks (Monday start, UTC) and
// of the last `monthly` calendar months (UTC) — 7 / 4 / 12 by default. A copy
// kept by any rule stays. Counting periods that HAVE a copy (not calendar
// periods back from today) means a worker that was down for a week does not
// age out everything it made before.
export interface RetentionPolicy {
  daily: number;
  weekly: number;
  monthly: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { daily: 7, weekly: 4, monthly: 12 };

function dayKey(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** "2026-W49": the ISO week-numbering year and week of a UTC instant. */
export function isoWeekKey(at: Date): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  // The Thursday of this week decides the ISO year.
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

function monthKey(at: Date): string {
  return at.toISOString().slice(0, 7);
}

function newestPerPeriod(newestFirst: readonly Date[], key: (at: Date) => string, periods: number): Date[] {
  const seen = new Set<string>();
  const kept: Date[] = [];
  for (const at of newestFirst) {
    const k = key(at);
    if (seen.has(k)) continue;
    if (seen.size >= periods) break;
    seen.add(k);
    kept.push(at);
  }
  return kept;
}

/** Splits copies (by the instant each was taken) into those to keep and those to delete. */
export function planRetention(takenAt: readonly Date[], policy: RetentionPolicy = DEFAULT_RETENTION): { keep: Date[]; remove: Date[] } {
  const newestFirst = [...takenAt].sort((a, b) => b.getTime() - a.getTime());
  const keep = new Set<number>();
  for (const [key, periods] of [
    [dayKey, policy.daily],
    [isoWeekKey, policy.weekly],
    [monthKey, policy.monthly],
  ] as const) {
    for (const at of newestPerPeriod(newestFirst, key, periods)) keep.add(at.getTime());
  }
  return {
    keep: newestFirst.filter((at) => keep.has(at.getTime())),
    remove: newestFirst.filter((at) => !keep.has(at.getTime())),
  };
}
