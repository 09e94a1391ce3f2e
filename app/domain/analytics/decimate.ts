import type { CurvePoint } from "./types.ts";

/**
 * Thins a balance curve for display to at most maxPoints (≥ 2) points: the
 * first and last points, and in each of equal-width index buckets the
 * lowest balance, the highest balance and the deepest drawdown, in time
 * order, so peaks and drawdown troughs stay visible. Figures are never
 * computed from the result.
 */
export function decimateCurve(points: CurvePoint[], maxPoints: number): CurvePoint[] {
  if (points.length <= maxPoints) return points;
  if (maxPoints < 2) throw new Error("decimateCurve keeps at least the first and last points");
  const inner = points.length - 2;
  const buckets = Math.max(1, Math.floor((maxPoints - 2) / 3));
  const kept = [points[0]!];
  const balances = points.map((p) => Number(p.balance));
  const drawdowns = points.map((p) => Number(p.drawdown));
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * inner) / buckets);
    const end = 1 + Math.floor(((b + 1) * inner) / buckets);
    if (start >= end) continue;
    let low = start;
    let high = start;
    let deepest = start;
    for (let i = start + 1; i < end; i++) {
      if (balances[i]! < balances[low]!) low = i;
      if (balances[i]! > balances[high]!) high = i;
      if (drawdowns[i]! > drawdowns[deepest]!) deepest = i;
    }
    for (const i of [...new Set([low, high, deepest])].sort((x, y) => x - y)) kept.push(points[i]!);
  }
  kept.push(points[points.length - 1]!);
  return kept;
}
