// The /trades URL: filters, sort and page as search params, so a filtered view
// can be bookmarked, shared and reloaded, and works without JavaScript (the
// filters bar is a GET form).
//
// A bad or stale value (a hand-edited URL, an account that was deleted, an
// unknown sort) never fails the page: that one param falls back to its default.
//
// Date range: `from` and `to` are calendar days in the user's time zone, both
// inclusive. A closed trade belongs to the day it was closed (when its result
// became real); an open trade to the day it was opened.
//
// Result: win / loss / breakeven by net profit (after commission, swap and
// fees) above / below / equal to zero; open trades have no result yet, so
// this filter only ever matches closed trades.
import * as z from "zod/mini";

export const TRADES_PAGE_SIZE = 50;

// "journal": trades with their journal entry written first (descending) or
// last (ascending), newest close first within each.
export const SORT_COLUMNS = [
  "opened_at",
  "closed_at",
  "symbol",
  "direction",
  "volume",
  "entry_price",
  "exit_price",
  "net_profit",
  "pips",
  "session_tag",
  "duration",
  "status",
  "journal",
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

export const SESSIONS = ["asian", "london", "overlap", "newyork", "late-ny"] as const;
export const RESULTS = ["win", "loss", "breakeven"] as const;

export const DEFAULT_SORT: SortColumn = "closed_at";
export const DEFAULT_DIR = "desc";

const MAX_PAGE = 1_000_000;

function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** URL field rules shared with the analytics filters (app/schemas/analytics-filters.ts). */
export const day = z.string().check(z.trim(), z.refine(isCalendarDay));
export const id = z.string().check(z.trim(), z.toLowerCase(), z.guid());
// Canonical symbols are upper case ("EURUSD", "US30", "BTCUSD"); broker
// decorations like ".z" are removed on the way in, so they are here too.
export const symbol = z.string().check(z.trim(), z.toUpperCase(), z.maxLength(40), z.regex(/^[A-Z0-9][A-Z0-9._#&!+-]*$/));

export const tradeFiltersSchema = z.object({
  account: z.catch(z.nullable(id), null),
  from: z.catch(z.nullable(day), null),
  to: z.catch(z.nullable(day), null),
  symbol: z.catch(z.nullable(symbol), null),
  direction: z.catch(z.nullable(z.enum(["buy", "sell"])), null),
  session: z.catch(z.nullable(z.enum(SESSIONS)), null),
  status: z.catch(z.nullable(z.enum(["open", "closed"])), null),
  tag: z.catch(z.nullable(id), null),
  result: z.catch(z.nullable(z.enum(RESULTS)), null),
  sort: z.catch(z.enum(SORT_COLUMNS), DEFAULT_SORT),
  dir: z.catch(z.enum(["asc", "desc"]), DEFAULT_DIR),
  page: z.catch(z.coerce.number().check(z.int(), z.gte(1), z.lte(MAX_PAGE)), 1),
});

export type TradeFilters = z.output<typeof tradeFiltersSchema>;
export type FilterName = Exclude<keyof TradeFilters, "sort" | "dir" | "page">;
export const FILTER_NAMES: readonly FilterName[] = ["account", "from", "to", "symbol", "direction", "session", "status", "tag", "result"];

/** Reads the filters from a URL's search params; never throws. */
export function parseTradeFilters(params: URLSearchParams): TradeFilters {
  const input: Record<string, string | null> = {};
  for (const name of [...FILTER_NAMES, "sort", "dir", "page"]) {
    // An empty field in the GET form ("All accounts") means "no filter".
    const value = params.get(name);
    input[name] = value === null || value.trim() === "" ? null : value;
  }
  const filters = tradeFiltersSchema.parse(input);
  // A range typed backwards still means the days between the two dates.
  if (filters.from && filters.to && filters.from > filters.to) {
    return { ...filters, from: filters.to, to: filters.from };
  }
  return filters;
}

/** True when any filter narrows the list (sort and page do not). */
export function hasActiveFilters(filters: TradeFilters): boolean {
  return FILTER_NAMES.some((name) => filters[name] !== null);
}

/** Search params for `filters` with `changes` applied; defaults are left out to keep URLs short. */
export function tradeFiltersQuery(filters: TradeFilters, changes: Partial<TradeFilters> = {}): string {
  const next = { ...filters, ...changes };
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = next[name];
    if (value !== null) params.set(name, String(value));
  }
  if (next.sort !== DEFAULT_SORT || next.dir !== DEFAULT_DIR) {
    params.set("sort", next.sort);
    params.set("dir", next.dir);
  }
  if (next.page !== 1) params.set("page", String(next.page));
  const query = params.toString();
  return query ? `?${query}` : "";
}

/** Which way a click on a column header sorts: flips the current column, else its natural first direction. */
export function nextSortDirection(filters: TradeFilters, column: SortColumn): "asc" | "desc" {
  if (filters.sort === column) return filters.dir === "asc" ? "desc" : "asc";
  return column === "symbol" || column === "direction" || column === "session_tag" || column === "status" ? "asc" : "desc";
}
