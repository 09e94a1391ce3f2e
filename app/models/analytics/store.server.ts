// The analytics store (ADR 015): each account's closed trades packed per UTC
// month of their close (app/domain/analytics/chunk.ts) in
// public.analytics_trade_months, so a view reads one row per account-month
// instead of one per trade. Triggers on trades and trade tags bump a
// month's version; a month whose packed trades were built at an older
// version (or never) is rebuilt here from its rows, in the request's
// transaction, and stored for the next load. The store holds instants and
// tag ids only, so the trading-day rule, the zone and tag names are applied
// when a view is computed and changing them rebuilds nothing.
import { columnsOf, byIdText } from "~/domain/analytics/columns.ts";
import { decodeChunk, encodeChunk, selectTrades, type Chunk } from "~/domain/analytics/chunk.ts";
import type { ColumnarInput } from "~/domain/analytics/index.ts";
import type { RequestDb } from "~/lib/db.server.ts";
import type { AnalyticsFilters } from "~/schemas/analytics-filters.ts";
import { analyticsTradeOf, loadCashAndStart, TRADE_ROW_COLUMNS, type InputRange, type TradeRow } from "./input.server.ts";
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
  data: string | null;
}

const keyOf = (m: { account_id: string; month: string }) => `${m.account_id} ${m.month}`;

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
    chunks.set(keyOf(month), decodeChunk(packed, monthStartMs(month.month)));
    // Best effort, and never waiting: a month locked by a writer (an import in progress) or stored by a
    // concurrent load (a serialization failure under REPEATABLE READ) is left for the next load.
    await db.query("savepoint analytics_store_write");
    try {
      await db.query(
        `update public.analytics_trade_months m set built_version = $3, data = $4
           from (select account_id, month from public.analytics_trade_months
                  where account_id = $1 and month = $2 and built_version is distinct from $3 for update skip locked) free
          where m.account_id = free.account_id and m.month = free.month`,
        [month.account_id, month.month, month.version, Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength).toString("base64")],
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
 * (tests/db/analytics.test.ts).
 */
export async function loadAnalyticsColumns(
  db: RequestDb,
  scope: AnalyticsScope,
  filters: AnalyticsFilters,
  range: InputRange,
): Promise<ColumnarInput> {
  const fromMs = range.from?.getTime() ?? 0;
  const toMs = range.to?.getTime() ?? FAR_FUTURE_MS;
  // The version and the stored chunk in one read; the chunk only while it is current.
  const months =
    toMs > fromMs && scope.accountIds.length
      ? await db.query<MonthRow>(
          `select m.account_id::text, m.month::text, m.version::text, case when m.built_version = m.version then m.data end as data
             from public.analytics_trade_months m
            where m.account_id = any($1::uuid[]) and m.month >= $2::date and m.month <= $3::date
            order by m.month, m.account_id`,
          [scope.accountIds, monthOf(fromMs), toMs >= FAR_FUTURE_MS ? "9999-12-01" : monthOf(toMs - 1)],
        )
      : { rows: [] as MonthRow[] };
  const stale = months.rows.filter((m) => m.data === null);
  const rebuilt = stale.length ? await rebuild(db, stale) : new Map<string, Chunk>();
  // Month order, so a single account's trades arrive in close order and need no sort.
  const chunks = months.rows.map((m) =>
    m.data === null ? rebuilt.get(keyOf(m))! : decodeChunk(Buffer.from(m.data, "base64"), monthStartMs(m.month)),
  );
  const tagNames = new Map(scope.tags.map((t) => [t.id, t.name]));
  const columns = selectTrades(
    chunks,
    { fromMs, toMs, symbol: filters.symbol, session: filters.session, direction: filters.direction, tagId: filters.tag },
    (id) => tagNames.get(id) ?? id,
  );
  return { columns, ...(await loadCashAndStart(db, scope, range)) };
}
