// Stores normalised trades and cash rows for one account: the one write path
// for file imports and the MT5 sync, so a position is one row however it
// arrives. The bulk path (issue 16, docs/decisions/017): the rows go into
// temporary staging tables with binary COPY (app/models/staged-copy.server.ts,
// app/models/pg-binary-copy.ts), a few thousand at a time while the next are
// built, and `INSERT … SELECT … ON CONFLICT DO NOTHING` moves the trades (and,
// in the same statement, the legs of those it inserted) into public.trades and
// public.trade_legs in a handful of parts — each sent as soon as the database
// has finished the one before, so it inserts while JavaScript builds the next
// chunks — and one more statement the cash. So the tables' statement
// triggers and RLS checks run a few times per import, not once per chunk.
// The session tag is computed here (app/domain/session-tag-cache.ts, the rules of
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
// previous chunk is being copied, so they never all exist at once), and
// can tell the source which positions it need not build at all.
//
// Legs are rows only where they carry information (docs/decisions/017): a
// position of one entry and one exit deal (or one entry, open) that its row
// gives back exactly (app/domain/trades/leg-pair.ts) keeps the pair's own
// facts in trade columns and writes no trade_legs rows; readers get legs from
// public.trade_leg_rows (app/models/trade-legs.server.ts).
//
// The caller owns the transaction (withRlsTransaction as the user, or the
// service role for the sync) and hands over its client: COPY needs the
// connection itself. A failure in any statement or COPY rolls everything
// back, staging tables included.
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
import { BinaryCopyRows, type CopyColumn } from "./pg-binary-copy.ts";
import { copyRows, createStageSql, stageTable, StatementQueue } from "./staged-copy.server.ts";

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
/** The caller's transaction, as its client: staging uses COPY, which needs the connection itself. */
export type StoreDb = pg.ClientBase;

/** Trades per COPY: large enough to amortise round trips, small enough that each chunk's buffers stay a few MB. */
export const STORE_CHUNK_SIZE = 2500;
/**
 * Chunks built ahead of the database at most (their COPY buffers held, about
 * 2 MB each): the database is the slower side, so more buys nothing; with 8
 * the app's peak RSS for a 100,000-trade import went over 400 MB in some runs.
 */
const MAX_CHUNKS_AHEAD = 4;

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

/** A trade as it is written: its legs are rows unless its row holds them (`pair`, docs/decisions/017). */
interface PlannedTrade {
  trade: TradeInput;
  pair: LegPairColumns | null;
  /** The trade's pips, or these prices' with the account's instrument corrections (brokers report none). */
  pips: string | null;
}

const clipComment = (comment: string | null) => clip(comment, MAX_COMMENT);

// Trade columns as staged (and then inserted under the same names), with their types.
const TRADE_COLUMNS: readonly CopyColumn<PlannedTrade>[] = [
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
  ["pips", "numeric", ({ pips }) => pips],
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

const LEG_COLUMNS: readonly CopyColumn<TradeLegInput>[] = [
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

/** A cash row as staged: its identity (deal id or fingerprint) already worked out. */
const CASH_COLUMNS: readonly CopyColumn<CashMovementInput>[] = [
  ["deal_id", "text", (c) => cashIdentity(c)],
  ["kind", "text", (c) => c.kind],
  ["amount", "numeric", (c) => c.amount],
  ["occurred_at", "timestamptz", (c) => c.occurredAt],
  ["server_utc_offset_minutes", "int2", (c) => c.serverUtcOffsetMinutes],
  ["comment", "text", (c) => clip(c.comment, MAX_COMMENT)],
];

const TRADE_STAGE = "rj_stage_trades";
const LEG_STAGE = "rj_stage_trade_legs";
// Stored open trades the input extends, and their legs: few, staged once at the end.
const EXTENDING_STAGE = "rj_stage_extending_trades";
const EXTENDING_LEG_STAGE = "rj_stage_extending_legs";
const CASH_STAGE = "rj_stage_cash_movements";

const TRADE_NAMES = TRADE_COLUMNS.map(([name]) => name);
const LEG_NAMES = LEG_COLUMNS.map(([name]) => name);
const CASH_NAMES = CASH_COLUMNS.map(([name]) => name);

// $1 user, $2 account, $3 source, $4 batch. The new trades staged so far (one
// part: the staging tables are emptied after it), and in the same statement
// the legs of those it inserted: a position stored meanwhile by a concurrent
// import or sync is skipped by ON CONFLICT, and its legs with it. Trade ids
// are made here, so the legs need no lookup of the trades.
const INSERT_TRADES_SQL = `
with inserted as (
  insert into public.trades (${TRADE_NAMES.join(", ")}, user_id, account_id, source, import_batch_id)
  select ${TRADE_NAMES.map((name) => `s.${name}`).join(", ")}, $1, $2, $3, $4
    from ${stageTable(TRADE_STAGE)} s
  on conflict (account_id, position_id) do nothing
  returning id
),
legs as (
  insert into public.trade_legs (${LEG_NAMES.join(", ")}, user_id)
  select ${LEG_NAMES.map((name) => `l.${name}`).join(", ")}, $1
    from ${stageTable(LEG_STAGE)} l join inserted i on i.id = l.trade_id
  returning 1
)
select (select count(*)::int from inserted) as inserted, (select count(*)::int from legs) as legs`;

// $1 user, $2 account, $3 the stored ids the input extends. Only open,
// non-user-edited trades of this account are touched; the conditions repeat
// the JS classification so a concurrent change cannot slip by. Their legs are
// cleared here and the input's inserted after (INSERT_UPDATED_LEGS_SQL).
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
  from ${stageTable(EXTENDING_STAGE)} i
  where t.id = i.id and t.id = any($3::uuid[])
    and t.user_id = $1 and t.account_id = $2 and t.status = 'open' and t.pnl_source <> 'user'
  returning t.id
),
cleared as (
  delete from public.trade_legs l using updated u where l.trade_id = u.id
)
select id from updated`;

// $1 user, $2 the ids UPDATE_TRADES_SQL updated: their legs as the input gives them.
const INSERT_UPDATED_LEGS_SQL = `
insert into public.trade_legs (${LEG_NAMES.join(", ")}, user_id)
select ${LEG_NAMES.map((name) => `l.${name}`).join(", ")}, $1
  from ${stageTable(EXTENDING_LEG_STAGE)} l join unnest($2::uuid[]) as u(id) on u.id = l.trade_id`;

// $1 user, $2 account, $3 source, $4 batch.
const INSERT_CASH_SQL = `
with inserted as (
  insert into public.cash_movements (${CASH_NAMES.join(", ")}, user_id, account_id, source, import_batch_id)
  select ${CASH_NAMES.map((name) => `c.${name}`).join(", ")}, $1, $2, $3, $4
    from ${stageTable(CASH_STAGE)} c
  on conflict (account_id, deal_id) do nothing
  returning 1
)
select count(*)::int as inserted from inserted`;

/**
 * Whether the account holds any trade: a first import into an empty account
 * (the usual first import) then sends no list of 100,000 position ids to look
 * up one by one. A position stored after this answer is still caught by the
 * insert's ON CONFLICT, as one stored after the look-up always was.
 */
async function accountHasTrades(db: Db, accountId: string): Promise<boolean> {
  const { rows } = await db.query<{ any: boolean }>("select exists (select 1 from public.trades where account_id = $1) as any", [accountId]);
  return rows[0]?.any ?? false;
}

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
  if (positionIds.length === 0 || !(await accountHasTrades(db, accountId))) return found;
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
  if (positionIds.length === 0 || !(await accountHasTrades(db, accountId))) return 0;
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

/** One COPY's worth of trades, classified and serialised. */
/** A trade's and its legs' COPY rows, side by side. */
interface CopyBuffers {
  trades: BinaryCopyRows<PlannedTrade>;
  legs: BinaryCopyRows<TradeLegInput>;
}

const copyBuffers = (): CopyBuffers => ({ trades: new BinaryCopyRows(TRADE_COLUMNS), legs: new BinaryCopyRows(LEG_COLUMNS) });

interface PreparedChunk {
  size: number;
  /** Duplicates decided in JS (stored and closed, user-edited, or repeated in the input). */
  skipped: number;
  trades: BinaryCopyRows<PlannedTrade>;
  legs: BinaryCopyRows<TradeLegInput>;
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

/** Resolves after pending I/O callbacks have run. */
const turnOfEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Stores all of `input` (see the header comment); the MT5 sync and small imports call this. */
export async function storeTrades(
  db: StoreDb,
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

/**
 * Stores trades that arrive chunk by chunk. Pipelined so neither side waits
 * for the other: while PostgreSQL takes chunks' COPYs and inserts the parts
 * staged so far, the next chunks are pulled from the source (a parser builds
 * its trades then) and serialised. At the end one statement updates the
 * stored open trades the input extends, and one inserts the cash.
 */
export async function storeTradeChunks(
  db: StoreDb,
  context: StoreContext,
  input: TradeChunks,
  onProgress?: (progress: StoreProgress) => void | Promise<void>,
): Promise<StoreResult> {
  const { userId, accountId, source, importBatchId } = context;
  // No JIT for the rest of the caller's transaction: the parts' INSERTs are
  // estimated above jit_above_cost, and on a server built with LLVM (Supabase's
  // image is) each would compile its expressions anew — tens to hundreds of
  // ms per part — for rows whose cost is index and WAL writing, not expressions.
  await db.query("set local jit = off");
  const owned = await db.query("select 1 from public.accounts where id = $1 and user_id = $2", [accountId, userId]);
  if (owned.rowCount === 0) throw new Error(`account ${accountId} is not an account of user ${userId}`);
  // Brokers report no pips; they come from the prices and this account's instrument corrections.
  const overrides = context.instrumentOverrides ?? (await readInstrumentOverrides(db, { accountId }))[accountId];

  const total = input.tradeCount + input.cash.length;
  let done = 0;
  const result: StoreResult = { inserted: 0, duplicates: 0, updated: 0, cashInserted: 0, cashDuplicates: 0 };
  const seen = new Set<string>();
  const knownUpFront = input.positionIds ? await findExistingTrades(db, accountId, input.positionIds) : null;
  /** The pipelined statements (staging, COPYs, parts, look-ups while they run), in order. */
  const statements = new StatementQueue(db);
  let fresh = 0;
  /** The stored ids of the open trades this input extends. */
  const extendedIds: string[] = [];

  // COPY buffers are reused once their COPY has completed (buffers made anew
  // per chunk were most of an import's garbage); at most MAX_CHUNKS_AHEAD are
  // in flight, so a database that falls behind holds back the building.
  const freeBuffers: CopyBuffers[] = [];
  const newChunk = (): PreparedChunk => {
    const set = freeBuffers.pop() ?? copyBuffers();
    return { size: 0, skipped: 0, trades: set.trades.reset(), legs: set.legs.reset() };
  };
  /** Stored open trades the input extends, with their legs (staged at the end; most stores have none). */
  const extending: { rows: CopyBuffers | null } = { rows: null };

  /** Classifies trades into a chunk and serialises them: the JS half of the work. */
  const classify = (chunk: PreparedChunk, trades: Chunk, existing: Map<string, ExistingTrade>): void => {
    chunk.size += trades.length;
    for (const trade of trades) {
      const stored = existing.get(trade.positionId);
      if (seen.has(trade.positionId) || "skipped" in trade) chunk.skipped++;
      else if (!stored || extendsOpenTrade(stored, trade)) {
        const id = stored ? stored.id : uuidV7();
        const plan: PlannedTrade = { trade, pair: legPairOf(trade, clipComment), pips: trade.pips ?? tradePips(trade, overrides) };
        const rows = stored ? (extending.rows ??= copyBuffers()) : chunk;
        rows.trades.add(plan, id);
        if (!plan.pair) for (const leg of trade.legs) rows.legs.add(leg, id);
        if (stored) extendedIds.push(id);
        else fresh++;
      } else chunk.skipped++;
      seen.add(trade.positionId);
    }
  };

  const chunks: ChunkSource =
    typeof input.chunks === "function" ? input.chunks((positionId) => knownUpFront?.get(positionId) === SETTLED) : input.chunks;
  const iterator =
    Symbol.asyncIterator in chunks ? (chunks as AsyncIterable<Chunk>)[Symbol.asyncIterator]() : (chunks as Iterable<Chunk>)[Symbol.iterator]();
  let sourceDone = false;

  /**
   * The next chunk, filled from the source until it holds STORE_CHUNK_SIZE
   * trades; null when nothing is left. With the position ids known up front
   * each source chunk is serialised as it arrives, so its TradeInputs are
   * garbage at once (a plan builds them in small chunks for that); otherwise
   * a chunk's trades wait for their lookup.
   */
  const fill = async (): Promise<PreparedChunk | null> => {
    if (sourceDone) return null;
    const chunk = newChunk();
    const held: Chunk = [];
    while (chunk.size + held.length < STORE_CHUNK_SIZE) {
      const next = await iterator.next();
      if (next.done) {
        sourceDone = true;
        break;
      }
      if (knownUpFront) classify(chunk, next.value, knownUpFront);
      else for (const trade of next.value) held.push(trade);
      // Building a chunk takes tens of milliseconds, and the source hands its
      // trades over without a turn of the event loop (a sync iterable, or
      // promises already settled): a statement the database ends meanwhile
      // would have it wait, idle, for the next one until the chunk is built.
      // A turn per source chunk (a few milliseconds of building) lets the
      // queue send the next statement at once.
      await turnOfEventLoop();
    }
    if (held.length)
      classify(
        chunk,
        held,
        await findExistingTrades(
          statements,
          accountId,
          held.map((t) => t.positionId),
        ),
      );
    return chunk.size ? chunk : null;
  };

  // The staging tables exist from the first rows to stage (a re-import whose
  // positions are all stored makes none), and only in this transaction.
  let staging: Promise<unknown> | null = null;
  const stage = (chunk: PreparedChunk): Promise<unknown> =>
    (staging ??= statements.query(`${createStageSql(TRADE_STAGE, chunk.trades)}; ${createStageSql(LEG_STAGE, chunk.legs)}`));

  // Parts. One INSERT … SELECT of everything would leave the database idle
  // while JavaScript builds and serialises the whole input (about 1.5 s for
  // 100,000 trades), and JavaScript idle while the database inserts (about
  // 4 s). Instead the new trades go in by parts: the first part is the first
  // chunk, and whenever the database has finished a part's INSERT, the chunks
  // built meanwhile go in as the next part — one COPY per staging table for
  // all of them, the INSERT, and the emptying of the staging tables, sent
  // together — while the following chunks are built. An import of 100,000
  // trades takes about ten parts (each runs the tables' statement triggers
  // and RLS checks once), not one per chunk, and about forty statements: each
  // statement is a round trip the database waits through.
  let inserting: Promise<unknown> | null = null;
  /** Chunks built and not sent yet (they go out with the next part). */
  const waiting: PreparedChunk[] = [];
  /** Chunks sent, by part, with what settles once the server has taken their COPYs. */
  const inFlight: { copying: Promise<unknown>; chunks: PreparedChunk[] }[] = [];
  /** Every statement sent, in order: when one fails, those queued behind it fail too, and the first failure is the one to report. */
  const sent: Promise<unknown>[] = [];

  /** A part's INSERT failed: nothing more is sent (the transaction is aborted), and the failure is reported. */
  let failure: { error: unknown } | null = null;

  /** Sends the waiting chunks as the next part, unless a part's INSERT is still running (its end sends them). */
  const sendPart = (): void => {
    if (inserting || failure || waiting.length === 0) return;
    const chunks = waiting.splice(0);
    const withTrades = chunks.filter((chunk) => chunk.trades.count);
    for (const chunk of chunks) result.duplicates += chunk.skipped;
    if (withTrades.length === 0) {
      inFlight.push({ copying: Promise.resolve(), chunks });
      return;
    }
    const withLegs = withTrades.filter((chunk) => chunk.legs.count);
    const copying = Promise.all([
      stage(withTrades[0]!),
      statements.copy(
        TRADE_STAGE,
        withTrades.map((chunk) => chunk.trades),
      ),
      withLegs.length
        ? statements.copy(
            LEG_STAGE,
            withLegs.map((chunk) => chunk.legs),
          )
        : null,
    ]);
    // Awaited later (settleOldest, or the catch below): a failure meanwhile must not count as unhandled.
    copying.catch(() => {});
    inFlight.push({ copying, chunks });
    const insert = statements.query<{ inserted: number }>(INSERT_TRADES_SQL, [userId, accountId, source, importBatchId]).then(({ rows }) => {
      result.inserted += rows[0]?.inserted ?? 0;
    });
    sent.push(copying, insert, statements.query(`truncate ${stageTable(TRADE_STAGE)}, ${stageTable(LEG_STAGE)}`));
    inserting = insert.then(
      () => {
        inserting = null;
        sendPart();
      },
      (error: unknown) => {
        inserting = null;
        failure = { error };
      },
    );
  };

  /** Waits until some chunk's buffers are free again: the oldest part's COPYs taken, or the running INSERT done (which sends the waiting chunks). */
  const settleOldest = async (): Promise<void> => {
    const oldest = inFlight.shift();
    if (!oldest) {
      await inserting;
      if (failure) throw failure.error;
      return;
    }
    await oldest.copying;
    for (const chunk of oldest.chunks) {
      freeBuffers.push({ trades: chunk.trades, legs: chunk.legs });
      done += chunk.size;
    }
    await onProgress?.({ done, total });
  };
  const chunksHeld = () => waiting.length + inFlight.reduce((count, part) => count + part.chunks.length, 0);

  try {
    let chunk = await fill();
    while (chunk) {
      waiting.push(chunk);
      sendPart();
      while (chunksHeld() >= MAX_CHUNKS_AHEAD) {
        sendPart();
        await settleOldest();
      }
      chunk = await fill();
    }
    while (waiting.length || inFlight.length || inserting) {
      sendPart();
      await settleOldest();
    }
    await Promise.all(sent);
  } catch (error) {
    // Nothing may still be running when the caller rolls back (a statement
    // run after the rollback would run outside the transaction). Then the
    // first statement that failed is the one to report: those queued behind
    // it only say that the transaction is aborted.
    await statements.ended();
    for (const statement of sent) await statement;
    throw error;
  }
  // Stored meanwhile by a concurrent import or sync.
  result.duplicates += fresh - result.inserted;
  if (staging) await db.query(`drop table ${stageTable(TRADE_STAGE)}, ${stageTable(LEG_STAGE)}`);

  if (extending.rows) {
    const { trades, legs } = extending.rows;
    await db.query(`${createStageSql(EXTENDING_STAGE, trades)}; ${createStageSql(EXTENDING_LEG_STAGE, legs)}`);
    await copyRows(db, EXTENDING_STAGE, trades);
    if (legs.count) await copyRows(db, EXTENDING_LEG_STAGE, legs);
    const { rows } = await db.query<{ id: string }>(UPDATE_TRADES_SQL, [userId, accountId, arrayLiteral(extendedIds)]);
    const updatedIds = rows.map((row) => row.id);
    if (updatedIds.length) await db.query(INSERT_UPDATED_LEGS_SQL, [userId, arrayLiteral(updatedIds)]);
    result.updated += updatedIds.length;
    result.duplicates += extendedIds.length - updatedIds.length;
    await db.query(`drop table ${stageTable(EXTENDING_STAGE)}, ${stageTable(EXTENDING_LEG_STAGE)}`);
  }

  if (input.cash.length) {
    const cash = new BinaryCopyRows(CASH_COLUMNS);
    for (const movement of input.cash) cash.add(movement, "");
    await db.query(createStageSql(CASH_STAGE, cash));
    await copyRows(db, CASH_STAGE, cash);
    const { rows } = await db.query<{ inserted: number }>(INSERT_CASH_SQL, [userId, accountId, source, importBatchId]);
    await db.query(`drop table ${stageTable(CASH_STAGE)}`);
    const inserted = rows[0]?.inserted ?? 0;
    result.cashInserted += inserted;
    result.cashDuplicates += input.cash.length - inserted;
    done += input.cash.length;
    await onProgress?.({ done, total });
  }
  return result;
}
