// The trade list: filtered, sorted, paginated trades of the signed-in user,
// bulk delete, and the CSV export of the whole filtered set. Everything runs
// as the user (RLS decides what exists); every query also names the user so
// the planner can use the (user_id, …) indexes. Functions take the pool so
// tests can run them against their own database; routes pass the app's.
//
// Filter and sort SQL is built only from the whitelists in
// app/schemas/trade-filters.ts; values always travel as parameters.
import type pg from "pg";
import { tradeCsvHeader, tradeCsvRow, type TradeCsvRecord } from "~/domain/trades/csv-export.ts";
import { withRlsTransaction, type DatabaseClaims } from "~/lib/db.server.ts";
import { FILTER_NAMES, hasActiveFilters, TRADES_PAGE_SIZE, type SortColumn, type TradeFilters } from "~/schemas/trade-filters.ts";

type Claims = DatabaseClaims & { sub: string };

export interface TradeTag {
  id: string;
  name: string;
  color: string;
}

export interface TradeListRow {
  id: string;
  accountId: string;
  symbol: string;
  direction: "buy" | "sell";
  status: "open" | "closed";
  openedAt: string;
  closedAt: string | null;
  durationMs: number | null;
  volume: string;
  entryPrice: string;
  exitPrice: string | null;
  netProfit: string;
  pips: string | null;
  sessionTag: string | null;
  source: "manual" | "file" | "mt5";
  hasJournal: boolean;
  tags: TradeTag[];
}

export interface TradeListAccount {
  id: string;
  name: string;
  currency: string;
}

export interface TradeListPage {
  trades: TradeListRow[];
  total: number;
  /** The page shown: the requested one, or the last page when the request ran past the end. */
  page: number;
  pageCount: number;
  pageSize: number;
  timeZone: string;
  accounts: TradeListAccount[];
  tags: TradeTag[];
  symbols: string[];
}

/** Sort expressions by column. Every order ends with t.id so equal values page stably. */
const SORT_SQL: Record<SortColumn, string> = {
  opened_at: "t.opened_at",
  closed_at: "t.closed_at",
  symbol: "t.symbol",
  direction: "t.direction",
  volume: "t.volume",
  entry_price: "t.entry_price",
  exit_price: "t.exit_price",
  net_profit: "t.net_profit",
  pips: "t.pips",
  session_tag: "t.session_tag",
  duration: "(t.closed_at - t.opened_at)",
  status: "t.status",
};

export function orderBySql(filters: Pick<TradeFilters, "sort" | "dir">): string {
  const dir = filters.dir === "asc" ? "asc" : "desc";
  // Postgres' default null placement (last ascending, first descending) keeps
  // one index usable in both directions; open trades have no close time, exit
  // or duration, so they come first when sorting those columns newest first.
  return `${SORT_SQL[filters.sort]} ${dir}, t.id ${dir}`;
}

export interface WhereClause {
  /** Every condition, date range included. */
  sql: string;
  values: unknown[];
  /**
   * With a date range, the page is read as two branches — closed trades by
   * close time, open trades by open time — so each range is an index range
   * rather than a filter on an ordered walk (which, for a range far in the
   * past, reads every newer trade first).
   */
  dateBranches: { closed: string; open: string } | null;
}

/**
 * The WHERE of the filtered set, with `$1` the user id. `timeZone`, when the
 * caller has read it, goes in as a value so the planner sees the date bounds
 * (better estimates); otherwise the query reads the user's zone itself.
 */
export function filterWhere(userId: string, filters: TradeFilters, timeZone?: string): WhereClause {
  const values: unknown[] = [userId];
  const conditions = ["t.user_id = $1"];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  let zoneSql: string | null = null;
  const zone = () => (zoneSql ??= timeZone ? `${param(timeZone)}::text` : "(select s.time_zone from public.user_settings s where s.user_id = $1)");
  if (filters.account) conditions.push(`t.account_id = ${param(filters.account)}`);
  let dateBranches: WhereClause["dateBranches"] = null;
  if (filters.from || filters.to) {
    // Calendar days in the user's zone, converted by Postgres (DST-aware); the
    // `to` day is inclusive. A closed trade is dated by its close, an open one
    // by its open.
    const start = filters.from ? `(${param(filters.from)}::date::timestamp at time zone ${zone()})` : null;
    const end = filters.to ? `((${param(filters.to)}::date + 1)::timestamp at time zone ${zone()})` : null;
    const range = (column: string) =>
      [start ? `${column} >= ${start}` : null, end ? `${column} < ${end}` : null].filter(Boolean).join(" and ");
    dateBranches = { closed: `t.status = 'closed' and ${range("t.closed_at")}`, open: `t.status = 'open' and ${range("t.opened_at")}` };
  }
  if (filters.symbol) conditions.push(`t.symbol = ${param(filters.symbol)}`);
  if (filters.direction) conditions.push(`t.direction = ${param(filters.direction)}`);
  if (filters.session) conditions.push(`t.session_tag = ${param(filters.session)}`);
  if (filters.status) conditions.push(`t.status = ${param(filters.status)}`);
  if (filters.tag) {
    // The tagged trade ids first, then those rows by primary key: cheaper
    // than joining every trade of the user against the tag.
    conditions.push(`t.id = any(array(select tt.trade_id from public.trade_tags tt where tt.tag_id = ${param(filters.tag)}))`);
  }
  // public.trades.result: win / loss / breakeven by net profit, null while open
  // (text, so RLS lets it use its index; see 20261122110200_trade_list_indexes.sql).
  if (filters.result) conditions.push(`t.result = ${param(filters.result)}`);
  const base = conditions.join(" and ");
  return {
    sql: dateBranches ? `${base} and ((${dateBranches.closed}) or (${dateBranches.open}))` : base,
    values,
    dateBranches: dateBranches ? { closed: `${base} and ${dateBranches.closed}`, open: `${base} and ${dateBranches.open}` } : null,
  };
}

async function readTimeZone(db: pg.PoolClient, userId: string): Promise<string> {
  const { rows } = await db.query<{ time_zone: string }>("select time_zone from public.user_settings where user_id = $1", [userId]);
  return rows[0]?.time_zone ?? "UTC";
}

interface TradeListDbRow {
  id: string;
  account_id: string;
  symbol: string;
  direction: "buy" | "sell";
  status: "open" | "closed";
  opened_at: Date;
  closed_at: Date | null;
  volume: string;
  entry_price: string;
  exit_price: string | null;
  net_profit: string;
  pips: string | null;
  session_tag: string | null;
  source: "manual" | "file" | "mt5";
  has_journal: boolean;
  tags: TradeTag[];
}

const PAGE_COLUMNS = `t.id, t.account_id, t.symbol, t.direction, t.status, t.opened_at, t.closed_at,
  t.volume::text, t.entry_price::text, t.exit_price::text, t.net_profit::text, t.pips::text, t.session_tag, t.source`;

/**
 * When at most this many trades match, the page is read by filtering first and
 * sorting the matches, rather than walking the sort column's index and
 * skipping non-matches: for a rare match (breakeven trades, one small symbol)
 * that walk would read most of the user's trades to fill a page.
 */
export const FILTER_FIRST_MAX = 5000;

/** The page's SQL and parameters (exported for the benchmark's EXPLAIN). */
export function pageQuery(where: WhereClause, filters: TradeFilters, page: number, filterFirst = false): { text: string; values: unknown[] } {
  const order = orderBySql(filters);
  const limit = where.values.length + 1;
  // The page is chosen first (an index walk on the sort column), then only
  // its 50 rows look up their journal and tags.
  const offset = (page - 1) * TRADES_PAGE_SIZE;
  const branch = (condition: string) => `(select * from public.trades t where ${condition} order by ${order} limit $${limit + 2})`;
  // OFFSET 0 keeps the filtered subquery from being merged into an ordered index walk.
  const rows = filterFirst
    ? `(select * from (select * from public.trades t where ${where.sql} offset 0) t order by ${order} limit $${limit} offset $${limit + 1})`
    : where.dateBranches
    ? `(select * from (${branch(where.dateBranches.closed)} union all ${branch(where.dateBranches.open)}) t
         order by ${order} limit $${limit} offset $${limit + 1})`
    : `(select * from public.trades t where ${where.sql} order by ${order} limit $${limit} offset $${limit + 1})`;
  return {
    text: `select ${PAGE_COLUMNS},
            -- LIMIT 1 keeps this a lookup per row on journals' trade_id index;
            -- a plain EXISTS may be planned as a hash of every journal.
            coalesce((select true from public.journals j where j.trade_id = t.id limit 1), false) as has_journal,
            coalesce((select json_agg(json_build_object('id', g.id, 'name', g.name, 'color', g.color) order by g.name)
                        from public.trade_tags tt join public.tags g on g.id = tt.tag_id
                       where tt.trade_id = t.id), '[]'::json) as tags
       from ${rows} t
      order by ${order}`,
    values: [...where.values, TRADES_PAGE_SIZE, offset, ...(where.dateBranches && !filterFirst ? [offset + TRADES_PAGE_SIZE] : [])],
  };
}

export function countQuery(where: WhereClause): { text: string; values: unknown[] } {
  return { text: `select count(*) as total from public.trades t where ${where.sql}`, values: where.values };
}

async function queryPage(db: pg.PoolClient, where: WhereClause, filters: TradeFilters, page: number, filterFirst: boolean): Promise<TradeListDbRow[]> {
  const { text, values } = pageQuery(where, filters, page, filterFirst);
  return (await db.query<TradeListDbRow>(text, values)).rows;
}

function toListRow(row: TradeListDbRow): TradeListRow {
  return {
    id: row.id,
    accountId: row.account_id,
    symbol: row.symbol,
    direction: row.direction,
    status: row.status,
    openedAt: row.opened_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
    durationMs: row.closed_at ? row.closed_at.getTime() - row.opened_at.getTime() : null,
    volume: row.volume,
    entryPrice: row.entry_price,
    exitPrice: row.exit_price,
    netProfit: row.net_profit,
    pips: row.pips,
    sessionTag: row.session_tag,
    source: row.source,
    hasJournal: row.has_journal,
    tags: row.tags,
  };
}

/** Distinct symbols by skipping through the (user_id, symbol) index: a few probes, not a scan. */
const SYMBOLS_SQL = `
  with recursive s(symbol) as (
    (select symbol from public.trades where user_id = $1 order by symbol limit 1)
    union all
    select (select t.symbol from public.trades t where t.user_id = $1 and t.symbol > s.symbol order by t.symbol limit 1)
      from s where s.symbol is not null
  )
  select symbol from s where symbol is not null limit 500`;

interface ListMetaRow {
  total: string;
  time_zone: string | null;
  accounts: TradeListAccount[];
  tags: TradeTag[];
  symbols: string[];
}

/**
 * The count of matching trades, the user's zone and what the filters bar
 * offers, in one statement (`$1` is the user id, as in every WHERE here): a
 * round trip saved on every page view.
 */
function countAndMetaQuery(where: WhereClause, filters: TradeFilters): { text: string; values: unknown[] } {
  // Unfiltered, the total is the user's trade count kept by triggers
  // (public.trade_counts) instead of a count of every row; "closed only" is
  // that count less the few open trades, rather than a count of nearly all.
  const allTrades = "coalesce((select trades from public.trade_counts where user_id = $1), 0)";
  const onlyFilter = FILTER_NAMES.filter((name) => filters[name] !== null);
  const counted = onlyFilter.length > 0 && !(onlyFilter.length === 1 && filters.status === "closed");
  const total = !counted
    ? onlyFilter.length === 0
      ? allTrades
      : `${allTrades} - (select count(*) from public.trades t where t.user_id = $1 and t.status = 'open')`
    : `(select count(*) from public.trades t where ${where.sql})`;
  return {
    text: `
      select ${total} as total,
             (select time_zone from public.user_settings where user_id = $1) as time_zone,
             coalesce((select json_agg(json_build_object('id', a.id, 'name', a.name, 'currency', a.currency) order by a.created_at, a.name)
                         from public.accounts a where a.user_id = $1), '[]'::json) as accounts,
             coalesce((select json_agg(json_build_object('id', g.id, 'name', g.name, 'color', g.color) order by lower(g.name))
                         from public.tags g where g.user_id = $1), '[]'::json) as tags,
             array(${SYMBOLS_SQL}) as symbols`,
    // Without the filtered count only $1 (the user id) appears in the text.
    values: counted ? where.values : where.values.slice(0, 1),
  };
}

export function listTrades(pool: pg.Pool, claims: Claims, filters: TradeFilters): Promise<TradeListPage> {
  return withRlsTransaction(pool, claims, async (db) => {
    const timeZone = filters.from || filters.to ? await readTimeZone(db, claims.sub) : undefined;
    const where = filterWhere(claims.sub, filters, timeZone);
    // Counting first tells how selective the filters are (see FILTER_FIRST_MAX)
    // and which page is the last.
    const query = countAndMetaQuery(where, filters);
    const meta = (await db.query<ListMetaRow>(query.text, query.values)).rows[0]!;
    const total = Number(meta.total);
    const page = Math.min(filters.page, Math.max(1, Math.ceil(total / TRADES_PAGE_SIZE)));
    const filterFirst = total <= FILTER_FIRST_MAX && hasActiveFilters(filters);
    const rows = total === 0 ? [] : await queryPage(db, where, filters, page, filterFirst);
    return {
      trades: rows.map(toListRow),
      total,
      page,
      pageCount: Math.max(1, Math.ceil(total / TRADES_PAGE_SIZE)),
      pageSize: TRADES_PAGE_SIZE,
      timeZone: meta.time_zone ?? "UTC",
      accounts: meta.accounts,
      tags: meta.tags,
      symbols: meta.symbols,
    };
  });
}

export const MAX_BULK_DELETE = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Deletes the user's trades among `ids`; ids of other users' trades (or made
 * up ones) match nothing under RLS. Journals, legs and tags go with each trade
 * (foreign keys cascade). Returns how many were deleted.
 */
export function deleteTrades(pool: pg.Pool, claims: Claims, ids: readonly string[]): Promise<number> {
  const wanted = [...new Set(ids.filter((id) => UUID.test(id)).map((id) => id.toLowerCase()))].slice(0, MAX_BULK_DELETE);
  if (wanted.length === 0) return Promise.resolve(0);
  return withRlsTransaction(pool, claims, async (db) => {
    const { rowCount } = await db.query("delete from public.trades where user_id = $1 and id = any($2::uuid[])", [claims.sub, wanted]);
    return rowCount ?? 0;
  });
}

interface ExportDbRow {
  id: string;
  account_name: string;
  account_currency: string;
  position_id: string;
  symbol: string;
  broker_symbol: string | null;
  direction: string;
  status: string;
  opened_at: Date;
  closed_at: Date | null;
  volume: string;
  closed_volume: string;
  entry_price: string;
  exit_price: string | null;
  initial_stop_loss: string | null;
  stop_loss: string | null;
  take_profit: string | null;
  gross_profit: string;
  commission: string;
  swap: string;
  fee: string;
  net_profit: string;
  pnl_source: string;
  profit_currency: string | null;
  conversion_rate: string | null;
  pips: string | null;
  session_tag: string | null;
  close_reason: string | null;
  source: string;
  tags: string[];
  has_journal: boolean;
  comment: string | null;
}

function toCsvRecord(row: ExportDbRow): TradeCsvRecord {
  return {
    id: row.id,
    accountName: row.account_name,
    accountCurrency: row.account_currency,
    positionId: row.position_id,
    symbol: row.symbol,
    brokerSymbol: row.broker_symbol,
    direction: row.direction,
    status: row.status,
    openedAt: row.opened_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
    volume: row.volume,
    closedVolume: row.closed_volume,
    entryPrice: row.entry_price,
    exitPrice: row.exit_price,
    initialStopLoss: row.initial_stop_loss,
    stopLoss: row.stop_loss,
    takeProfit: row.take_profit,
    grossProfit: row.gross_profit,
    commission: row.commission,
    swap: row.swap,
    fee: row.fee,
    netProfit: row.net_profit,
    pnlSource: row.pnl_source,
    profitCurrency: row.profit_currency,
    conversionRate: row.conversion_rate,
    pips: row.pips,
    sessionTag: row.session_tag,
    closeReason: row.close_reason,
    source: row.source,
    tags: row.tags,
    hasJournal: row.has_journal,
    comment: row.comment,
  };
}

const EXPORT_BATCH = 2000;

/**
 * The CSV of every trade matching `filters` (all pages, in the list's order),
 * streamed: rows are read through a cursor 2,000 at a time inside one RLS
 * transaction, and the next batch is read only when the reader wants more.
 * Starts with a UTF-8 BOM so spreadsheet apps read the text as UTF-8.
 */
export function exportTradesCsv(pool: pg.Pool, claims: Claims, filters: TradeFilters): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let wantMore: (() => void) | null = null;
  let cancelled = false;
  const demand = () => new Promise<void>((resolve) => (wantMore = resolve));

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(`\uFEFF${tradeCsvHeader()}`));
        withRlsTransaction(pool, claims, async (db) => {
          const where = filterWhere(claims.sub, filters);
          await db.query(
            `declare trade_export no scroll cursor for
             select t.id, a.name as account_name, a.currency as account_currency, t.position_id, t.symbol, t.broker_symbol,
                    t.direction, t.status, t.opened_at, t.closed_at, t.volume::text, t.closed_volume::text,
                    t.entry_price::text, t.exit_price::text, t.initial_stop_loss::text, t.stop_loss::text,
                    t.take_profit::text, t.gross_profit::text, t.commission::text, t.swap::text, t.fee::text,
                    t.net_profit::text, t.pnl_source, t.profit_currency, t.conversion_rate::text, t.pips::text,
                    t.session_tag, t.close_reason, t.source, t.comment,
                    exists (select 1 from public.journals j where j.trade_id = t.id) as has_journal,
                    coalesce((select array_agg(g.name order by g.name) from public.trade_tags tt
                                join public.tags g on g.id = tt.tag_id where tt.trade_id = t.id), '{}') as tags
               from public.trades t join public.accounts a on a.id = t.account_id
              where ${where.sql}
              order by ${orderBySql(filters)}`,
            where.values,
          );
          for (;;) {
            if (cancelled) return;
            const { rows } = await db.query<ExportDbRow>(`fetch ${EXPORT_BATCH} from trade_export`);
            if (rows.length > 0) controller.enqueue(encoder.encode(rows.map((row) => tradeCsvRow(toCsvRecord(row))).join("")));
            if (rows.length < EXPORT_BATCH) return;
            if ((controller.desiredSize ?? 1) <= 0) await demand();
          }
        }).then(
          () => {
            if (!cancelled) controller.close();
          },
          (error: unknown) => {
            if (!cancelled) controller.error(error);
          },
        );
      },
      pull() {
        const resume = wantMore;
        wantMore = null;
        resume?.();
      },
      cancel() {
        cancelled = true;
        const resume = wantMore;
        wantMore = null;
        resume?.();
      },
    },
    // Roughly three batches buffered before the reader must catch up.
    { highWaterMark: 3 },
  );
}
