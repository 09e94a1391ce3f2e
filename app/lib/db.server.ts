// All data access goes through a transaction that takes on the caller's
// database role and JWT claims, so row-level security decides what every query
// may see — the way Supabase's own services (PostgREST, Storage, Realtime) do it.
import pg from "pg";

/** The JWT claims the database sees as request.jwt.claims. */
export interface DatabaseClaims {
  /** anon, authenticated or service_role; anything else is refused. */
  role?: string;
  sub?: string;
  email?: string;
  session_id?: string;
  [claim: string]: unknown;
}

export interface TransactionOptions {
  /** Roll back instead of committing (authorisation probes). */
  rollback?: boolean;
  /** Extra transaction-local settings, e.g. { "realtime.topic": "presence:…" }. */
  settings?: Record<string, string>;
}

const API_ROLES = new Set(["anon", "authenticated", "service_role"]);

export async function withRlsTransaction<T>(
  pool: pg.Pool,
  claims: DatabaseClaims,
  work: (client: pg.PoolClient) => Promise<T>,
  { rollback = false, settings = {} }: TransactionOptions = {},
): Promise<T> {
  const role = claims.role ?? "anon";
  if (!API_ROLES.has(role)) throw new Error(`"${role}" is not an API role`);
  const extra = Object.entries(settings);
  const client = await pool.connect();
  try {
    await client.query("begin");
    // set_config(…, true) is transaction-local, so nothing leaks to the next
    // request that borrows this pooled connection.
    await client.query(
      "select set_config('request.jwt.claims', $1, true), set_config('role', $2, true)" +
        extra.map((_, i) => `, set_config($${i * 2 + 3}, $${i * 2 + 4}, true)`).join(""),
      [JSON.stringify(claims), role, ...extra.flat()],
    );
    const result = await work(client);
    await client.query(rollback ? "rollback" : "commit");
    return result;
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Service-role access for jobs and webhooks. It bypasses RLS, so it always
 * names the user it acts for; queries must still filter by that id.
 */
export function withServiceRole<T>(
  pool: pg.Pool,
  actingForUserId: string | null,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  return withRlsTransaction(
    pool,
    { role: "service_role", ...(actingForUserId ? { sub: actingForUserId } : {}) },
    work,
  );
}
