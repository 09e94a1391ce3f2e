// The /journal URL: the timeline's search, filters and page as search params,
// so a view can be bookmarked and works without JavaScript (a GET form).
// A bad or stale value never fails the page: that one param falls back to
// "no filter".
//
// Dates are trading days (the user's day start hour and zone): a trade entry
// belongs to its trade's day (closed trades by close, open ones by open), a
// daily review to its own day. Tags and followed plan belong to trade entries
// only, so they leave daily reviews out; the account narrows trade entries and
// keeps daily reviews (a day is the trader's, across accounts); mood and
// "has screenshot" apply to both kinds.
import * as z from "zod/mini";
import { day, id } from "./trade-filters.ts";

export const JOURNAL_PAGE_SIZE = 20;
export const SEARCH_MAX_LENGTH = 200;
export const MAX_TAG_FILTERS = 10;
const MAX_PAGE = 10_000;

export const FOLLOWED_PLAN = ["yes", "no", "partly"] as const;
export const ENTRY_KINDS = ["trade", "day"] as const;

const moodValue = z.coerce.number().check(z.int(), z.gte(1), z.lte(5));

export const journalFiltersSchema = z.object({
  q: z.catch(z.nullable(z.string().check(z.trim(), z.minLength(1), z.maxLength(SEARCH_MAX_LENGTH))), null),
  from: z.catch(z.nullable(day), null),
  to: z.catch(z.nullable(day), null),
  kind: z.catch(z.nullable(z.enum(ENTRY_KINDS)), null),
  mood: z.catch(z.nullable(moodValue), null),
  plan: z.catch(z.nullable(z.enum(FOLLOWED_PLAN)), null),
  shots: z.catch(z.nullable(z.literal("1")), null),
  account: z.catch(z.nullable(id), null),
  page: z.catch(z.coerce.number().check(z.int(), z.gte(1), z.lte(MAX_PAGE)), 1),
});

export type JournalFilters = z.output<typeof journalFiltersSchema> & {
  /** Entries carrying every one of these tags (repeat `tag=` in the URL). */
  tags: string[];
};

const SINGLE_NAMES = ["q", "from", "to", "kind", "mood", "plan", "shots", "account"] as const;
type SingleName = (typeof SINGLE_NAMES)[number];

/** Reads the filters from a URL's search params; never throws. */
export function parseJournalFilters(params: URLSearchParams): JournalFilters {
  const input: Record<string, string | null> = {};
  for (const name of [...SINGLE_NAMES, "page"]) {
    // An empty field in the GET form ("Any mood") means "no filter".
    const value = params.get(name);
    input[name] = value === null || value.trim() === "" ? null : value;
  }
  const filters = journalFiltersSchema.parse(input);
  const tags = [
    ...new Set(
      params
        .getAll("tag")
        .map((value) => id.safeParse(value))
        .flatMap((parsed) => (parsed.success ? [parsed.data] : [])),
    ),
  ].slice(0, MAX_TAG_FILTERS);
  const ordered = filters.from && filters.to && filters.from > filters.to ? { from: filters.to, to: filters.from } : {};
  return { ...filters, ...ordered, tags };
}

/** True when a filter or a search narrows the timeline (the page does not). */
export function hasJournalFilters(filters: JournalFilters): boolean {
  return filters.tags.length > 0 || SINGLE_NAMES.some((name) => filters[name] !== null);
}

/** Filters that only trade entries can match: with one of them, daily reviews are left out. */
export function tradeOnlyFilters(filters: JournalFilters): boolean {
  return filters.tags.length > 0 || filters.plan !== null || filters.kind === "trade";
}

/** Search params for `filters` with `changes` applied; defaults are left out to keep URLs short. */
export function journalFiltersQuery(filters: JournalFilters, changes: Partial<JournalFilters> = {}): string {
  const next = { ...filters, ...changes };
  const params = new URLSearchParams();
  for (const name of SINGLE_NAMES satisfies readonly SingleName[]) {
    const value = next[name];
    if (value !== null) params.set(name, String(value));
  }
  for (const tag of next.tags) params.append("tag", tag);
  if (next.page !== 1) params.set("page", String(next.page));
  const query = params.toString();
  return query ? `?${query}` : "";
}
