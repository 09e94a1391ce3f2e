// The SQL of the trade list (/trades) and its CSV export, built from the
// whitelists in app/schemas/trade-filters.ts; values always travel as
// parameters. No I/O here: app/models/trade-list.server.ts runs these as the
// user (RLS decides what exists), and the benchmark prints their plans.
// Every query also names the user so the planner can use the (user_id, …)
// indexes.
//
// A page view is two statements:
//  1. metaQuery — how many trades match (and the user's total), the user's
//     zone and what the filters bar offers;
//  2. pageQuery — the 50 trades shown, chosen by id first (mostly an index
//     walk that reads no table rows), then those 50 rows with their journal
//     and tags.
import { FILTER_NAMES, TRADES_PAGE_SIZE, type FilterName, type SortColumn, type TradeFilters } from "~/schemas/trade-filters.ts";
import type { DayRule } from "~/domain/analytics/types.ts";
import { addDays, tradingDayStart } from "~/domain/periods/trading-day.ts";
import { TRADE_ROW_COLUMNS } from "./trade-row.ts";

export interface SqlQuery {
  text: string;
  values: unknown[];
}

/** Sort keys by column; every order ends with t.id so equal values page stably. */
const SORT_KEYS: Record<SortColumn, readonly string[]> = {
  opened_at: ["t.opened_at"],
  closed_at: ["t.closed_at"],
  symbol: ["t.symbol"],
  direction: ["t.direction"],
  volume: ["t.volume"],
  entry_price: ["t.entry_price"],
  exit_price: ["t.exit_price"],
  net_profit: ["t.net_profit"],
  pips: ["t.pips"],
  session_tag: ["t.session_tag"],
  duration: ["(t.closed_at - t.opened_at)"],
  // Within a status, by open time: the (user_id, status, opened_at, id) index.
  status: ["t.status", "t.opened_at"],
  // Journaled or not, then newest close: read as two branches (see pageQuery).
  journal: ["t.journaled", "t.closed_at"],
};

const direction = (filters: Pick<TradeFilters, "dir">) => (filters.dir === "asc" ? "asc" : "desc");

/**
 * ORDER BY for the list. Postgres' default null placement (last ascending,
 * first descending) keeps one index usable in both directions; open trades
 * have no close time, exit or duration, so they come first when sorting those
 * columns newest first.
 */
export function orderBySql(filters: Pick<TradeFilters, "sort" | "dir">, keys: readonly string[] = SORT_KEYS[filters.sort], id = "t.id"): string {
  const dir = direction(filters);
  return [...keys.map((key) => `${key} ${dir}`), `${id} ${dir}`].join(", ");
}

/** Parameters numbered in the order they are added. */
class Params {
  readonly values: unknown[] = [];
  constructor(userId: string) {
    this.values.push(userId);
  }
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

export interface WhereClause {
  /** Every condition, date range included. */
  sql: string;
  values: unknown[];
  /** Every condition but the date range. */
  base: string;
  /**
   * A date range as its two halves — closed trades by close time, open trades
   * by open time — so a page can read each as an index range rather than
   * filter an ordered walk (which, for a range far in the past, reads every
   * newer trade first).
   */
  dateSplit: { closed: string; open: string } | null;
}

export interface FilterOptions {
  /** The user's trading-day rule (readDayRule); a date filter needs it. */
  dayRule?: DayRule;
}

/**
 * Trading-day bounds (`to` inclusive) as instants: the same rule that puts a
 * trade on a calendar day in Analytics (app/domain/periods/trading-day.ts),
 * so a day clicked there lists exactly that day's trades here. Values, so the
 * planner sees the bounds.
 */
function dayBounds(filters: TradeFilters, params: Params, dayRule?: DayRule): { start: string | null; end: string | null } {
  if ((filters.from || filters.to) && !dayRule) throw new Error("a date filter needs the user's trading-day rule");
  const at = (day: string) => `${params.add(tradingDayStart(day, dayRule!).toISOString())}::timestamptz`;
  return {
    start: filters.from ? at(filters.from) : null,
    end: filters.to ? at(addDays(filters.to, 1)) : null,
  };
}

function rangeSql(column: string, { start, end }: { start: string | null; end: string | null }): string {
  return [start ? `${column} >= ${start}` : null, end ? `${column} < ${end}` : null].filter(Boolean).join(" and ");
}

function buildWhere(filters: TradeFilters, params: Params, options: FilterOptions): WhereClause {
  const conditions = ["t.user_id = $1"];
  if (filters.account) conditions.push(`t.account_id = ${params.add(filters.account)}`);
  let dateSplit: WhereClause["dateSplit"] = null;
  if (filters.from || filters.to) {
    // A closed trade is dated by its close, an open one by its open.
    const bounds = dayBounds(filters, params, options.dayRule);
    dateSplit = {
      closed: `t.status = 'closed' and ${rangeSql("t.closed_at", bounds)}`,
      open: `t.status = 'open' and ${rangeSql("t.opened_at", bounds)}`,
    };
  }
  if (filters.symbol) conditions.push(`t.symbol = ${params.add(filters.symbol)}`);
  if (filters.direction) conditions.push(`t.direction = ${params.add(filters.direction)}`);
  if (filters.session) conditions.push(`t.session_tag = ${params.add(filters.session)}`);
  if (filters.status) conditions.push(`t.status = ${params.add(filters.status)}`);
  if (filters.tag) {
    // A semi-join, so the planner may walk the sort index and probe trade_tags'
    // primary key per trade (a page fills after a few thousand index entries),
    // or start from the tag's rows when there are few to sort.
    conditions.push(`exists (select 1 from public.trade_tags tt where tt.trade_id = t.id and tt.tag_id = ${params.add(filters.tag)})`);
  }
  // public.trades.result: win / loss / breakeven by net profit, null while open
  // (text, so RLS lets it use its index; see 20261122110200_trade_list_indexes.sql).
  if (filters.result) conditions.push(`t.result = ${params.add(filters.result)}`);
  const base = conditions.join(" and ");
  return {
    sql: dateSplit ? `${base} and ((${dateSplit.closed}) or (${dateSplit.open}))` : base,
    values: params.values,
    base,
    dateSplit,
  };
}

/** The WHERE of the filtered set, with `$1` the user id. */
export function filterWhere(userId: string, filters: TradeFilters, options: FilterOptions = {}): WhereClause {
  return buildWhere(filters, new Params(userId), options);
}

const activeFilters = (filters: TradeFilters): FilterName[] => FILTER_NAMES.filter((name) => filters[name] !== null);

/** Filters whose per-value totals public.trade_facet_counts keeps, with their facet name. */
const FACETS: Partial<Record<FilterName, string>> = {
  account: "account",
  symbol: "symbol",
  direction: "direction",
  session: "session",
  status: "status",
  result: "result",
};

/**
 * The number of matching trades, as cheaply as the filters allow:
 *  - none: the user's total (public.trade_counts);
 *  - one of account, symbol, side, session, status, result: that value's
 *    total (public.trade_facet_counts), however many trades it matches;
 *  - one tag: its rows in trade_tags (found by its tag_id index);
 *  - a date range: index entries only — closed trades in the range from the
 *    close-time index (which carries the status), open ones from the status
 *    index (status, open time);
 *  - anything else: a count of the matching rows.
 * The totals are kept by triggers in the same transaction as the trades, so
 * every figure is exact.
 */
function countSql(filters: TradeFilters, params: Params, dayRule?: DayRule): string {
  const active = activeFilters(filters);
  if (active.length === 0) return "coalesce((select c.trades from public.trade_counts c where c.user_id = $1), 0)";
  const only = active.length === 1 ? active[0]! : null;
  const facet = only ? FACETS[only] : undefined;
  if (only && facet) {
    return `coalesce((select c.trades from public.trade_facet_counts c
                       where c.user_id = $1 and c.facet = '${facet}' and c.value = ${params.add(String(filters[only]))}), 0)`;
  }
  if (only === "tag") return `(select count(*) from public.trade_tags tt where tt.tag_id = ${params.add(filters.tag)} and tt.user_id = $1)`;
  if (active.every((name) => name === "from" || name === "to")) {
    const bounds = dayBounds(filters, params, dayRule);
    const count = (conditions: string) => `(select count(*) from public.trades t where t.user_id = $1 and ${conditions})`;
    return `(${count(`t.status = 'closed' and ${rangeSql("t.closed_at", bounds)}`)}
             + ${count(`t.status = 'open' and ${rangeSql("t.opened_at", bounds)}`)})`;
  }
  const where = buildWhere(filters, params, { dayRule });
  return `(select count(*) from public.trades t where ${where.sql})`;
}

/** Distinct symbols of the user, for the filters bar: the symbol totals' keys. */
const SYMBOLS_SQL = `select c.value from public.trade_facet_counts c
                      where c.user_id = $1 and c.facet = 'symbol' order by c.value limit 500`;

/**
 * Count, the user's total, zone, accounts, tags and symbols in one statement:
 * one round trip per page view. `$1` is the user id.
 */
export function metaQuery(userId: string, filters: TradeFilters, dayRule?: DayRule): SqlQuery {
  const params = new Params(userId);
  const total = countSql(filters, params, dayRule);
  return {
    text: `
      select ${total} as total,
             coalesce((select c.trades from public.trade_counts c where c.user_id = $1), 0) as user_total,
             (select s.time_zone from public.user_settings s where s.user_id = $1) as time_zone,
             coalesce((select json_agg(json_build_object('id', a.id, 'name', a.name, 'currency', a.currency) order by a.created_at, a.name)
                         from public.accounts a where a.user_id = $1), '[]'::json) as accounts,
             coalesce((select json_agg(json_build_object('id', g.id, 'name', g.name, 'color', g.color, 'category', g.category) order by lower(g.name))
                         from public.tags g where g.user_id = $1), '[]'::json) as tags,
             array(${SYMBOLS_SQL}) as symbols`,
    values: params.values,
  };
}

/**
 * At most this many matches are read whole and sorted (the "filter-first"
 * plan): for a rare match (breakeven trades, one small symbol) a walk of the
 * sort index would read most of the user's trades to fill a page. More
 * matches are always found by walking an index in the list's order.
 */
export const FILTER_FIRST_MAX = 5000;

/**
 * walk: the sort index in order, skipping non-matches; filter-first: every
 * match read and sorted; branches: the set split into parts that are each an
 * index range or walk of their own (a date range: closed trades by close time
 * and open ones by open time; the journal sort: journaled trades and the
 * rest), each cut to the page's reach, then merged.
 */
export type PagePlan = "walk" | "filter-first" | "branches";

export interface PageSizing {
  /** Trades matching the filters. */
  total: number;
  /** All the user's trades. */
  userTotal: number;
  page: number;
}

/**
 * Filters a walk of the sort index checks without reading the trade: a tag
 * (a probe of trade_tags' primary key), and the status or result on the
 * close-time index, which carries both. Everything else is read from the
 * table for each index entry passed.
 */
function checkedFromIndex(filters: TradeFilters, active: readonly FilterName[]): boolean {
  if (active.length !== 1) return false;
  return active[0] === "tag" || ((active[0] === "status" || active[0] === "result") && filters.sort === "closed_at");
}

/**
 * A walk that reads no trades stays cheaper than reading the matches whole
 * until it must pass this many times more index entries than there are
 * matches (an index entry and a probe cost a fraction of a table row).
 */
const INDEX_WALK_FACTOR = 8;

/**
 * How the page's ids are found, from the counts (read first):
 *  - a date range sorted by close or open time: branches, each a range of its
 *    own time index;
 *  - few matches (≤ FILTER_FIRST_MAX): read them whole, sort, cut — a walk
 *    would pass about page × 50 × userTotal ÷ total index entries, each read
 *    from the table only to be skipped — unless the walk reads no trades and
 *    is short (see checkedFromIndex, INDEX_WALK_FACTOR);
 *  - otherwise walk the sort index in order, skipping non-matches — as
 *    branches for a date range or the journal sort.
 */
export function pagePlan(filters: TradeFilters, { total, userTotal, page }: PageSizing): PagePlan {
  const active = activeFilters(filters);
  const dated = Boolean(filters.from || filters.to);
  if (dated && (filters.sort === "closed_at" || filters.sort === "opened_at")) return "branches";
  if (active.length > 0 && total <= FILTER_FIRST_MAX) {
    const walked = page * TRADES_PAGE_SIZE * (userTotal / Math.max(total, 1));
    if (!(checkedFromIndex(filters, active) && walked < INDEX_WALK_FACTOR * total)) return "filter-first";
  }
  return dated || filters.sort === "journal" ? "branches" : "walk";
}

/** The conditions of each branch: the date range's halves times the journal sort's halves. */
function branchConditions(where: WhereClause, filters: TradeFilters): string[] {
  const splits: string[][] = [];
  if (where.dateSplit) splits.push([where.dateSplit.closed, where.dateSplit.open]);
  if (filters.sort === "journal") splits.push(["t.journaled", "not t.journaled"]);
  return splits.reduce<string[]>((parts, split) => parts.flatMap((part) => split.map((half) => `${part} and ${half}`)), [where.base]);
}

const PAGE_COLUMNS = `t.id, t.account_id, t.symbol, t.direction, t.status, t.opened_at, t.closed_at,
  t.volume::text, t.entry_price::text, t.exit_price::text, t.net_profit::text, t.pips::text, t.session_tag, t.source,
  t.initial_stop_loss::text, t.initial_risk_amount::text, t.gross_profit::text`;

/** The page: its 50 ids first, then those rows with their journal and tags. */
export function pageQuery(userId: string, filters: TradeFilters, page: number, plan: PagePlan, options: FilterOptions = {}): SqlQuery {
  const params = new Params(userId);
  const where = buildWhere(filters, params, options);
  const keys = SORT_KEYS[filters.sort];
  const keyColumns = keys.map((key, i) => `${key} as k${i}`).join(", ");
  const projectedOrder = orderBySql(
    filters,
    keys.map((_, i) => `s.k${i}`),
    "s.id",
  );
  const offset = (page - 1) * TRADES_PAGE_SIZE;
  const limit = params.add(TRADES_PAGE_SIZE);
  const skip = params.add(offset);
  let ids: string;
  if (plan === "filter-first") {
    // OFFSET 0 keeps the filtered subquery from being merged into an ordered index walk.
    ids = `select s.id from (select t.id, ${keyColumns} from public.trades t where ${where.sql} offset 0) s
            order by ${projectedOrder} limit ${limit} offset ${skip}`;
  } else if (plan === "branches") {
    const reach = params.add(offset + TRADES_PAGE_SIZE);
    // Within a journal branch the flag is fixed, so each is ordered by close
    // time alone: journaled trades walk their partial index, the rest the
    // close-time index (which carries the flag).
    const branchOrder = filters.sort === "journal" ? orderBySql(filters, keys.slice(1)) : orderBySql(filters);
    const branches = branchConditions(where, filters).map(
      (condition) => `(select t.id, ${keyColumns} from public.trades t where ${condition} order by ${branchOrder} limit ${reach})`,
    );
    ids = `select s.id from (${branches.join(" union all ")}) s
            order by ${projectedOrder} limit ${limit} offset ${skip}`;
  } else {
    // Only the id is read: with the sort column, the user and the id all in
    // the sort index, skipping earlier pages and non-matches reads no rows.
    ids = `select t.id from public.trades t where ${where.sql} order by ${orderBySql(filters)} limit ${limit} offset ${skip}`;
  }
  return {
    text: `select ${PAGE_COLUMNS},
            -- LIMIT 1 keeps this a lookup per row on journals' trade_id index;
            -- a plain EXISTS may be planned as a hash of every journal.
            coalesce((select true from public.journals j where j.trade_id = t.id limit 1), false) as has_journal,
            coalesce((select json_agg(json_build_object('id', g.id, 'name', g.name, 'color', g.color) order by g.name)
                        from public.trade_tags tt join public.tags g on g.id = tt.tag_id
                       where tt.trade_id = t.id), '[]'::json) as tags
       from (${ids}) page
       join public.trades t on t.id = page.id
      order by ${orderBySql(filters)}`,
    values: params.values,
  };
}

/** Every matching trade in the list's order, for the CSV export (read through a cursor). */
export function exportQuery(userId: string, filters: TradeFilters, options: FilterOptions = {}): SqlQuery {
  const where = filterWhere(userId, filters, options);
  return {
    text: `select ${TRADE_ROW_COLUMNS}, a.name as account_name, a.currency as account_currency,
                  exists (select 1 from public.journals j where j.trade_id = t.id) as has_journal,
                  coalesce((select array_agg(g.name order by g.name) from public.trade_tags tt
                              join public.tags g on g.id = tt.tag_id where tt.trade_id = t.id), '{}') as tags
             from public.trades t join public.accounts a on a.id = t.account_id
            where ${where.sql}
            order by ${orderBySql(filters)}`,
    values: where.values,
  };
}
