// Cached figures: a view's payload is kept with the owner's data version it
// was computed at (supabase/migrations/20261206100000_analytics.sql) and used
// only while that version is current. The version is read in the request's
// own snapshot, so a load that raced a change stores figures marked with the
// older version, which the next load will not use.
import type { RequestDb } from "~/lib/db.server.ts";

export async function cached<T>(db: RequestDb, userId: string, key: string, compute: () => Promise<T>): Promise<{ value: T; hit: boolean }> {
  // The current version and the row stored at it, in one round trip.
  const { rows } = await db.query<{ version: string; payload: T | null }>(
    `select v.version::text as version, c.payload
       from (select coalesce((select version from public.analytics_data_versions where user_id = $1), 0) as version) v
       left join public.analytics_cache c on c.user_id = $1 and c.cache_key = $2 and c.data_version = v.version`,
    [userId, key],
  );
  const version = Number(rows[0]!.version);
  if (rows[0]!.payload !== null) return { value: rows[0]!.payload, hit: true };
  const value = await compute();
  // Storing is best effort: a concurrent load of the same view may have written the row after this
  // request's snapshot (a serialization failure under REPEATABLE READ); the page is answered anyway.
  await db.query("savepoint analytics_cache_write");
  try {
    await db.query(
      `insert into public.analytics_cache (user_id, cache_key, data_version, payload, computed_at) values ($1, $2, $3, $4, now())
       on conflict (user_id, cache_key) do update set data_version = excluded.data_version, payload = excluded.payload, computed_at = now()
         where public.analytics_cache.data_version <= excluded.data_version`,
      [userId, key, version, JSON.stringify(value)],
    );
    await db.query("release savepoint analytics_cache_write");
  } catch {
    await db.query("rollback to savepoint analytics_cache_write");
  }
  return { value, hit: false };
}
