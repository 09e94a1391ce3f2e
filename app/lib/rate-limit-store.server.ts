// The rate limits' one statement: rate_limit.take() counts a request against
// every rule it names and returns the counters (supabase/migrations/
// 20261207150000_rate_limits.sql). It runs as the web process's own login;
// no client role may touch the counters.
import type pg from "pg";
import type { CounterState, LimitCheck } from "./rate-limit.ts";

type Queryable = Pick<pg.Pool, "query">;

interface CounterRow {
  rule: string;
  key: string;
  hits: number;
  max_hits: number;
  window_ends_at: Date;
  last_hit_at: Date | null;
  backoff_max_seconds: number | null;
}

/** Counts (where `count`) and reads the given counters in one statement. */
export async function takeLimits(db: Queryable, checks: LimitCheck[]): Promise<CounterState[]> {
  const { rows } = await db.query<CounterRow>("select * from rate_limit.take($1::text[], $2::text[], $3::boolean[])", [
    checks.map((c) => c.rule),
    checks.map((c) => c.key),
    checks.map((c) => c.count),
  ]);
  return rows.map((r) => ({
    rule: r.rule,
    key: r.key,
    hits: r.hits,
    maxHits: r.max_hits,
    windowEndsAt: r.window_ends_at,
    lastHitAt: r.last_hit_at,
    backoffMaxSeconds: r.backoff_max_seconds,
  }));
}

/** Deletes counters whose window has ended; returns how many. */
export async function pruneLimits(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ prune: number }>("select rate_limit.prune() as prune");
  return rows[0]?.prune ?? 0;
}
