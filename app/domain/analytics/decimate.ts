import type { CurvePoint } from "./types.ts";

/**
 * Which of n curve points to keep for display, at most maxPoints (≥ 2): the
 * first and last, and in each of equal-width index buckets the lowest
 * balance, the highest balance and the deepest drawdown, in time order, so
 * peaks and drawdown troughs stay visible.
 */
export function keptCurveIndices(n: number, maxPoints: number, balance: ArrayLike<number>, drawdown: ArrayLike<number>): number[] {
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  if (maxPoints < 2) throw new Error("a thinned curve keeps at least the first and last points");
  const inner = n - 2;
  const buckets = Math.max(1, Math.floor((maxPoints - 2) / 3));
  const kept = [0];
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * inner) / buckets);
    const end = 1 + Math.floor(((b + 1) * inner) / buckets);
    if (start >= end) continue;
    let low = start;
    let high = start;
    let deepest = start;
    for (let i = start + 1; i < end; i++) {
      if (balance[i]! < balance[low]!) low = i;
      if (balance[i]! > balance[high]!) high = i;
      if (drawdown[i]! > drawdown[deepest]!) deepest = i;
    }
    for (const i of [...new Set([low, high, deepest])].sort((x, y) => x - y)) kept.push(i);
  }
  kept.push(n - 1);
  return kept;
}

/**
 * Thins a balance curve for display (see keptCurveIndices). Figures are
 * never computed from the result. balanceCurve(input, { maxPoints }) gives
 * the same points without formatting the ones left out.
 */
export function decimateCurve(points: CurvePoint[], maxPoints: number): CurvePoint[] {
  if (points.length <= maxPoints) return points;
  const balances = points.map((p) => Number(p.balance));
  const drawdowns = points.map((p) => Number(p.drawdown));
  return keptCurveIndices(points.length, maxPoints, balances, drawdowns).map((i) => points[i]!);
}
