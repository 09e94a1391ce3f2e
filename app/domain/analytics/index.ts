// Performance analytics (issue 12): pure functions over one period's trades
// and cash movements, following docs/metrics.md.
export type * from "./types.ts";
export { tradingDay, tradingDayNumber, dayLabel, dayLabelShiftMinutes, wallWeekdayHour } from "./trading-day.ts";
export { netOf } from "./net.ts";
export { summarize } from "./summarize.ts";
export { balanceCurve } from "./balance-curve.ts";
export { dailyNet, calendarMonths, type CalendarMonth, type CalendarWeek } from "./daily.ts";
export { breakdown, DURATION_BUCKETS, WEEKDAY_LABELS, NONE_KEY } from "./breakdown.ts";
export { dayHourHeatmap } from "./heatmap.ts";
export { decimateCurve } from "./decimate.ts";
export { previousPeriod } from "./compare.ts";
export { BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, EXACT_BOOTSTRAP_MAX_TRADES } from "./bootstrap.ts";
