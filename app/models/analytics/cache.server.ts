// Cached figures: a view's payload is kept with the owner's data version it
// was computed at (supabase/migrations/20261206100000_analytics.sql) and used
// only while that version is current. The version is read in the request's
// own snapshot, so a load that raced a change stores figures marked with the
// older version, which the next load will not use.
import type { RequestDb } from "~/lib/db.server.ts";

/** How a view is stored, when not as it is (cached-dashboard.ts); `read` gives back exactly what `store` was given. */
export interface CacheCodec<T, Stored> {
  store(value: T): Stored;
  read(stored: Stored): T;
}

/** The owner's data version and the keys of the views cached at it: read with the view's scope (scope.server.ts). */
export interface CacheState {
  version: number;
  keys: ReadonlySet<string>;
}

/** CacheState's columns for a query whose $1 is the user id (cache_version, cached_keys; read by cacheStateOf). */
export const CACHE_STATE_COLUMNS = `(select coalesce((select version from public.analytics_data_versions where user_id = $1), 0))::text as cache_version,
            array(select c.cache_key from public.analytics_cache c
                   where c.user_id = $1 and c.data_version = coalesce((select version from public.analytics_data_versions where user_id = $1), 0)) as cached_keys`;

export function cacheStateOf(row: { cache_version: string; cached_keys: string[] }): CacheState {
  return { version: Number(row.cache_version), keys: new Set(row.cached_keys) };
}

export async function cached<T, Stored = T>(
  db: RequestDb,
  userId: string,
  key: string,
  compute: () => Promise<T>,
  { codec, state }: { codec?: CacheCodec<T, Stored>; state?: CacheState } = {},
): Promise<{ value: T; hit: boolean }> {
  let version: number;
  if (state && !state.keys.has(key)) {
    // Known in the same snapshot (or an earlier one: a row stored since is only a missed hit) to be absent.
    version = state.version;
  } else {
    // The current version and the row stored at it, in one round trip.
    const { rows } = await db.query<{ version: string; payload: Stored | null }>(
      `select v.version::text as version, c.payload
         from (select coalesce((select version from public.analytics_data_versions where user_id = $1), 0) as version) v
         left join public.analytics_cache c on c.user_id = $1 and c.cache_key = $2 and c.data_version = v.version`,
      [userId, key],
    );
    version = Number(rows[0]!.version);
    const payload = rows[0]!.payload;
    if (payload !== null) return { value: codec ? codec.read(payload) : (payload as unknown as T), hit: true };
  }
  const value = await compute();
  // Storing is best effort: a concurrent load of the same view may have written the row after this
  // request's snapshot (a serialization failure under REPEATABLE READ); the page is answered anyway.
  // One round trip for the savepoint, the write and the release (a simple query of three statements
  // takes no parameters, hence the literals): under load each round trip waits for the backend to be
  // scheduled again, and the write is the last thing before the view is answered.
  try {
    await db.query(
      `savepoint analytics_cache_write;
       insert into public.analytics_cache (user_id, cache_key, data_version, payload, computed_at)
       values (${dollarQuoted(userId)}::uuid, ${dollarQuoted(key)}, ${Math.trunc(version)}, ${dollarQuoted(JSON.stringify(codec ? codec.store(value) : value))}::jsonb, now())
       on conflict (user_id, cache_key) do update set data_version = excluded.data_version, payload = excluded.payload, computed_at = now()
         where public.analytics_cache.data_version <= excluded.data_version;
       release savepoint analytics_cache_write`,
    );
  } catch {
    await db.query("rollback to savepoint analytics_cache_write");
  }
  return { value, hit: false };
}

/**
 * Text as a dollar-quoted SQL literal: no escapes inside, whatever the
 * server's settings. The delimiter is one whose first appearance in
 * text + delimiter is the closing one (text "x$v0" would end "$v0$v0$" early).
 */
export function dollarQuoted(text: string): string {
  for (let k = 0; ; k++) {
    const delimiter = `$v${k}$`;
    if ((text + delimiter).indexOf(delimiter) === text.length) return `${delimiter}${text}${delimiter}`;
  }
}
