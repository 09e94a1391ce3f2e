// Which trades an analytics view covers: the user's day rule and zone, the
// account scope (one account, or every account of one currency — never a sum
// across currencies) and the narrowing filters, read as the user (RLS).
import { dayRuleOf } from "~/domain/periods/trading-day.ts";
import type { RequestDb } from "~/lib/db.server.ts";
import type { AnalyticsFilters } from "~/schemas/analytics-filters.ts";
import { CACHE_STATE_COLUMNS, cacheStateOf, type CacheState } from "./cache.server.ts";
import type { AnalyticsScope, ScopeAccount } from "./types.ts";

export type { AnalyticsScope, ScopeAccount };

interface ScopeRow {
  accounts: ScopeAccount[] | null;
  tags: { id: string; name: string }[] | null;
  time_zone: string | null;
  start_hour: number | null;
  day_zone: string | null;
}

const scopeQuery = (extraColumns = "") =>
  `select (select json_agg(json_build_object('id', a.id, 'name', a.name, 'currency', a.currency, 'kind', a.kind)
                              order by a.kind desc, a.created_at, a.name)
               from public.accounts a where a.user_id = $1) as accounts,
            (select json_agg(json_build_object('id', t.id, 'name', t.name) order by lower(t.name))
               from public.tags t where t.user_id = $1) as tags,
            s.time_zone, s.trading_day_start_hour as start_hour, s.trading_day_time_zone as day_zone${extraColumns}
       from (select 1) one left join public.user_settings s on s.user_id = $1`;

export async function loadAnalyticsScope(db: RequestDb, userId: string, filters: AnalyticsFilters): Promise<AnalyticsScope> {
  const { rows } = await db.query<ScopeRow>(scopeQuery(), [userId]);
  return scopeOf(rows[0]!, filters);
}

/** The scope and, in the same round trip, which views are cached at the user's data version (cache.server.ts). */
export async function loadAnalyticsScopeAndCache(
  db: RequestDb,
  userId: string,
  filters: AnalyticsFilters,
): Promise<{ scope: AnalyticsScope; cacheState: CacheState }> {
  const { rows } = await db.query<ScopeRow & { cache_version: string; cached_keys: string[] }>(scopeQuery(`,\n            ${CACHE_STATE_COLUMNS}`), [
    userId,
  ]);
  return { scope: scopeOf(rows[0]!, filters), cacheState: cacheStateOf(rows[0]!) };
}

function scopeOf(row: ScopeRow, filters: AnalyticsFilters): AnalyticsScope {
  const accounts = row.accounts ?? [];
  const timeZone = row.time_zone ?? "UTC";
  const counts = new Map<string, number>();
  for (const account of accounts) counts.set(account.currency, (counts.get(account.currency) ?? 0) + 1);
  const currencies = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || a.localeCompare(b));

  const chosen = filters.account && !filters.account.startsWith("all-") ? accounts.find((a) => a.id === filters.account) : undefined;
  const askedCurrency = filters.account?.startsWith("all-") ? filters.account.slice(4) : null;
  const currency =
    chosen?.currency ?? (askedCurrency && counts.has(askedCurrency) ? askedCurrency : (accounts[0]?.currency ?? currencies[0] ?? "USD"));
  const inScope = chosen ? [chosen] : accounts.filter((a) => a.currency === currency);
  return {
    accounts,
    currencies,
    accountIds: inScope.map((a) => a.id),
    currency,
    key: chosen ? chosen.id : `all-${currency}`,
    label: chosen ? chosen.name : counts.size > 1 ? `All ${currency} accounts` : "All accounts",
    timeZone,
    dayRule: dayRuleOf({ timeZone, startHour: row.start_hour, dayZone: row.day_zone }),
    tags: row.tags ?? [],
  };
}
