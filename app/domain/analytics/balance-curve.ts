import { keptCurveIndices } from "./decimate.ts";
import { NeutralisedDrawdown } from "./drawdown.ts";
import { formatMoney } from "./money.ts";
import { prepare } from "./prepare.ts";
import type { AnalyticsSource, CurvePoint } from "./types.ts";

/**
 * The balance after each closed trade and each cash movement, from the
 * balance at the period start (docs/metrics.md#balance-curve). Events go by
 * time; a cash movement and a trade at the same instant: the cash first (a
 * deposit is on the account before the trade that closes with it is
 * counted, and the trade's return is measured against it). The start point
 * is at period.from, or at the first event for an open-ended period.
 *
 * With maxPoints, the curve is thinned for display exactly as
 * decimateCurve(balanceCurve(input), maxPoints) would, but only the kept
 * points are formatted (100,000 points of text cost more than the rest of
 * the curve).
 */
export function balanceCurve(input: AnalyticsSource, options: { maxPoints?: number } = {}): CurvePoint[] {
  const prepared = prepare(input);
  const { events, scale, closeMs, cash } = prepared;
  const n = events.length + 1;
  // Point 0 is the start; point k + 1 follows event k.
  const balance = new Float64Array(n);
  const drawdown = new Float64Array(n);
  const walk = new NeutralisedDrawdown(prepared.startingBalance);
  const record = (k: number) => {
    balance[k] = walk.balance;
    drawdown[k] = walk.drawdown;
  };
  // The walk's drawdownShare at point k, for the drawn points only: amounts are exact integer units, so the
  // peak is exactly balance + drawdown and drawdown = peak − balance, the same quotient as the walk's.
  const share = (k: number) => {
    const peak = balance[k]! + drawdown[k]!;
    return peak <= 0 ? 0 : drawdown[k]! / peak;
  };
  record(0);
  for (let k = 0; k < events.length; k++) {
    walk.apply(prepared, events[k]!);
    record(k + 1);
  }

  const firstAt = events.length ? (events[0]! >= 0 ? new Date(closeMs[events[0]!]!) : cash[-1 - events[0]!]!.movement.at) : null;
  const startAt = input.period.from ?? firstAt ?? input.period.to ?? new Date(0);
  const point = (k: number): CurvePoint => {
    const common = {
      balance: formatMoney(balance[k]!, scale),
      drawdown: formatMoney(drawdown[k]!, scale),
      drawdownPercent: share(k) * 100,
    };
    if (k === 0) return { at: startAt, ...common, kind: "start", refId: null };
    const event = events[k - 1]!;
    if (event >= 0) return { at: new Date(closeMs[event]!), ...common, kind: "trade", refId: prepared.id(event) };
    const movement = cash[-1 - event]!.movement;
    return { at: movement.at, ...common, kind: "cash", refId: movement.id };
  };
  if (options.maxPoints !== undefined) return keptCurveIndices(n, options.maxPoints, balance, drawdown).map(point);
  const points = new Array<CurvePoint>(n);
  for (let k = 0; k < n; k++) points[k] = point(k);
  return points;
}
