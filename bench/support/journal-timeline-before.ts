// The journal timeline's statement as it was before migration
// 20261206130000 (as of commit a698490): kept for bench/journal-timeline.ts, which
// times it beside the current one in the same run. Not used by the app.
import { addDays } from "../../app/domain/periods/trading-day.ts";
// ts_headline marks matches with these private-use characters; the page splits on them (never HTML).
import { HIGHLIGHT_START, HIGHLIGHT_STOP } from "../../app/domain/text/search-highlight.ts";
import { JOURNAL_PAGE_SIZE, tradeOnlyFilters, type JournalFilters } from "../../app/schemas/journal-filters.ts";

export interface SqlQuery {
  text: string;
  values: unknown[];
}

export { HIGHLIGHT_START, HIGHLIGHT_STOP };
/** Stands in for "<" inside ts_headline (see the snippets below); restoreSnippet puts it back. */
export const LESS_THAN_STAND_IN = "\uE002";

export function restoreSnippet(snippet: string): string {
  return snippet.replaceAll(LESS_THAN_STAND_IN, "<");
}

const HEADLINE_OPTIONS = `StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_STOP}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;
/** Screenshots listed per entry (the badge counts them all). */
export const SCREENSHOTS_PER_ENTRY = 4;
/** Characters of an entry's text shown when nothing is searched. */
export const EXCERPT_CHARS = 280;

/** Parameters numbered in the order they are added; `$1` is the user id. */
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

/**
 * The user's day rule, read inside the statement (one round trip per page):
 * the zone and the minutes to add to its wall clock so the date is the trading
 * day's label — dayRuleOf and dayLabelShiftMinutes in SQL.
 */
const RULE_CTE = `rule as (
  select coalesce(s.trading_day_time_zone, s.time_zone, 'UTC') as zone, s.time_zone,
         coalesce(s.trading_day_start_hour, 0) * 60 as start_minutes,
         case when coalesce(s.trading_day_start_hour, 0) * 60 <= 720 then -coalesce(s.trading_day_start_hour, 0) * 60
              else 1440 - coalesce(s.trading_day_start_hour, 0) * 60 end as shift
    from (select 1) one left join public.user_settings s on s.user_id = $1)`;
const ZONE = "(select zone from rule)";
const SHIFT = "(select shift from rule)";

/** What the page needs besides its entries: the zone and day rule, and what the filters bar offers. */
const META_SQL = `(select json_build_object(
    'timeZone', coalesce(r.time_zone, 'UTC'), 'dayZone', r.zone, 'dayStartMinutes', r.start_minutes,
    'accounts', coalesce((select json_agg(json_build_object('id', a.id, 'name', a.name) order by a.name)
                            from public.accounts a where a.user_id = $1), '[]'::json),
    'tags', coalesce((select json_agg(json_build_object('id', g.id, 'name', g.name, 'color', g.color) order by lower(g.name))
                        from public.tags g where g.user_id = $1), '[]'::json)) from rule r)`;

/** The page's context alone, for a page with no entries (the timeline statement returns it on every row). */
export function contextQuery(userId: string): SqlQuery {
  return { text: `with ${RULE_CTE} select ${META_SQL} as meta`, values: [userId] };
}

/** The trading day ("date") of a timestamptz expression; the SQL twin of tradingDayNumber. */
function tradingDaySql(column: string): string {
  return `((${column} at time zone ${ZONE}) + make_interval(mins => ${SHIFT}))::date`;
}

/** The first instant of a trading day ("date" expression); the SQL twin of tradingDayStart. */
function dayStartSql(day: string): string {
  return `(((${day})::timestamp - make_interval(mins => ${SHIFT})) at time zone ${ZONE})`;
}

/** The first instant after a trading day ends: the next day's start. */
function dayEndSql(day: string): string {
  return dayStartSql(`(${day}) + 1`);
}

/** When a trade entry happened: a closed trade at its close, an open one at its open (as the trade list dates them). */
const TRADE_AT = "(case when t.status = 'closed' then t.closed_at else t.opened_at end)";

interface Bounds {
  /** Instants bounding the trading days from … to (inclusive), as parameters. */
  start: string | null;
  end: string | null;
}

function tradeConditions(filters: JournalFilters, params: Params, bounds: Bounds, at: string): string[] {
  const conditions = ["t.user_id = $1"];
  if (bounds.start || bounds.end) {
    const range = (column: string) =>
      [bounds.start ? `${column} >= ${bounds.start}` : null, bounds.end ? `${column} < ${bounds.end}` : null].filter(Boolean).join(" and ");
    // TRADE_AT's range as its two halves, so each reads its own time index (a CASE has none).
    conditions.push(
      at === TRADE_AT ? `((t.status = 'closed' and ${range("t.closed_at")}) or (t.status <> 'closed' and ${range("t.opened_at")}))` : range(at),
    );
  }
  if (filters.account) conditions.push(`t.account_id = ${params.add(filters.account)}`);
  if (filters.mood !== null) conditions.push(`j.mood = ${params.add(filters.mood)}`);
  if (filters.plan) conditions.push(`j.followed_plan = ${params.add(filters.plan)}`);
  if (filters.shots) conditions.push("exists (select 1 from public.journal_screenshots s where s.trade_id = t.id)");
  for (const tag of filters.tags) {
    conditions.push(`exists (select 1 from public.trade_tags tt where tt.trade_id = t.id and tt.tag_id = ${params.add(tag)})`);
  }
  return conditions;
}

function dayConditions(filters: JournalFilters, params: Params): string[] {
  const conditions = ["d.user_id = $1"];
  if (filters.from) conditions.push(`d.trading_day >= ${params.add(filters.from)}::date`);
  if (filters.to) conditions.push(`d.trading_day <= ${params.add(filters.to)}::date`);
  if (filters.mood !== null) conditions.push(`d.mood = ${params.add(filters.mood)}`);
  if (filters.shots) conditions.push("exists (select 1 from public.journal_screenshots s where s.daily_journal_id = d.id)");
  return conditions;
}

/**
 * Browsing (no search): the newest `n` entries of each kind, each read in
 * order from an index — closed trades down (user_id, closed_at, id), the few
 * open trades from (user_id, status, id), reviews down (user_id, trading_day)
 * — so a page costs about the rows it shows, however long the journal is. A
 * trade counts when it has a journal row or a screenshot.
 */
function browseEntriesSql(filters: JournalFilters, params: Params, bounds: Bounds, n: string, withTrades: boolean, withDays: boolean): string {
  const branches: string[] = [];
  const isEntry = "(j.id is not null or exists (select 1 from public.journal_screenshots s where s.trade_id = t.id))";
  if (withTrades) {
    for (const [status, column] of [
      ["closed", "t.closed_at"],
      ["open", "t.opened_at"],
    ] as const) {
      const conditions = [...tradeConditions(filters, params, bounds, column), `t.status = '${status}'`, isEntry];
      branches.push(`(select 'trade'::text as kind, t.id as entry_id, ${column} as sort_at, 0::real as rank
                         from public.trades t left join public.journals j on j.trade_id = t.id
                        where ${conditions.join(" and ")}
                        order by ${column} desc, t.id desc limit ${n})`);
    }
  }
  if (withDays) {
    branches.push(`(select 'day'::text as kind, d.id as entry_id, ${dayEndSql("d.trading_day")} as sort_at, 0::real as rank
                       from public.daily_journals d
                      where ${dayConditions(filters, params).join(" and ")}
                      order by d.trading_day desc, d.id desc limit ${n})`);
  }
  return branches.join("\nunion all\n");
}

/**
 * Searching: every matching entry — its text (GIN index on `search`) or a
 * screenshot caption — ranked by ts_rank summed over the entry's matches;
 * among equal ranks the most recently written first. The trades (or days)
 * themselves are joined only when a filter needs them, so an unfiltered
 * search reads nothing but the matching journal rows and captions.
 */
function searchEntriesSql(filters: JournalFilters, params: Params, bounds: Bounds, tsq: string, withTrades: boolean, withDays: boolean): string {
  const branches: string[] = [];
  if (withTrades) {
    const conditions = tradeConditions(filters, params, bounds, TRADE_AT);
    if (conditions.length === 1) {
      branches.push(`select 'trade'::text as kind, h.trade_id as entry_id, h.written_at as sort_at, h.rank
                       from (select h.trade_id, sum(h.rank)::real as rank, max(h.written_at) as written_at from (
                               select j.trade_id, ts_rank(j.search, ${tsq}) as rank, j.updated_at as written_at from public.journals j
                                where j.user_id = $1 and j.search @@ ${tsq}
                               union all
                               select s.trade_id, ts_rank(s.search, ${tsq}), s.created_at from public.journal_screenshots s
                                where s.user_id = $1 and s.trade_id is not null and s.search @@ ${tsq}
                             ) h group by h.trade_id) h`);
    } else {
      // With a filter the planner may start from it (a date range, a tag) and test the text of the few
      // trades it leaves, so the ranks are computed after filtering. Captions add to a journal's rank;
      // a trade with matching captions and no journal row comes from the second branch.
      const captionRank = `(select sum(ts_rank(s.search, ${tsq})) from public.journal_screenshots s where s.trade_id = t.id and s.search @@ ${tsq})`;
      const captionMatch = `exists (select 1 from public.journal_screenshots s where s.trade_id = t.id and s.search @@ ${tsq})`;
      const where = conditions.join(" and ");
      branches.push(`select 'trade'::text as kind, t.id as entry_id, j.updated_at as sort_at,
                            (ts_rank(j.search, ${tsq}) + coalesce(${captionRank}, 0))::real as rank
                       from public.journals j join public.trades t on t.id = j.trade_id
                      where j.user_id = $1 and (j.search @@ ${tsq} or ${captionMatch}) and ${where}`);
      if (filters.mood === null && filters.plan === null) {
        branches.push(`select 'trade'::text as kind, t.id as entry_id, max(s.created_at) as sort_at, sum(ts_rank(s.search, ${tsq}))::real as rank
                         from public.journal_screenshots s join public.trades t on t.id = s.trade_id
                        where s.user_id = $1 and s.search @@ ${tsq} and ${where}
                          and not exists (select 1 from public.journals j where j.trade_id = t.id)
                        group by t.id`);
      }
    }
  }
  if (withDays) {
    const conditions = dayConditions(filters, params);
    if (conditions.length === 1) {
      branches.push(`select 'day'::text as kind, h.day_id as entry_id, h.written_at as sort_at, h.rank
                       from (select h.day_id, sum(h.rank)::real as rank, max(h.written_at) as written_at from (
                               select d.id as day_id, ts_rank(d.search, ${tsq}) as rank, d.updated_at as written_at from public.daily_journals d
                                where d.user_id = $1 and d.search @@ ${tsq}
                               union all
                               select s.daily_journal_id, ts_rank(s.search, ${tsq}), s.created_at from public.journal_screenshots s
                                where s.user_id = $1 and s.daily_journal_id is not null and s.search @@ ${tsq}
                             ) h group by h.day_id) h`);
    } else {
      // Filtered first (a date range reads the day index), then matched and ranked, as for trades.
      const captions = (what: string) => `(select ${what} from public.journal_screenshots s where s.daily_journal_id = d.id and s.search @@ ${tsq})`;
      branches.push(`select 'day'::text as kind, d.id as entry_id, d.updated_at as sort_at,
                            (ts_rank(d.search, ${tsq}) + coalesce(${captions("sum(ts_rank(s.search, " + tsq + "))")}, 0))::real as rank
                       from public.daily_journals d
                      where ${conditions.join(" and ")} and (d.search @@ ${tsq} or exists ${captions("1")})`);
    }
  }
  return branches.join("\nunion all\n");
}

/** One page of the timeline as one statement. `$1` is the user id. */
export function timelineQuery(userId: string, filters: JournalFilters): SqlQuery {
  const params = new Params(userId);
  const searching = filters.q !== null;
  const at = (day: string) => dayStartSql(`${params.add(day)}::date`);
  const bounds: Bounds = { start: filters.from ? at(filters.from) : null, end: filters.to ? at(addDays(filters.to, 1)) : null };
  const withTrades = filters.kind !== "day";
  const withDays = filters.kind !== "trade" && !tradeOnlyFilters(filters);
  const ctes: string[] = [RULE_CTE];
  // The query inline (not a CTE) so the planner sees it and can use the GIN indexes when it is selective.
  const tsq = searching ? `websearch_to_tsquery('english', ${params.add(filters.q)}::text)` : "";
  const offset = (filters.page - 1) * JOURNAL_PAGE_SIZE;
  const limit = params.add(JOURNAL_PAGE_SIZE + 1);
  const offsetParam = params.add(offset);
  // Browsing (every rank 0): newest first, a day's review just above its trades (it sorts at the day's end).
  // Searching: best match first, then the most recently written.
  const order = "e.rank desc, e.sort_at desc, e.kind asc, e.entry_id desc";
  const entries =
    !withTrades && !withDays
      ? "select null::text as kind, null::uuid as entry_id, null::timestamptz as sort_at, 0::real as rank where false"
      : searching
        ? searchEntriesSql(filters, params, bounds, tsq, withTrades, withDays)
        : browseEntriesSql(filters, params, bounds, params.add(offset + JOURNAL_PAGE_SIZE + 1), withTrades, withDays);
  ctes.push(`entries as (${entries})`);
  // The total only when searching: every match is read for its rank anyway, while browsing reads one page.
  ctes.push(
    `page as (select e.*${searching ? ", count(*) over () as total" : ", null::bigint as total"} from entries e order by ${order} limit ${limit} offset ${offsetParam})`,
  );

  // ts_headline drops anything shaped like an HTML tag from its output; "<" travels as a stand-in so the
  // snippet keeps the writer's text as typed (the page shows it as text either way).
  const snippet = (text: string) =>
    searching
      ? `ts_headline('english', replace(${text}, '<', '${LESS_THAN_STAND_IN}'), ${tsq}, '${HEADLINE_OPTIONS}')`
      : `left(${text}, ${EXCERPT_CHARS})`;
  const captionsMatch = searching ? `and s.search @@ ${tsq}` : "and false";
  const shots = (owner: string) => `(select json_agg(x order by x.created_at) from (
               select s.id, s.object_path, s.caption, s.width, s.height, s.created_at from public.journal_screenshots s
                where ${owner} order by s.created_at limit ${SCREENSHOTS_PER_ENTRY}) x)`;
  const text = `with ${ctes.join(",\n")}
    select ${META_SQL} as meta, p.kind, p.entry_id, coalesce(d.trading_day, ${tradingDaySql(TRADE_AT)})::text as day, ${TRADE_AT} as at, p.rank, p.total,
           t.id as trade_id, t.symbol, t.direction, t.status, t.net_profit::text as net_profit, t.result, a.currency, a.name as account_name,
           coalesce(j.mood, d.mood) as mood, j.followed_plan,
           ${snippet("coalesce(j.notes, d.premarket_plan, '')")} as first_text,
           ${snippet("coalesce(j.lessons, d.review, '')")} as second_text,
           (select string_agg(${snippet("s.caption")}, ' · ') from public.journal_screenshots s
             where s.user_id = $1 and (s.trade_id = t.id or s.daily_journal_id = d.id) and s.caption is not null ${captionsMatch}) as captions,
           (select count(*)::int from public.journal_screenshots s where s.trade_id = t.id or s.daily_journal_id = d.id) as screenshot_count,
           coalesce(${shots("s.trade_id = t.id or s.daily_journal_id = d.id")}, '[]'::json) as screenshots,
           coalesce((select json_agg(json_build_object('id', g.id, 'name', g.name, 'color', g.color) order by g.name)
                       from public.trade_tags tt join public.tags g on g.id = tt.tag_id where tt.trade_id = t.id), '[]'::json) as tags
      from page p
      left join public.trades t on p.kind = 'trade' and t.id = p.entry_id
      left join public.accounts a on a.id = t.account_id
      left join public.journals j on p.kind = 'trade' and j.trade_id = p.entry_id
      left join public.daily_journals d on p.kind = 'day' and d.id = p.entry_id
     order by ${order.replaceAll("e.", "p.")}`;
  return { text, values: params.values };
}
