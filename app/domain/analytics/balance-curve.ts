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
  const { events, scale, startingBalance } = prepare(input);
  const walk = new NeutralisedDrawdown(startingBalance);
  const firstAt = events[0] ? (events[0].kind === "cash" ? events[0].movement.at : events[0].trade.closedAt) : null;
  const startAt = input.period.from ?? firstAt ?? input.period.to ?? new Date(0);
  const points: CurvePoint[] = [point(startAt, "start", null)];
  for (const event of events) {
    if (event.kind === "cash") {
      walk.cash(event.amount);
      points.push(point(event.movement.at, "cash", event.movement.id));
    } else {
      walk.trade(event.net);
      points.push(point(event.trade.closedAt, "trade", event.trade.id));
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
