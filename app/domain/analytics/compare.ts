/**
 * The period "vs previous" compares with (docs/metrics.md#comparison): the
 * same length immediately before; null for an open-ended period (all time).
 * Calendar periods ("this month") should pass the previous calendar month
 * themselves, since months differ in length.
 */
export function previousPeriod(period: { from: Date | null; to: Date | null }): { from: Date; to: Date } | null {
  if (!period.from || !period.to) return null;
  const length = period.to.getTime() - period.from.getTime();
  return { from: new Date(period.from.getTime() - length), to: new Date(period.from.getTime()) };
}
