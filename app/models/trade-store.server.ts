// Stores normalised trades and cash rows for one account: the one write path
// for file imports and the MT5 sync, so a position is one row however it
// arrives. Set-based: each chunk of a few thousand trades is one INSERT (and
// its legs ride along in the same statement), so 100 000 positions cost tens
// of statements, not hundreds of thousands.
//
// Dedupe (identity = account + position id; cash: account + deal id, or a
// fingerprint when the broker gave none):
//  - a position not yet stored           → inserted (with its legs);
//  - stored and closed                   → duplicate, left as it is;
//  - stored, open, and the input shows it closed or with more legs/volume
//                                        → updated: legs replaced by the
//    input's, totals, exit and status replaced; initial stop kept (write-once);
//  - stored with pnl_source 'user'       → never overwritten (duplicate);
//  - the same position twice in one input → the first wins, the rest are duplicates.
// Updated trades keep the import batch they came from, so undoing this import
// leaves them in place.
//
// The caller owns the transaction (withRlsTransaction as the user): a failure
// in any chunk rolls everything back.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { cashFingerprint } from "~/domain/imports/fingerprint.ts";
import type { CashMovementInput, TradeInput, TradeLegInput } from "~/domain/trades/types.ts";

export interface StoreContext {
  userId: string;
  accountId: string;
  source: "file" | "mt5";
  importBatchId: string | null;
}

export interface StoreResult {
  inserted: number;
  duplicates: number;
  updated: number;
  cashInserted: number;
  cashDuplicates: number;
}

export interface StoreProgress {
  done: number;
  total: number;
}

type Db = Pick<pg.PoolClient, "query">;

/** Trades per statement: large enough to amortise round trips, small enough to keep each JSON parameter a few MB. */
export const STORE_CHUNK_SIZE = 5000;

const MAX_COMMENT = 500;

interface ExistingTrade {
  id: string;
  status: "open" | "closed";
  pnlSource: string;
  volume: number;
  closedVolume: number;
  legCount: number;
}

/**
 * A time-ordered UUID (version 7): consecutive ids land next to each other in
 * the primary-key and trade_id indexes, so a 100 000-row import appends to the
 * b-trees instead of touching random pages all over them.
 */
let lastMs = 0;
let sequence = 0;
export function uuidV7(): string {
  // Monotonic: past 4 096 ids in one millisecond the clock part steps ahead.
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else if (++sequence > 0xfff) {
    lastMs++;
    sequence = 0;
  }
  // randomUUID draws from a cached entropy pool: far cheaper than randomBytes per id.
  const random = randomUUID();
  const time = lastMs.toString(16).padStart(12, "0");
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${sequence.toString(16).padStart(3, "0")}${random.slice(18)}`;
}

function clip(text: string | null, max: number): string | null {
  return text === null ? null : text.length > max ? text.slice(0, max) : text;
}

function legRow(tradeId: string, leg: TradeLegInput) {
  return {
    id: uuidV7(),
    trade_id: tradeId,
    deal_id: leg.dealId,
    order_id: leg.orderId,
    kind: leg.kind,
    direction: leg.direction,
    executed_at: leg.executedAt,
    off: leg.serverUtcOffsetMinutes,
    volume: leg.volume,
    price: leg.price,
    profit: leg.profit,
    commission: leg.commission,
    swap: leg.swap,
    fee: leg.fee,
    reason: leg.reason,
    comment: clip(leg.comment, MAX_COMMENT),
  };
}

function tradeRow(trade: TradeInput, id: string) {
  return {
    id,
    position_id: trade.positionId,
    symbol: trade.symbol,
    broker_symbol: trade.brokerSymbol,
    direction: trade.direction,
    status: trade.status,
    opened_at: trade.openedAt,
    closed_at: trade.closedAt,
    open_off: trade.openServerUtcOffsetMinutes,
    close_off: trade.closeServerUtcOffsetMinutes,
    volume: trade.volume,
    closed_volume: trade.closedVolume,
    entry_price: trade.entryPrice,
    exit_price: trade.exitPrice,
    initial_stop_loss: trade.initialStopLoss,
    stop_loss: trade.stopLoss,
    take_profit: trade.takeProfit,
    gross_profit: trade.grossProfit,
    commission: trade.commission,
    swap: trade.swap,
    fee: trade.fee,
    pnl_source: trade.pnlSource,
    profit_currency: trade.profitCurrency,
    conversion_rate: trade.conversionRate,
    pips: trade.pips,
    initial_risk_amount: trade.initialRiskAmount,
    close_reason: trade.closeReason,
    magic: trade.magic,
    comment: clip(trade.comment, MAX_COMMENT),
    raw: trade.raw,
  };
}

const TRADE_RECORD = `
  id uuid, position_id text, symbol text, broker_symbol text, direction text, status text,
  opened_at timestamptz, closed_at timestamptz, open_off smallint, close_off smallint,
  volume numeric, closed_volume numeric, entry_price numeric, exit_price numeric,
  initial_stop_loss numeric, stop_loss numeric, take_profit numeric,
  gross_profit numeric, commission numeric, swap numeric, fee numeric, pnl_source text,
  profit_currency text, conversion_rate numeric, pips numeric, initial_risk_amount numeric,
  close_reason text, magic bigint, comment text, raw jsonb`;

const LEG_RECORD = `
  deal_id text, order_id text, kind text, direction text, executed_at timestamptz, off smallint,
  volume numeric, price numeric, profit numeric, commission numeric, swap numeric, fee numeric,
  reason text, comment text`;

const LEG_COLUMNS =
  "id, user_id, trade_id, deal_id, order_id, kind, direction, executed_at, server_utc_offset_minutes, volume, price, profit, commission, swap, fee, reason, comment";
const LEG_VALUES =
  "l.deal_id, l.order_id, l.kind, l.direction, l.executed_at, l.off, l.volume, l.price, l.profit, l.commission, l.swap, l.fee, l.reason, l.comment";

// Trade ids are made here so the legs need no join back to the inserted rows
// (joining two 5 000-row function scans is where a planner guess can go quadratic).
const INSERT_TRADES_SQL = `
with input as (select * from jsonb_to_recordset($3::jsonb) as i(${TRADE_RECORD}))
insert into public.trades (
  id, user_id, account_id, position_id, symbol, broker_symbol, direction, status, opened_at, closed_at,
  open_server_utc_offset_minutes, close_server_utc_offset_minutes, volume, closed_volume, entry_price, exit_price,
  initial_stop_loss, stop_loss, take_profit, gross_profit, commission, swap, fee, pnl_source, profit_currency,
  conversion_rate, pips, initial_risk_amount, close_reason, magic, comment, raw, source, import_batch_id)
select i.id, $1, $2, i.position_id, i.symbol, i.broker_symbol, i.direction, i.status, i.opened_at, i.closed_at,
  i.open_off, i.close_off, i.volume, i.closed_volume, i.entry_price, i.exit_price,
  i.initial_stop_loss, i.stop_loss, i.take_profit, i.gross_profit, i.commission, i.swap, i.fee, i.pnl_source, i.profit_currency,
  i.conversion_rate, i.pips, i.initial_risk_amount, i.close_reason, i.magic, i.comment, i.raw, $4, $5
from input i
on conflict (account_id, position_id) do nothing
returning id`;

/** Legs as one flat record set; $3 (optional) limits them to the trades actually inserted. */
const INSERT_LEGS_SQL = `
insert into public.trade_legs (${LEG_COLUMNS})
select l.id, $1, l.trade_id, ${LEG_VALUES}
from jsonb_to_recordset($2::jsonb) as l(id uuid, trade_id uuid, ${LEG_RECORD})`;

const INSERT_SOME_LEGS_SQL = `
insert into public.trade_legs (${LEG_COLUMNS})
select l.id, $1, l.trade_id, ${LEG_VALUES}
from jsonb_to_recordset($2::jsonb) as l(id uuid, trade_id uuid, ${LEG_RECORD})
join unnest($3::uuid[]) as kept(id) on kept.id = l.trade_id`;

// Only open, non-user-edited trades of this account are touched; the
// conditions repeat the JS classification so a concurrent change cannot slip by.
const UPDATE_TRADES_SQL = `
with input as (select * from jsonb_to_recordset($3::jsonb) as i(${TRADE_RECORD})),
updated as (
  update public.trades t set
    status = i.status, closed_at = i.closed_at, close_server_utc_offset_minutes = i.close_off,
    volume = i.volume, closed_volume = i.closed_volume, entry_price = i.entry_price, exit_price = i.exit_price,
    initial_stop_loss = coalesce(t.initial_stop_loss, i.initial_stop_loss),
    stop_loss = coalesce(i.stop_loss, t.stop_loss), take_profit = coalesce(i.take_profit, t.take_profit),
    gross_profit = i.gross_profit, commission = i.commission, swap = i.swap, fee = i.fee, pnl_source = i.pnl_source,
    profit_currency = coalesce(i.profit_currency, t.profit_currency), conversion_rate = coalesce(i.conversion_rate, t.conversion_rate),
    pips = coalesce(i.pips, t.pips), close_reason = coalesce(i.close_reason, t.close_reason),
    comment = coalesce(i.comment, t.comment), raw = coalesce(i.raw, t.raw)
  from input i
  where t.id = i.id and t.user_id = $1 and t.account_id = $2 and t.status = 'open' and t.pnl_source <> 'user'
  returning t.id
),
cleared as (
  delete from public.trade_legs l using updated u where l.trade_id = u.id
)
select id from updated`;

const INSERT_CASH_SQL = `
with input as (
  select * from jsonb_to_recordset($3::jsonb) as c(
    deal_id text, kind text, amount numeric, occurred_at timestamptz, off smallint, comment text)
),
inserted as (
  insert into public.cash_movements (
    user_id, account_id, kind, amount, occurred_at, server_utc_offset_minutes, deal_id, comment, source, import_batch_id)
  select $1, $2, c.kind, c.amount, c.occurred_at, c.off, c.deal_id, c.comment, $4, $5 from input c
  on conflict (account_id, deal_id) do nothing
  returning 1
)
select count(*)::int as inserted from inserted`;

/**
 * The stored trades of an account among these position ids, in ONE query for
 * the whole input: the planner hashes the id list against the account's rows
 * once. (Per chunk, each query re-read the whole account; with
 * "position_id = any(…)" it also tested every row against the list.)
 */
export async function findExistingTrades(db: Db, accountId: string, positionIds: string[]): Promise<Map<string, ExistingTrade>> {
  const found = new Map<string, ExistingTrade>();
  if (positionIds.length === 0) return found;
  const { rows } = await db.query<{
    position_id: string;
    id: string;
    status: "open" | "closed";
    pnl_source: string;
    volume: string;
    closed_volume: string;
    leg_count: number | null;
  }>(
    `select t.position_id, t.id, t.status, t.pnl_source, t.volume::text, t.closed_volume::text,
            case when t.status = 'open' then (select count(*)::int from public.trade_legs l where l.trade_id = t.id) end as leg_count
       from unnest($2::text[]) as wanted(position_id)
       join public.trades t on t.account_id = $1 and t.position_id = wanted.position_id`,
    [accountId, positionIds],
  );
  for (const row of rows) {
    found.set(row.position_id, {
      id: row.id,
      status: row.status,
      pnlSource: row.pnl_source,
      volume: Number(row.volume),
      closedVolume: Number(row.closed_volume),
      legCount: row.leg_count ?? 0,
    });
  }
  return found;
}

/** How many of these positions the account already holds (the preview's "already imported"). */
export async function countExistingTrades(db: Db, accountId: string, positionIds: string[]): Promise<number> {
  if (positionIds.length === 0) return 0;
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n
       from unnest($2::text[]) as wanted(position_id)
       join public.trades t on t.account_id = $1 and t.position_id = wanted.position_id`,
    [accountId, positionIds],
  );
  return rows[0]?.n ?? 0;
}

/** Whether the input adds to a stored open position (it closed, or gained legs or volume). */
function extendsOpenTrade(existing: ExistingTrade, trade: TradeInput): boolean {
  if (existing.status !== "open" || existing.pnlSource === "user") return false;
  return (
    trade.status === "closed" ||
    trade.legs.length > existing.legCount ||
    Number(trade.closedVolume) > existing.closedVolume ||
    Number(trade.volume) > existing.volume
  );
}

/** The identity of a cash row: the broker's deal ticket, else the documented fingerprint. */
export function cashIdentity(cash: CashMovementInput): string {
  return cash.dealId ?? cashFingerprint({ kind: cash.kind, occurredAt: cash.occurredAt, amount: cash.amount, comment: cash.comment });
}

interface PreparedChunk {
  size: number;
  /** Duplicates decided in JS (stored and closed, user-edited, or repeated in the input). */
  skipped: number;
  freshCount: number;
  fresh: string | null;
  freshLegs: string | null;
  extendingCount: number;
  extending: string | null;
  extendingLegs: string | null;
}

export async function storeTrades(
  db: Db,
  context: StoreContext,
  input: { trades: TradeInput[]; cash: CashMovementInput[] },
  onProgress?: (progress: StoreProgress) => void | Promise<void>,
): Promise<StoreResult> {
  const { userId, accountId, source, importBatchId } = context;
  const owned = await db.query("select 1 from public.accounts where id = $1 and user_id = $2", [accountId, userId]);
  if (owned.rowCount === 0) throw new Error(`account ${accountId} is not an account of user ${userId}`);

  const total = input.trades.length + input.cash.length;
  let done = 0;
  const result: StoreResult = { inserted: 0, duplicates: 0, updated: 0, cashInserted: 0, cashDuplicates: 0 };
  const seen = new Set<string>();

  const existing = await findExistingTrades(db, accountId, input.trades.map((t) => t.positionId));

  // Classifies a chunk and serialises its rows: the JS half of the work.
  const prepare = (start: number): PreparedChunk => {
    const chunk = input.trades.slice(start, start + STORE_CHUNK_SIZE);
    const fresh: ReturnType<typeof tradeRow>[] = [];
    const freshLegs: ReturnType<typeof legRow>[] = [];
    const extending: ReturnType<typeof tradeRow>[] = [];
    const extendingLegs: ReturnType<typeof legRow>[] = [];
    let skipped = 0;
    for (const trade of chunk) {
      const stored = existing.get(trade.positionId);
      if (seen.has(trade.positionId)) skipped++;
      else if (!stored) {
        const id = uuidV7();
        fresh.push(tradeRow(trade, id));
        for (const leg of trade.legs) freshLegs.push(legRow(id, leg));
      } else if (extendsOpenTrade(stored, trade)) {
        extending.push(tradeRow(trade, stored.id));
        for (const leg of trade.legs) extendingLegs.push(legRow(stored.id, leg));
      } else skipped++;
      seen.add(trade.positionId);
    }
    return {
      size: chunk.length,
      skipped,
      freshCount: fresh.length,
      fresh: fresh.length ? JSON.stringify(fresh) : null,
      freshLegs: freshLegs.length ? JSON.stringify(freshLegs) : null,
      extendingCount: extending.length,
      extending: extending.length ? JSON.stringify(extending) : null,
      extendingLegs: extendingLegs.length ? JSON.stringify(extendingLegs) : null,
    };
  };

  // The database half.
  const execute = async (chunk: PreparedChunk): Promise<void> => {
    result.duplicates += chunk.skipped;
    if (chunk.fresh) {
      const { rows } = await db.query<{ id: string }>(INSERT_TRADES_SQL, [userId, accountId, chunk.fresh, source, importBatchId]);
      result.inserted += rows.length;
      // Stored meanwhile by a concurrent import or sync: those legs are not ours to add.
      result.duplicates += chunk.freshCount - rows.length;
      if (chunk.freshLegs) {
        if (rows.length === chunk.freshCount) await db.query(INSERT_LEGS_SQL, [userId, chunk.freshLegs]);
        else await db.query(INSERT_SOME_LEGS_SQL, [userId, chunk.freshLegs, rows.map((r) => r.id)]);
      }
    }
    if (chunk.extending) {
      const { rows } = await db.query<{ id: string }>(UPDATE_TRADES_SQL, [userId, accountId, chunk.extending]);
      const updatedIds = rows.map((r) => r.id);
      if (updatedIds.length && chunk.extendingLegs) await db.query(INSERT_SOME_LEGS_SQL, [userId, chunk.extendingLegs, updatedIds]);
      result.updated += updatedIds.length;
      result.duplicates += chunk.extendingCount - updatedIds.length;
    }
  };

  // Pipelined: while PostgreSQL inserts one chunk, the next one is serialised
  // here (the query is on the wire before prepare() runs; the two processes
  // work in parallel).
  let next: PreparedChunk | null = input.trades.length ? prepare(0) : null;
  for (let start = 0; next; start += STORE_CHUNK_SIZE) {
    const current: PreparedChunk = next;
    const storing = execute(current);
    next = start + STORE_CHUNK_SIZE < input.trades.length ? prepare(start + STORE_CHUNK_SIZE) : null;
    await storing;
    done += current.size;
    await onProgress?.({ done, total });
  }

  for (let start = 0; start < input.cash.length; start += STORE_CHUNK_SIZE) {
    const chunk = input.cash.slice(start, start + STORE_CHUNK_SIZE).map((cash) => ({
      deal_id: cashIdentity(cash),
      kind: cash.kind,
      amount: cash.amount,
      occurred_at: cash.occurredAt,
      off: cash.serverUtcOffsetMinutes,
      comment: clip(cash.comment, MAX_COMMENT),
    }));
    const { rows } = await db.query<{ inserted: number }>(INSERT_CASH_SQL, [
      userId, accountId, JSON.stringify(chunk), source, importBatchId,
    ]);
    const inserted = rows[0]?.inserted ?? 0;
    result.cashInserted += inserted;
    result.cashDuplicates += chunk.length - inserted;
    done += chunk.length;
    await onProgress?.({ done, total });
  }
  return result;
}
