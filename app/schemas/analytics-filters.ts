// The analytics URL: period, account scope and the optional narrowing filters
// shared by the dashboard's figures and /analytics, as search params, so a
// view can be bookmarked and works without JavaScript (a GET form).
//
// Account scope: one account ("account=<id>") or every account of one
// currency ("account=all-USD"). Accounts in different currencies are never
// summed. A bad or stale value falls back to its default instead of failing.
import * as z from "zod/mini";
import { PERIOD_KEYS, type PeriodKey } from "~/domain/periods/period.ts";
import { day, id, SESSIONS, symbol } from "./trade-filters.ts";

export const DEFAULT_PERIOD: PeriodKey = "month";

const accountScope = z.string().check(
  z.trim(),
  z.refine((value) => /^all-[A-Z]{3,4}$/.test(value) || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)),
);

export const analyticsFiltersSchema = z.object({
  period: z.catch(z.enum(PERIOD_KEYS), DEFAULT_PERIOD),
  from: z.catch(z.nullable(day), null),
  to: z.catch(z.nullable(day), null),
  account: z.catch(z.nullable(accountScope), null),
  symbol: z.catch(z.nullable(symbol), null),
  session: z.catch(z.nullable(z.enum(SESSIONS)), null),
  direction: z.catch(z.nullable(z.enum(["buy", "sell"])), null),
  tag: z.catch(z.nullable(id), null),
});

export type AnalyticsFilters = z.output<typeof analyticsFiltersSchema>;
const NAMES = ["period", "from", "to", "account", "symbol", "session", "direction", "tag"] as const;

/** Reads the filters from a URL's search params; never throws. */
export function parseAnalyticsFilters(params: URLSearchParams): AnalyticsFilters {
  const input: Record<string, string | null> = {};
  for (const name of NAMES) {
    const value = params.get(name);
    input[name] = value === null || value.trim() === "" ? null : value;
  }
  const filters = analyticsFiltersSchema.parse(input);
  // A custom range needs at least one day; without one it is this month.
  if (filters.period === "custom" && !filters.from && !filters.to) return { ...filters, period: DEFAULT_PERIOD };
  if (filters.period !== "custom") return { ...filters, from: null, to: null };
  return filters;
}

/** Search params for `filters` with `changes` applied; defaults left out. */
export function analyticsFiltersQuery(filters: AnalyticsFilters, changes: Partial<AnalyticsFilters> = {}): string {
  const next = { ...filters, ...changes };
  const params = new URLSearchParams();
  for (const name of NAMES) {
    const value = next[name];
    if (value === null || (name === "period" && value === DEFAULT_PERIOD)) continue;
    if ((name === "from" || name === "to") && next.period !== "custom") continue;
    params.set(name, String(value));
  }
  const query = params.toString();
  return query ? `?${query}` : "";
}

/** Whether a narrowing filter (symbol, session, direction, tag) is set. */
export function isNarrowed(filters: AnalyticsFilters): boolean {
  return !!(filters.symbol || filters.session || filters.direction || filters.tag);
}
