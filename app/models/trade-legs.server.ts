// A trade's legs, whichever way they are stored (docs/decisions/017): rows in
// trade_legs, or the single entry/exit pair its trade row holds, synthesised
// by public.trade_leg_rows. Every reader of legs goes through this view.
import type { RequestDb } from "~/lib/db.server.ts";
import type { TradeLeg } from "./trade-detail.types.ts";

interface LegDbRow {
  id: string;
  deal_id: string | null;
  order_id: string | null;
  kind: "entry" | "exit";
  direction: "buy" | "sell";
  executed_at: Date;
  volume: string;
  price: string;
  profit: string;
  commission: string;
  swap: string;
  fee: string;
  reason: string | null;
  comment: string | null;
}

/** The trade's legs in execution order (entries before exits at one instant), as the caller may see them. */
export async function loadTradeLegs(db: Pick<RequestDb, "query">, tradeId: string): Promise<TradeLeg[]> {
  const { rows } = await db.query<LegDbRow>(
    `select id, deal_id, order_id, kind, direction, executed_at, volume::text, price::text, profit::text,
            commission::text, swap::text, fee::text, reason, comment
       from public.trade_leg_rows where trade_id = $1
      order by executed_at, case kind when 'entry' then 0 else 1 end, deal_id nulls last, id`,
    [tradeId],
  );
  return rows.map((leg) => ({
    id: leg.id,
    dealId: leg.deal_id,
    orderId: leg.order_id,
    kind: leg.kind,
    direction: leg.direction,
    executedAt: leg.executed_at.toISOString(),
    volume: leg.volume,
    price: leg.price,
    profit: leg.profit,
    commission: leg.commission,
    swap: leg.swap,
    fee: leg.fee,
    reason: leg.reason,
    comment: leg.comment,
  }));
}

/**
 * Turns a trade whose row holds its legs into one with leg rows, the same legs
 * as before: for an edit that changes the row (its prices, times or money)
 * but must leave the broker's deals as they were.
 */
export async function materialiseTradeLegs(db: Pick<RequestDb, "query">, tradeId: string): Promise<void> {
  await db.query(
    `with pair as (
       update public.trades set legs_in_row = false where id = $1 and legs_in_row
       returning id
     )
     insert into public.trade_legs (id, user_id, trade_id, deal_id, order_id, kind, direction, executed_at, server_utc_offset_minutes,
                                    volume, price, profit, commission, swap, fee, reason, comment)
     select l.id, l.user_id, l.trade_id, l.deal_id, l.order_id, l.kind, l.direction, l.executed_at, l.server_utc_offset_minutes,
            l.volume, l.price, l.profit, l.commission, l.swap, l.fee, l.reason, l.comment
       from public.trade_leg_rows l join pair p on p.id = l.trade_id`,
    [tradeId],
  );
}
