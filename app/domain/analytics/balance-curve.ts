import { NeutralisedDrawdown } from "./drawdown.ts";
import { formatMoney } from "./money.ts";
import { prepare } from "./prepare.ts";
import type { AnalyticsInput, CurvePoint } from "./types.ts";

/**
 * The balance after each closed trade and each cash movement, from the
 * balance at the period start (docs/metrics.md#balance-curve). Events go by
 * time; a cash movement and a trade at the same instant: the cash first (a
 * deposit is on the account before the trade that closes with it is
 * counted, and the trade's return is measured against it). The start point
 * is at period.from, or at the first event for an open-ended period.
 */
export function balanceCurve(input: AnalyticsInput): CurvePoint[] {
  const prepared = prepare(input);
  const { events, scale, trades, cash } = prepared;
  const walk = new NeutralisedDrawdown(prepared.startingBalance);
  const firstAt = events.length ? (events[0]! >= 0 ? trades[events[0]!]!.closedAt : cash[-1 - events[0]!]!.movement.at) : null;
  const points: CurvePoint[] = [point(input.period.from ?? firstAt ?? input.period.to ?? new Date(0), "start", null)];
  for (const event of events) {
    walk.apply(prepared, event);
    if (event >= 0) {
      points.push(point(trades[event]!.closedAt, "trade", trades[event]!.id));
    } else {
      const movement = cash[-1 - event]!.movement;
      points.push(point(movement.at, "cash", movement.id));
    }
  }
  return points;

  function point(at: Date, kind: CurvePoint["kind"], refId: string | null): CurvePoint {
    return {
      at,
      balance: formatMoney(walk.balance, scale),
      drawdown: formatMoney(walk.drawdown, scale),
      drawdownPercent: (walk.drawdownShare ?? 0) * 100,
      kind,
      refId,
    };
  }
}
