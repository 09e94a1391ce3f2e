// The analytics store (ADR 015): each account's closed trades packed per UTC
// month of their close (app/domain/analytics/chunk.ts) in
// public.analytics_trade_months, so a view reads one row per account-month
// instead of one per trade. Triggers on trades and trade tags bump a
// month's version; a month whose packed trades were built at an older
// version (or never) is rebuilt here from its rows, in the request's
// transaction, and stored for the next load. The store holds instants and
// tag ids only, so the trading-day rule, the zone and tag names are applied
// when a view is computed and changing them rebuilds nothing.
//
// A view needs few trade ids (the best and worst trade, the curve's drawn
// points), so a month's ids are kept apart from its packed columns and read
// only for those (resolvePendingIds); a view over several accounts reads
// them all, since ties in close time are ordered by id across accounts, and
// so does a view whose months hold no more trades than it names.
import { columnsOf, byIdText } from "~/domain/analytics/columns.ts";
import { decodeChunk, encodeChunk, parsePendingId, selectTrades, type Chunk } from "~/domain/analytics/chunk.ts";
import type { ColumnarInput } from "~/domain/analytics/index.ts";
import type { RequestDb } from "~/lib/db.server.ts";
import type { AnalyticsFilters } from "~/schemas/analytics-filters.ts";
import { analyticsTradeOf, loadCashAndStart, TRADE_ROW_COLUMNS, type InputRange, type TradeRow } from "./input.server.ts";
import { decodedChunks } from "./chunk-cache.ts";
import type { AnalyticsScope } from "./types.ts";

const FAR_FUTURE_MS = 8.64e15;

/** "YYYY-MM-01" of the UTC month holding ms. */
function monthOf(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 7)}-01`;
}

const monthStartMs = (month: string) => Date.parse(`${month}T00:00:00Z`);

interface MonthRow {
  account_id: string;
  month: string;
  version: string;
  /** Built at its current version (else rebuilt here from its rows). */
  current: boolean;
  /** Null when not current, or when this process holds the month decoded (chunk-cache.ts). */
  data: string | null;
  ids?: string | null;
}

const keyOf = (m: { account_id: string; month: string }) => `${m.account_id} ${m.month}`;
/** A chunk's name in pending ids: which month, at which version. */
const nameOf = (m: MonthRow) => `${m.account_id}/${m.month}/${m.version}`;

/** Rebuilds the stale months from their trade rows and stores them (best effort); their chunks by keyOf. */
async function rebuild(db: RequestDb, stale: MonthRow[]): Promise<Map<string, Chunk>> {
  const { rows } = await db.query<TradeRow & { account_id: string; month: string }>(
    `select s.account_id::text, s.month::text, ${TRADE_ROW_COLUMNS},
            coalesce((select array_agg(tt.tag_id::text order by tt.tag_id) from public.trade_tags tt where tt.trade_id = t.id), '{}') as tags
       from unnest($1::uuid[], $2::date[]) as s(account_id, month)
       join public.trades t on t.account_id = s.account_id and t.status = 'closed'
        and t.closed_at >= s.month::timestamp at time zone 'UTC' and t.closed_at < (s.month + interval '1 month')::timestamp at time zone 'UTC'`,
    [stale.map((m) => m.account_id), stale.map((m) => m.month)],
  );
  const byMonth = new Map(stale.map((m) => [keyOf(m), [] as TradeRow[]]));
  for (const row of rows) byMonth.get(keyOf(row))!.push(row);
  const chunks = new Map<string, Chunk>();
  for (const month of stale) {
    const trades = byMonth.get(keyOf(month))!.map(analyticsTradeOf);
    // Close order, then id, as prepare() orders them (by whole milliseconds).
    trades.sort((a, b) => a.closedAt.getTime() - b.closedAt.getTime() || byIdText(a.id, b.id));
    const packed = encodeChunk(columnsOf(trades), monthStartMs(month.month));
    const chunk = decodeChunk(packed.data, monthStartMs(month.month), packed.ids, nameOf(month));
    chunks.set(keyOf(month), chunk);
    decodedChunks.put(chunk);
    // Best effort, and never waiting: a month locked by a writer (an import in progress) or stored by a
    // concurrent load (a serialization failure under REPEATABLE READ) is left for the next load.
    await db.query("savepoint analytics_store_write");
    try {
      await db.query(
        `update public.analytics_trade_months m set built_version = $3, data = $4, ids = $5,
                net_total = (select coalesce(sum(t.net_profit), 0) from public.trades t
                              where t.account_id = $1 and t.status = 'closed' and t.closed_at >= $2::date::timestamp at time zone 'UTC'
                                and t.closed_at < ($2::date + interval '1 month')::timestamp at time zone 'UTC')
           from (select account_id, month from public.analytics_trade_months
                  where account_id = $1 and month = $2 and built_version is distinct from $3 for update skip locked) free
          where m.account_id = free.account_id and m.month = free.month`,
        [
          month.account_id,
          month.month,
          month.version,
          Buffer.from(packed.data.buffer, packed.data.byteOffset, packed.data.byteLength).toString("base64"),
          Buffer.from(packed.ids.buffer, packed.ids.byteOffset, packed.ids.byteLength),
        ],
      );
      await db.query("release savepoint analytics_store_write");
    } catch {
      await db.query("rollback to savepoint analytics_store_write");
    }
  }
  return chunks;
}

/**
 * A view's input with its trades from the store: the scope's closed trades
 * in the range, narrowed by the filters. Same figures as loadAnalyticsInput
 * (tests/db/analytics.test.ts). `allIdsUpTo`: months holding at most this
 * many trades in all are read with their ids (the view names that many).
 */
export async function loadAnalyticsColumns(
  db: RequestDb,
  scope: AnalyticsScope,
  filters: AnalyticsFilters,
  range: InputRange,
  { allIdsUpTo = 0 }: { allIdsUpTo?: number } = {},
): Promise<ColumnarInput> {
  const fromMs = range.from?.getTime() ?? 0;
  const toMs = range.to?.getTime() ?? FAR_FUTURE_MS;
  // Months this process has decoded before (chunk-cache.ts) are not sent again: the query names them,
  // and answers a held month at its current version with `current` and no data.
  const held = decodedChunks.heldFor(scope.accountIds);
  // The version and the stored chunk in one read; the chunk only while it is current. Its ids too when
  // the view needs them all (several accounts), or when the months hold no more trades than the view
  // names anyway (a curve of every trade): fewer bytes than the ids of a large history, and no round trip
  // afterwards to ask for them one by one.
  const months =
    toMs > fromMs && scope.accountIds.length
      ? await db.query<MonthRow>(
          `select account_id, month, version, current,
                  case when current and not (name = any($6::text[]) or (name = any($7::text[]) and not wants_ids)) then data end as data,
                  case when current and wants_ids and not name = any($6::text[]) then encode(ids, 'base64') end as ids
             from (select m.account_id::text, m.month::text, m.version::text, m.built_version = m.version as current, m.data, m.ids,
                          m.account_id::text || '/' || m.month::text || '/' || m.version::text as name,
                          $4 or sum(octet_length(m.ids)) over () <= $5 * 16 as wants_ids
                     from public.analytics_trade_months m
                    where m.account_id = any($1::uuid[]) and m.month >= $2::date and m.month <= $3::date) m
            order by month, account_id`,
          [
            scope.accountIds,
            monthOf(fromMs),
            toMs >= FAR_FUTURE_MS ? "9999-12-01" : monthOf(toMs - 1),
            scope.accountIds.length > 1,
            allIdsUpTo,
            held.withIds,
            held.withoutIds,
          ],
        )
      : { rows: [] as MonthRow[] };
  const stale = months.rows.filter((m) => !m.current);
  const rebuilt = stale.length ? await rebuild(db, stale) : new Map<string, Chunk>();
  // Month order, so a single account's trades arrive in close order and need no sort.
  const chunks = months.rows.map((m) => {
    if (!m.current) return rebuilt.get(keyOf(m))!;
    if (m.data === null) {
      decodedChunks.touch(nameOf(m));
      return held.chunks.get(nameOf(m))!;
    }
    const chunk = decodeChunk(Buffer.from(m.data, "base64"), monthStartMs(m.month), m.ids ? Buffer.from(m.ids, "base64") : null, nameOf(m));
    decodedChunks.put(chunk);
    return chunk;
  });
  const tagNames = new Map(scope.tags.map((t) => [t.id, t.name]));
  const columns = selectTrades(
    chunks,
    { fromMs, toMs, symbol: filters.symbol, session: filters.session, direction: filters.direction, tagId: filters.tag },
    (id) => tagNames.get(id) ?? id,
  );
  return { columns, ...(await loadCashAndStart(db, scope, range, { monthTotals: true })) };
}

/** A month changed between reading its trades and reading their ids: the view is computed again. */
export class StoreChangedError extends Error {}

/**
 * The ids a view's pending ids stand for (chunk.ts), read from the months
 * they name at the versions they were read at; throws StoreChangedError
 * when one of those months has been rebuilt since.
 */
export async function resolvePendingIds(db: RequestDb, pending: Iterable<string | null>): Promise<Map<string, string>> {
  const wanted = [...new Set([...pending].filter((id): id is string => id !== null && parsePendingId(id) !== null))];
  const resolved = new Map<string, string>();
  if (wanted.length === 0) return resolved;
  // Each month once, then (month, index) pairs: a curve's 2,000 ids name a few dozen months.
  const months = new Map<string, number>();
  const monthOfId = new Int32Array(wanted.length);
  const indexOfId = new Int32Array(wanted.length);
  wanted.forEach((id, k) => {
    const { chunk, index } = parsePendingId(id)!;
    let month = months.get(chunk);
    if (month === undefined) months.set(chunk, (month = months.size + 1));
    monthOfId[k] = month;
    indexOfId[k] = index;
  });
  const names = [...months.keys()].map((chunk) => chunk.split("/"));
  const { rows } = await db.query<{ n: number; id: string }>(
    `select s.n, encode(substring(m.ids from s.i * 16 + 1 for 16), 'hex') as id
       from unnest($4::int[], $5::int[]) with ordinality as s(c, i, n)
       join unnest($1::uuid[], $2::date[], $3::bigint[]) with ordinality as k(account_id, month, version, c) on k.c = s.c
       join public.analytics_trade_months m on m.account_id = k.account_id and m.month = k.month and m.built_version = k.version`,
    [names.map((p) => p[0]), names.map((p) => p[1]), names.map((p) => p[2]), Array.from(monthOfId), Array.from(indexOfId)],
  );
  for (const row of rows) {
    const hex = row.id;
    if (hex.length !== 32) continue;
    resolved.set(wanted[Number(row.n) - 1]!, `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`);
  }
  if (resolved.size !== wanted.length) throw new StoreChangedError("a month of the analytics store changed while a view read it");
  return resolved;
}
