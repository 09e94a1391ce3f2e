// Snapshot at exit (issue 14 item 6): a trade that closed now was queued by a
// trigger on trades (public.trade_candle_snapshots, status pending). For each,
// its chart's default window — the same one the trade page opens on — is
// asked for like a page would; once the cache holds it, its bars are copied
// into the snapshot row in one statement, so the chart renders after the
// shared cache evicts them. A window that cannot be had marks the snapshot
// unavailable; one still loading is looked at again on the next sweep.
import type pg from "pg";
import { defaultTimeframe, tradeWindow } from "~/domain/charts/trade-window.ts";
import { withServiceRole } from "~/lib/service-role.server.ts";

const BATCH = 20;
/** Sweeps (15 s apart) a snapshot waits for its window before it is given up. */
const MAX_ATTEMPTS = 240;

interface PendingSnapshot {
  trade_id: string;
  symbol: string;
  opened_at: Date;
  closed_at: Date | null;
  attempts: number;
}

/** Takes the snapshots whose windows are ready; returns how many were taken. */
export async function takeTradeSnapshots(pool: pg.Pool, now: Date): Promise<number> {
  const pending = await withServiceRole(pool, null, (db) =>
    db.query<PendingSnapshot>(
      `select s.trade_id, s.symbol, t.opened_at, t.closed_at, s.attempts
         from public.trade_candle_snapshots s join public.trades t on t.id = s.trade_id
        where s.status = 'pending' order by s.queued_at limit $1`,
      [BATCH],
    ),
  );
  let taken = 0;
  for (const snapshot of pending.rows) {
    const closedAt = snapshot.closed_at ?? now;
    const timeframe = defaultTimeframe(snapshot.opened_at, closedAt);
    const window = tradeWindow(snapshot.opened_at, closedAt, timeframe, now);
    const done = await withServiceRole(pool, null, async (db) => {
      const { rows } = await db.query<{ status: string; reason: string | null }>(
        "select status, reason from public.request_candle_window($1, $2, $3, $4)",
        [snapshot.symbol, timeframe, window.from, window.to],
      );
      const answer = rows[0];
      if (answer?.status === "ready") {
        await db.query(
          `update public.trade_candle_snapshots s
              set status = 'ready', timeframe = $2, from_at = $3, to_at = $4, taken_at = now(), attempts = s.attempts + 1,
                  bars = (select coalesce(jsonb_agg(jsonb_build_array(extract(epoch from c.opened_at)::int8, c.open, c.high, c.low, c.close)
                                                    order by c.opened_at), '[]'::jsonb)
                            from public.candle_cache c
                           where c.symbol = s.symbol and c.timeframe = $2 and c.opened_at >= $3 and c.opened_at < $4)
            where s.trade_id = $1`,
          [snapshot.trade_id, timeframe, window.from, window.to],
        );
        return true;
      }
      const giveUp = answer?.status !== "loading" || snapshot.attempts + 1 >= MAX_ATTEMPTS;
      await db.query(
        `update public.trade_candle_snapshots set attempts = attempts + 1,
                status = case when $2 then 'unavailable' else status end, reason = case when $2 then $3 else reason end
          where trade_id = $1`,
        [snapshot.trade_id, giveUp, answer?.status === "loading" ? "timed_out" : (answer?.reason ?? "failed")],
      );
      return false;
    });
    if (done) taken++;
  }
  return taken;
}
