// The thresholds of the psychology signals, one place for each, as
// docs/psychology-signals.md states them. Changing one changes what every
// page flags (the trade, the day, /analytics).

/** A trade opened at most this many minutes after a losing trade on the same account closed may be a revenge trade. */
export const REVENGE_WINDOW_MINUTES = 30;

/** …when its volume is at least this multiple of that loss's volume (decimal text: compared exactly, never as a float). */
export const REVENGE_SIZE_RATIO = "1.5";

/** A trading day with more closed trades than this multiple of the user's median per active day is an overtrading day. */
export const OVERTRADING_MEDIAN_MULTIPLE = 2;

/** No day is judged until the history holds this many active trading days: a median of a few days says little. */
export const OVERTRADING_MIN_ACTIVE_DAYS = 10;
