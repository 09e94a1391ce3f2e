// What the MAE/MFE backfill reads and writes, as the service role acting for
// the trades' owner: the closed trades of an account not yet measured (or
// measured for an earlier close), and one trade_excursions row per trade.
import type pg from "pg";
import type { Excursion, ExcursionTrade } from "~/domain/excursions/excursion.ts";
import { valuePerPriceUnit } from "~/domain/excursions/value-per-price.ts";
import { resolveInstrument } from "~/domain/instruments/catalogue.ts";
import { withServiceRole } from "~/lib/service-role.server.ts";
import { readInstrumentOverrides } from "~/models/instrument-overrides.server.ts";

export interface PendingTrade extends ExcursionTrade {
  id: string;
  symbol: string;
  closedAt: Date;
}

export type ExcursionOutcome =
  | { tradeId: string; closedAt: Date; status: "measured"; excursion: Excursion }
  | { tradeId: string; closedAt: Date; status: "no_bars" | "unknown_symbol" };

interface PendingRow {
  id: string;
  symbol: string;
  direction: "buy" | "sell";
  opened_ms: number;
  closed_ms: number;
  closed_at: Date;
  entry_price: string;
  exit_price: string;
  closed_volume: string;
  gross_profit: string;
  initial_stop_loss: string | null;
  initial_risk_amount: string | null;
  exit_legs: string[] | null;
}

/** The account's owner, or null when the account is gone. */
export async function accountOwner(pool: pg.Pool, accountId: string): Promise<{ userId: string; currency: string } | null> {
  return withServiceRole(pool, null, async (db) => {
    const { rows } = await db.query<{ user_id: string; currency: string }>("select user_id, currency from public.accounts where id = $1", [
      accountId,
    ]);
    return rows[0] ? { userId: rows[0].user_id, currency: rows[0].currency } : null;
  });
}

/**
 * Up to `limit` closed trades of the account without a current measurement,
 * the latest closes first (the ones a user is likeliest to open). Exit legs
 * come from public.trade_leg_rows, the one read path for legs (ADR 017): a
 * position whose legs live in its trade row gets its one exit synthesised.
 */
export async function loadPendingTrades(
  pool: pg.Pool,
  owner: { userId: string; currency: string },
  accountId: string,
  limit: number,
): Promise<PendingTrade[]> {
  return withServiceRole(pool, owner.userId, async (db) => {
    const { rows } = await db.query<PendingRow>(
      `select t.id, t.symbol, t.direction, (extract(epoch from t.opened_at) * 1000)::float8 as opened_ms,
              (extract(epoch from t.closed_at) * 1000)::float8 as closed_ms, t.closed_at, t.entry_price::text, t.exit_price::text,
              coalesce(nullif(t.closed_volume, 0), t.volume)::text as closed_volume, t.gross_profit::text, t.initial_stop_loss::text, t.initial_risk_amount::text,
              (select array_agg(l.price::text order by l.executed_at) from public.trade_leg_rows l
                where l.trade_id = t.id and l.kind = 'exit') as exit_legs
         from public.trades t
        where t.account_id = $1 and t.user_id = $2 and t.status = 'closed' and t.closed_at is not null and t.exit_price is not null
          and not exists (select 1 from public.trade_excursions e where e.trade_id = t.id and e.trade_closed_at = t.closed_at)
        order by t.closed_at desc, t.id
        limit $3`,
      [accountId, owner.userId, limit],
    );
    if (rows.length === 0) return [];
    const overrides = (await readInstrumentOverrides(db, { accountId }))[accountId];
    return rows.map((row): PendingTrade => {
      const spec = resolveInstrument(row.symbol, overrides);
      return {
        id: row.id,
        symbol: row.symbol,
        closedAt: row.closed_at,
        direction: row.direction,
        openedMs: row.opened_ms,
        closedMs: row.closed_ms,
        entryPrice: row.entry_price,
        exitPrice: row.exit_price,
        ...(row.exit_legs && row.exit_legs.length > 1 ? { exitLegPrices: row.exit_legs } : {}),
        grossProfit: row.gross_profit,
        initialStopLoss: row.initial_stop_loss,
        initialRiskAmount: row.initial_risk_amount,
        pipSize: spec?.pipSize ?? null,
        fallbackMoneyPerPrice: valuePerPriceUnit(spec, owner.currency, row.closed_volume, row.exit_price),
      };
    });
  });
}

/** One statement per batch: a row per trade, replacing a measurement of an earlier close. */
export async function saveExcursions(pool: pg.Pool, userId: string, outcomes: readonly ExcursionOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  const rows = outcomes.map((outcome) => {
    const e = outcome.status === "measured" ? outcome.excursion : null;
    return {
      trade_id: outcome.tradeId,
      status: outcome.status,
      trade_closed_at: outcome.closedAt.toISOString(),
      timeframe: e?.timeframe ?? null,
      mae_price: e?.maePrice ?? null,
      mfe_price: e?.mfePrice ?? null,
      mae_pips: e?.maePips ?? null,
      mfe_pips: e?.mfePips ?? null,
      mae_money: e?.maeMoney ?? null,
      mfe_money: e?.mfeMoney ?? null,
      mae_r: e?.maeR ?? null,
      mfe_r: e?.mfeR ?? null,
      efficiency: e?.efficiency ?? null,
      mae_at: e ? new Date(e.maeAtMs).toISOString() : null,
      mfe_at: e ? new Date(e.mfeAtMs).toISOString() : null,
      bars: e?.barsOverlapping ?? null,
    };
  });
  await withServiceRole(pool, userId, (db) =>
    db.query(
      `insert into public.trade_excursions as x (trade_id, user_id, status, trade_closed_at, timeframe, mae_price, mfe_price, mae_pips, mfe_pips,
              mae_money, mfe_money, mae_r, mfe_r, efficiency, mae_at, mfe_at, bars, computed_at)
       select r.trade_id, $1, r.status, r.trade_closed_at, r.timeframe, r.mae_price, r.mfe_price, r.mae_pips, r.mfe_pips,
              r.mae_money, r.mfe_money, r.mae_r, r.mfe_r, r.efficiency, r.mae_at, r.mfe_at, r.bars, now()
         from jsonb_to_recordset($2::jsonb) as r(trade_id uuid, status text, trade_closed_at timestamptz, timeframe text, mae_price numeric,
              mfe_price numeric, mae_pips numeric, mfe_pips numeric, mae_money numeric, mfe_money numeric, mae_r numeric, mfe_r numeric,
              efficiency numeric, mae_at timestamptz, mfe_at timestamptz, bars integer)
         -- A trade deleted since it was read has nothing to attach to.
         join public.trades t on t.id = r.trade_id and t.user_id = $1
       on conflict (trade_id) do update set status = excluded.status, trade_closed_at = excluded.trade_closed_at, timeframe = excluded.timeframe,
              mae_price = excluded.mae_price, mfe_price = excluded.mfe_price, mae_pips = excluded.mae_pips, mfe_pips = excluded.mfe_pips,
              mae_money = excluded.mae_money, mfe_money = excluded.mfe_money, mae_r = excluded.mae_r, mfe_r = excluded.mfe_r,
              efficiency = excluded.efficiency, mae_at = excluded.mae_at, mfe_at = excluded.mfe_at, bars = excluded.bars, computed_at = now()`,
      [userId, JSON.stringify(rows)],
    ),
  );
}

/** Accounts with closed trades not yet measured: what the jobs process looks for when it starts. */
export async function accountsWithPendingTrades(pool: pg.Pool): Promise<string[]> {
  return withServiceRole(pool, null, async (db) => {
    const { rows } = await db.query<{ account_id: string }>(
      `select a.id as account_id from public.accounts a
        where exists (select 1 from public.trades t
                       where t.account_id = a.id and t.status = 'closed' and t.exit_price is not null
                         and not exists (select 1 from public.trade_excursions e where e.trade_id = t.id and e.trade_closed_at = t.closed_at))`,
    );
    return rows.map((row) => row.account_id);
  });
}

/**
 * Import batches completed in the last `withinMs` (with their account). An
 * import stamps completed_at with its transaction's start, so a long import
 * commits with an older time than shorter ones after it: callers remember
 * batch ids rather than a time watermark.
 */
export async function recentlyCompletedImports(pool: pg.Pool, withinMs: number): Promise<{ batchId: string; accountId: string }[]> {
  return withServiceRole(pool, null, async (db) => {
    const { rows } = await db.query<{ id: string; account_id: string }>(
      `select id, account_id from public.import_batches
        where status = 'completed' and completed_at > now() - make_interval(secs => $1)`,
      [withinMs / 1000],
    );
    return rows.map((row) => ({ batchId: row.id, accountId: row.account_id }));
  });
}
