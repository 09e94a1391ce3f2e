// Stores normalised trades and cash rows for one account: the one write path
// for file imports and the MT5 sync, so a position is one row however it
// arrives. Set-based: each statement of a few thousand trades is one INSERT
// of the trades and one of their legs, the rows travelling as binary column
// arrays (`unnest($n::type[])`, app/models/pg-binary-array.ts), so 100 000
// positions cost tens of statements, not hundreds of thousands. The session
// tag is computed here (app/domain/session-tag-cache.ts, the rules of
// app/domain/sessions.ts), so the database's trigger does not run per row.
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
// storeTrades takes the whole input at once; storeTradeChunks takes it as a
// stream of chunks (a large file's trades are built chunk by chunk while the
// previous statement is being written, so they never all exist at once), and
// can tell the source which positions it need not build at all.
//
// Legs are rows only where they carry information (docs/decisions/017): a
// position of one entry and one exit deal (or one entry, open) that its row
// gives back exactly (app/domain/trades/leg-pair.ts) keeps the pair's own
// facts in trade columns and writes no trade_legs rows; readers get legs from
// public.trade_leg_rows (app/models/trade-legs.server.ts).
//
// The caller owns the transaction (withRlsTransaction as the user): a failure
// in any statement rolls everything back.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { RequestDb } from "~/lib/db.server.ts";
import { cashFingerprint } from "~/domain/imports/fingerprint.ts";
import { cachedSessionTag } from "~/domain/session-tag-cache.ts";
import type { SkippedTrade } from "~/domain/imports/import-plan.ts";
import type { InstrumentOverrides } from "~/domain/instruments/catalogue.ts";
import { legPairOf, type LegPairColumns } from "~/domain/trades/leg-pair.ts";
import { tradePips } from "~/domain/trades/pips.ts";
import type { CashMovementInput, TradeInput, TradeLegInput } from "~/domain/trades/types.ts";
import { readInstrumentOverrides } from "./instrument-overrides.server.ts";
import { arrayLiteral } from "./pg-array-literal.ts";
import { BinaryArray, type ElementType } from "./pg-binary-array.ts";

export interface StoreContext {
  userId: string;
  accountId: string;
  source: "file" | "mt5";
  importBatchId: string | null;
  /** The account's instrument corrections, when the caller holds them already (the sync); read here otherwise. */
  instrumentOverrides?: InstrumentOverrides;
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

type Db = RequestDb;

/** Trades per statement: large enough to amortise round trips, small enough that each statement's buffers stay a few MB. */
export const STORE_CHUNK_SIZE = 2500;

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

type Value = string | number | boolean | null;
type Column<Row> = readonly [name: string, type: ElementType, value: (row: Row, id: string) => Value | Date];

/**
 * Rows of one statement, column by column: each column becomes one binary
 * array parameter (app/models/pg-binary-array.ts) that unnest turns back
 * into rows.
 */
class ColumnRows<Row> {
  private readonly arrays: BinaryArray[];
  count = 0;
  constructor(private readonly columns: readonly Column<Row>[]) {
    this.arrays = columns.map(([, type]) => new BinaryArray(type));
  }
  add(row: Row, id: string): void {
    for (let i = 0; i < this.columns.length; i++) {
      const value = this.columns[i]![2](row, id);
      if (value instanceof Date || this.columns[i]![1] === "timestamptz") this.arrays[i]!.pushTime(value as Date | null);
      else this.arrays[i]!.push(value);
    }
    this.count++;
  }
  parameters(): Buffer[] {
    return this.arrays.map((array) => array.toBuffer());
  }
  /** Empties the rows, keeping the buffers (a chunk's statements must have completed). */
  reset(): this {
    for (const array of this.arrays) array.reset();
    this.count = 0;
    return this;
  }
}

/** A trade as it is written: its legs are rows unless its row holds them (`pair`, docs/decisions/017). */
interface PlannedTrade {
  trade: TradeInput;
  pair: LegPairColumns | null;
}

const clipComment = (comment: string | null) => clip(comment, MAX_COMMENT);

function planned(trade: TradeInput): PlannedTrade {
  return { trade, pair: legPairOf(trade, clipComment) };
}

// Trade columns in parameter order, with the types unnest reads them as.
const TRADE_COLUMNS: readonly Column<PlannedTrade>[] = [
  ["id", "uuid", (_, id) => id],
  ["position_id", "text", ({ trade: t }) => t.positionId],
  ["symbol", "text", ({ trade: t }) => t.symbol],
  ["broker_symbol", "text", ({ trade: t }) => t.brokerSymbol],
  ["direction", "text", ({ trade: t }) => t.direction],
  ["status", "text", ({ trade: t }) => t.status],
  ["opened_at", "timestamptz", ({ trade: t }) => t.openedAt],
  ["closed_at", "timestamptz", ({ trade: t }) => t.closedAt],
  ["open_server_utc_offset_minutes", "int2", ({ trade: t }) => t.openServerUtcOffsetMinutes],
  ["close_server_utc_offset_minutes", "int2", ({ trade: t }) => t.closeServerUtcOffsetMinutes],
  ["volume", "numeric", ({ trade: t }) => t.volume],
  ["closed_volume", "numeric", ({ trade: t }) => t.closedVolume],
  ["entry_price", "numeric", ({ trade: t }) => t.entryPrice],
  ["exit_price", "numeric", ({ trade: t }) => t.exitPrice],
  ["initial_stop_loss", "numeric", ({ trade: t }) => t.initialStopLoss],
  ["stop_loss", "numeric", ({ trade: t }) => t.stopLoss],
  ["take_profit", "numeric", ({ trade: t }) => t.takeProfit],
  ["gross_profit", "numeric", ({ trade: t }) => t.grossProfit],
  ["commission", "numeric", ({ trade: t }) => t.commission],
  ["swap", "numeric", ({ trade: t }) => t.swap],
  ["fee", "numeric", ({ trade: t }) => t.fee],
  ["pnl_source", "text", ({ trade: t }) => t.pnlSource],
  ["profit_currency", "text", ({ trade: t }) => t.profitCurrency],
  ["conversion_rate", "numeric", ({ trade: t }) => t.conversionRate],
  ["pips", "numeric", ({ trade: t }) => t.pips],
  ["initial_risk_amount", "numeric", ({ trade: t }) => t.initialRiskAmount],
  ["close_reason", "text", ({ trade: t }) => t.closeReason],
  ["magic", "int8", ({ trade: t }) => t.magic],
  ["comment", "text", ({ trade: t }) => clip(t.comment, MAX_COMMENT)],
  ["raw", "jsonb", ({ trade: t }) => (t.raw === null ? null : JSON.stringify(t.raw))],
  ["session_tag", "text", ({ trade: t }) => cachedSessionTag(t.openedAt)],
  ["legs_in_row", "bool", ({ pair }) => pair !== null],
  ["entry_deal_id", "text", ({ pair }) => pair?.entryDealId ?? null],
  ["entry_order_id", "text", ({ pair }) => pair?.entryOrderId ?? null],
  ["entry_reason", "text", ({ pair }) => pair?.entryReason ?? null],
  ["entry_comment", "text", ({ pair }) => pair?.entryComment ?? null],
  ["entry_commission", "numeric", ({ pair }) => pair?.entryCommission ?? null],
  ["entry_fee", "numeric", ({ pair }) => pair?.entryFee ?? null],
  ["exit_deal_id", "text", ({ pair }) => pair?.exitDealId ?? null],
  ["exit_order_id", "text", ({ pair }) => pair?.exitOrderId ?? null],
  ["exit_reason", "text", ({ pair }) => pair?.exitReason ?? null],
  ["exit_comment", "text", ({ pair }) => pair?.exitComment ?? null],
  ["exit_commission", "numeric", ({ pair }) => pair?.exitCommission ?? null],
  ["exit_fee", "numeric", ({ pair }) => pair?.exitFee ?? null],
];

const LEG_COLUMNS: readonly Column<TradeLegInput>[] = [
  ["id", "uuid", () => uuidV7()],
  ["trade_id", "uuid", (_, tradeId) => tradeId],
  ["deal_id", "text", (l) => l.dealId],
  ["order_id", "text", (l) => l.orderId],
  ["kind", "text", (l) => l.kind],
  ["direction", "text", (l) => l.direction],
  ["executed_at", "timestamptz", (l) => l.executedAt],
  ["server_utc_offset_minutes", "int2", (l) => l.serverUtcOffsetMinutes],
  ["volume", "numeric", (l) => l.volume],
  ["price", "numeric", (l) => l.price],
  ["profit", "numeric", (l) => l.profit],
  ["commission", "numeric", (l) => l.commission],
  ["swap", "numeric", (l) => l.swap],
  ["fee", "numeric", (l) => l.fee],
  ["reason", "text", (l) => l.reason],
  ["comment", "text", (l) => clip(l.comment, MAX_COMMENT)],
];

/** `unnest($first::t1[], $first+1::t2[], …) as alias(c1, c2, …)` for these columns. */
function unnestOf(columns: readonly Column<never>[], first: number, alias: string): string {
  const arrays = columns.map(([, type], i) => `$${first + i}::${type}[]`).join(", ");
  return `unnest(${arrays}) as ${alias}(${columns.map(([name]) => name).join(", ")})`;
}

const TRADE_NAMES = TRADE_COLUMNS.map(([name]) => name);
const LEG_NAMES = LEG_COLUMNS.map(([name]) => name);

// $1 user, $2 account, $3 source, $4 batch, then one array per trade column.
const INSERT_TRADES_SQL = `
with inserted as (
  insert into public.trades (${TRADE_NAMES.join(", ")}, user_id, account_id, source, import_batch_id)
  select ${TRADE_NAMES.map((name) => `i.${name}`).join(", ")}, $1, $2, $3, $4
  from ${unnestOf(TRADE_COLUMNS, 5, "i")}
  on conflict (account_id, position_id) do nothing
  returning 1
)
select count(*)::int as inserted from inserted`;

// $1 user, then one array per leg column. Trade ids are made here, so the legs
// need no join back to the trades just inserted.
const INSERT_LEGS_SQL = `
insert into public.trade_legs (${LEG_NAMES.join(", ")}, user_id)
select ${LEG_NAMES.map((name) => `l.${name}`).join(", ")}, $1
from ${unnestOf(LEG_COLUMNS, 2, "l")}`;

// The same, for legs of only those trades that are stored now (a concurrent
// import or sync stored some of the chunk's positions first, or an update
// skipped a trade): the ids were made for this input, so a trade with that id
// exists only if this input wrote it.
const INSERT_STORED_TRADES_LEGS_SQL = `${INSERT_LEGS_SQL}
where exists (select 1 from public.trades t where t.id = l.trade_id)`;

// $1 user, $2 account, then the trade arrays. Only open, non-user-edited trades of this account are touched; the
// conditions repeat the JS classification so a concurrent change cannot slip by.
const UPDATE_TRADES_SQL = `
with updated as (
  update public.trades t set
    status = i.status, closed_at = i.closed_at, close_server_utc_offset_minutes = i.close_server_utc_offset_minutes,
    volume = i.volume, closed_volume = i.closed_volume, entry_price = i.entry_price, exit_price = i.exit_price,
    initial_stop_loss = coalesce(t.initial_stop_loss, i.initial_stop_loss),
    stop_loss = coalesce(i.stop_loss, t.stop_loss), take_profit = coalesce(i.take_profit, t.take_profit),
    gross_profit = i.gross_profit, commission = i.commission, swap = i.swap, fee = i.fee, pnl_source = i.pnl_source,
    profit_currency = coalesce(i.profit_currency, t.profit_currency), conversion_rate = coalesce(i.conversion_rate, t.conversion_rate),
    pips = coalesce(i.pips, t.pips), close_reason = coalesce(i.close_reason, t.close_reason),
    comment = coalesce(i.comment, t.comment), raw = coalesce(i.raw, t.raw),
    legs_in_row = i.legs_in_row, entry_deal_id = i.entry_deal_id, entry_order_id = i.entry_order_id,
    entry_reason = i.entry_reason, entry_comment = i.entry_comment, entry_commission = i.entry_commission,
    entry_fee = i.entry_fee, exit_deal_id = i.exit_deal_id, exit_order_id = i.exit_order_id, exit_reason = i.exit_reason,
    exit_comment = i.exit_comment, exit_commission = i.exit_commission, exit_fee = i.exit_fee
  from ${unnestOf(TRADE_COLUMNS, 3, "i")}
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

/** A stored trade that is closed or edited by the user: a duplicate whatever the input says. */
const SETTLED: ExistingTrade = { id: "", status: "closed", pnlSource: "user", volume: 0, closedVolume: 0, legCount: 0 };

/**
 * What the account already holds among these position ids, in ONE query:
 * the planner probes the identity index once per id. (Per chunk with
 * "position_id = any(…)", each query re-read the whole account.) Only open,
 * non-user-edited trades can be extended, so only they come back in detail;
 * the rest — nearly all of a re-imported file — come back as one array of
 * ids, not 100 000 rows.
 */
export async function findExistingTrades(db: Db, accountId: string, positionIds: string[]): Promise<Map<string, ExistingTrade>> {
  const found = new Map<string, ExistingTrade>();
  if (positionIds.length === 0) return found;
  const { rows } = await db.query<{
    settled: string[] | null;
    open: { position_id: string; id: string; status: "open"; pnl_source: string; volume: string; closed_volume: string; leg_count: number }[] | null;
  }>(
    `select array_agg(t.position_id) filter (where not (t.status = 'open' and t.pnl_source <> 'user')) as settled,
            json_agg(json_build_object(
              'position_id', t.position_id, 'id', t.id, 'status', t.status, 'pnl_source', t.pnl_source,
              'volume', t.volume::text, 'closed_volume', t.closed_volume::text,
              'leg_count', (select count(*)::int from public.trade_leg_rows l where l.trade_id = t.id)
            )) filter (where t.status = 'open' and t.pnl_source <> 'user') as open
       from unnest($2::text[]) as wanted(position_id)
       join public.trades t on t.account_id = $1 and t.position_id = wanted.position_id`,
    [accountId, arrayLiteral(positionIds)],
  );
  for (const positionId of rows[0]?.settled ?? []) found.set(positionId, SETTLED);
  for (const row of rows[0]?.open ?? []) {
    found.set(row.position_id, {
      id: row.id,
      status: row.status,
      pnlSource: row.pnl_source,
      volume: Number(row.volume),
      closedVolume: Number(row.closed_volume),
      legCount: row.leg_count,
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
    [accountId, arrayLiteral(positionIds)],
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

/** One statement's trades, classified and serialised. */
interface PreparedChunk {
  size: number;
  /** Duplicates decided in JS (stored and closed, user-edited, or repeated in the input). */
  skipped: number;
  fresh: ColumnRows<PlannedTrade>;
  freshLegs: ColumnRows<TradeLegInput>;
  extending: ColumnRows<PlannedTrade>;
  /** Legs of the extending trades, by the stored trade id (inserted only for trades the update touched). */
  extendingLegs: Map<string, TradeLegInput[]>;
}

type Chunk = (TradeInput | SkippedTrade)[];
type ChunkSource = Iterable<Chunk> | AsyncIterable<Chunk>;

export interface TradeChunks {
  /**
   * The trades, a chunk at a time (any size: chunks are gathered into
   * statements of STORE_CHUNK_SIZE). As a function, it is told which
   * positions are stored already and settled (closed or edited by the user:
   * duplicates whatever the input says), so a source can hand those back
   * unbuilt — with the position ids known up front.
   */
  chunks: ChunkSource | ((settled: (positionId: string) => boolean) => ChunkSource);
  /** How many trades the chunks hold in all (for progress). */
  tradeCount: number;
  /**
   * Every position id of the chunks, when known up front: one lookup for the
   * whole input instead of one per chunk.
   */
  positionIds?: string[];
  cash: CashMovementInput[];
}

/** Stores all of `input` (see the header comment); the MT5 sync and small imports call this. */
export async function storeTrades(
  db: Db,
  context: StoreContext,
  input: { trades: TradeInput[]; cash: CashMovementInput[] },
  onProgress?: (progress: StoreProgress) => void | Promise<void>,
): Promise<StoreResult> {
  const chunks: TradeInput[][] = [];
  for (let start = 0; start < input.trades.length; start += STORE_CHUNK_SIZE) chunks.push(input.trades.slice(start, start + STORE_CHUNK_SIZE));
  return storeTradeChunks(
    db,
    context,
    { chunks, tradeCount: input.trades.length, positionIds: input.trades.map((t) => t.positionId), cash: input.cash },
    onProgress,
  );
}

/** A query whose failure is handled where it is awaited (a failed statement fails the ones queued behind it too). */
function send<T extends pg.QueryResultRow>(db: Db, text: string, values: unknown[]): Promise<pg.QueryResult<T>> {
  const pending = db.query<T>(text, values);
  pending.catch(() => {});
  return pending;
}

/**
 * Stores trades that arrive chunk by chunk. Pipelined so PostgreSQL never
 * waits for JavaScript: while the database inserts one chunk's legs, the
 * next chunk is pulled from the source (a parser builds its trades then) and
 * serialised, and its INSERT is queued behind the legs.
 */
export async function storeTradeChunks(
  db: Db,
  context: StoreContext,
  input: TradeChunks,
  onProgress?: (progress: StoreProgress) => void | Promise<void>,
): Promise<StoreResult> {
  const { userId, accountId, source, importBatchId } = context;
  const owned = await db.query("select 1 from public.accounts where id = $1 and user_id = $2", [accountId, userId]);
  if (owned.rowCount === 0) throw new Error(`account ${accountId} is not an account of user ${userId}`);
  // Brokers report no pips; they come from the prices and this account's instrument corrections.
  const overrides = context.instrumentOverrides ?? (await readInstrumentOverrides(db, { accountId }))[accountId];

  const total = input.tradeCount + input.cash.length;
  let done = 0;
  const result: StoreResult = { inserted: 0, duplicates: 0, updated: 0, cashInserted: 0, cashDuplicates: 0 };
  const seen = new Set<string>();
  const knownUpFront = input.positionIds ? await findExistingTrades(db, accountId, input.positionIds) : null;

  // Two sets of column buffers, taking turns: statement n+2 reuses statement
  // n's, whose queries have completed by then (each statement's legs are
  // awaited before the one after next is filled). Buffers made anew per
  // statement were most of an import's garbage.
  const buffers = [0, 1].map(() => ({ trades: new ColumnRows(TRADE_COLUMNS), legs: new ColumnRows(LEG_COLUMNS) }));
  let turn = 0;

  const newStatement = (): PreparedChunk => {
    const set = buffers[(turn ^= 1)]!;
    return {
      size: 0,
      skipped: 0,
      fresh: set.trades.reset(),
      freshLegs: set.legs.reset(),
      extending: new ColumnRows(TRADE_COLUMNS),
      extendingLegs: new Map(),
    };
  };

  /** Classifies trades into a statement and serialises them: the JS half of the work. */
  const classify = (statement: PreparedChunk, trades: Chunk, existing: Map<string, ExistingTrade>): void => {
    statement.size += trades.length;
    for (const trade of trades) {
      const stored = existing.get(trade.positionId);
      if (seen.has(trade.positionId) || "skipped" in trade) statement.skipped++;
      else if (!stored) {
        trade.pips ??= tradePips(trade, overrides);
        const id = uuidV7();
        const plan = planned(trade);
        statement.fresh.add(plan, id);
        if (!plan.pair) for (const leg of trade.legs) statement.freshLegs.add(leg, id);
      } else if (extendsOpenTrade(stored, trade)) {
        trade.pips ??= tradePips(trade, overrides);
        const plan = planned(trade);
        statement.extending.add(plan, stored.id);
        statement.extendingLegs.set(stored.id, plan.pair ? [] : trade.legs);
      } else statement.skipped++;
      seen.add(trade.positionId);
    }
  };

  const chunks: ChunkSource =
    typeof input.chunks === "function" ? input.chunks((positionId) => knownUpFront?.get(positionId) === SETTLED) : input.chunks;
  const iterator =
    Symbol.asyncIterator in chunks ? (chunks as AsyncIterable<Chunk>)[Symbol.asyncIterator]() : (chunks as Iterable<Chunk>)[Symbol.iterator]();
  let sourceDone = false;

  /**
   * The next statement, filled from the source until it holds
   * STORE_CHUNK_SIZE trades; null when nothing is left. With the position ids
   * known up front each source chunk is serialised as it arrives, so its
   * TradeInputs are garbage at once (a plan builds them in small chunks for
   * that); otherwise a statement's trades wait for their lookup.
   */
  const fill = async (): Promise<PreparedChunk | null> => {
    if (sourceDone) return null;
    const statement = newStatement();
    const held: Chunk = [];
    while (statement.size + held.length < STORE_CHUNK_SIZE) {
      const next = await iterator.next();
      if (next.done) {
        sourceDone = true;
        break;
      }
      if (knownUpFront) classify(statement, next.value, knownUpFront);
      else for (const trade of next.value) held.push(trade);
    }
    if (held.length)
      classify(
        statement,
        held,
        await findExistingTrades(
          db,
          accountId,
          held.map((t) => t.positionId),
        ),
      );
    return statement.size ? statement : null;
  };

  // Sends a statement's trade INSERT; resolves with what remains to be done
  // for it once the database has answered (the legs, queued but not awaited).
  const write = async (chunk: PreparedChunk): Promise<Promise<unknown>> => {
    result.duplicates += chunk.skipped;
    let legs: Promise<unknown> = Promise.resolve();
    if (chunk.fresh.count) {
      const inserting = send<{ inserted: number }>(db, INSERT_TRADES_SQL, [userId, accountId, source, importBatchId, ...chunk.fresh.parameters()]);
      const legParameters = chunk.freshLegs.count ? chunk.freshLegs.parameters() : null;
      const inserted = (await inserting).rows[0]?.inserted ?? 0;
      result.inserted += inserted;
      // Stored meanwhile by a concurrent import or sync: those legs are not ours to add.
      result.duplicates += chunk.fresh.count - inserted;
      if (legParameters)
        legs = send(db, inserted === chunk.fresh.count ? INSERT_LEGS_SQL : INSERT_STORED_TRADES_LEGS_SQL, [userId, ...legParameters]);
    }
    if (chunk.extending.count) {
      await legs;
      const { rows } = await db.query<{ id: string }>(UPDATE_TRADES_SQL, [userId, accountId, ...chunk.extending.parameters()]);
      const legRows = new ColumnRows(LEG_COLUMNS);
      for (const { id } of rows) for (const leg of chunk.extendingLegs.get(id) ?? []) legRows.add(leg, id);
      if (legRows.count) await db.query(INSERT_LEGS_SQL, [userId, ...legRows.parameters()]);
      result.updated += rows.length;
      result.duplicates += chunk.extending.count - rows.length;
    }
    return legs;
  };

  let statement = await fill();
  while (statement) {
    const legsOfStatement = await write(statement);
    // While the database inserts this statement's legs, the next one is built
    // and serialised (without ids up front, its lookup waits behind the legs).
    const following = await fill();
    await legsOfStatement;
    done += statement.size;
    await onProgress?.({ done, total });
    statement = following;
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
    const { rows } = await db.query<{ inserted: number }>(INSERT_CASH_SQL, [userId, accountId, JSON.stringify(chunk), source, importBatchId]);
    const inserted = rows[0]?.inserted ?? 0;
    result.cashInserted += inserted;
    result.cashDuplicates += chunk.length - inserted;
    done += chunk.length;
    await onProgress?.({ done, total });
  }
  return result;
}
