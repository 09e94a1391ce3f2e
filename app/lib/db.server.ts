// All data access goes through a transaction that takes on the caller's
// database role and JWT claims, so row-level security decides what every query
// may see — the way Supabase's own services (PostgREST, Storage, Realtime) do it.
// The service role lives apart, in ./service-role.server.ts (ADR 002).
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

/**
 * What a model function needs from the database: one RLS-scoped transaction to
 * run statements in. Loaders and actions get theirs from requireUserDb
 * (./request-db.server.ts); tests and long-running paths from withRlsTransaction.
 */
export interface RequestDb {
  // pg's promise form of query; a pg.PoolClient is one.
  query<R extends pg.QueryResultRow = any, I = any[]>( // eslint-disable-line @typescript-eslint/no-explicit-any
    text: string | pg.QueryConfig<I>,
    values?: pg.QueryConfigValues<I>,
  ): Promise<pg.QueryResult<R>>;
  /** Refuses a pg.Pool where a transaction belongs: a pool's queries would run without the user's claims. */
  totalCount?: never;
}

/**
 * READ COMMITTED (PostgreSQL's default) lets each statement see what committed
 * before it; REPEATABLE READ gives the whole transaction the snapshot of its
 * first statement, so every read of a loader agrees with every other.
 */
export type IsolationLevel = "read committed" | "repeatable read";

export interface TransactionOptions {
  /** Roll back instead of committing (authorisation probes). */
  rollback?: boolean;
  /** Extra transaction-local settings, e.g. { "realtime.topic": "presence:…" }. */
  settings?: Record<string, string>;
  isolation?: IsolationLevel;
}

const API_ROLES = new Set(["anon", "authenticated", "service_role"]);

/** A transaction begun as `claims`; whoever opens one must end it exactly once. */
export interface OpenTransaction {
  db: pg.PoolClient;
  /** Commits, or rolls back when `commit` is false; releases the connection either way. */
  end(commit: boolean): Promise<void>;
}

export async function beginRlsTransaction(
  pool: pg.Pool,
  claims: DatabaseClaims,
  { settings = {}, isolation = "read committed" }: Omit<TransactionOptions, "rollback"> = {},
): Promise<OpenTransaction> {
  const role = claims.role ?? "anon";
  if (!API_ROLES.has(role)) throw new Error(`"${role}" is not an API role`);
  const extra = Object.entries(settings);
  const client = await pool.connect();
  try {
    await client.query(isolation === "read committed" ? "begin" : `begin isolation level ${isolation}`);
    // set_config(…, true) is transaction-local, so nothing leaks to the next
    // request that borrows this pooled connection.
    await client.query(
      "select set_config('request.jwt.claims', $1, true), set_config('role', $2, true)" +
        extra.map((_, i) => `, set_config($${i * 2 + 3}, $${i * 2 + 4}, true)`).join(""),
      [JSON.stringify(claims), role, ...extra.flat()],
    );
  } catch (error) {
    await client.query("rollback").catch(() => {});
    client.release();
    throw error;
  }
  let ended = false;
  return {
    db: client,
    async end(commit) {
      if (ended) return;
      ended = true;
      try {
        await client.query(commit ? "commit" : "rollback");
      } catch (error) {
        await client.query("rollback").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

/** Runs `work` in its own transaction as `claims`: commits when it resolves, rolls back when it throws. */
export async function withRlsTransaction<T>(
  pool: pg.Pool,
  claims: DatabaseClaims,
  work: (client: pg.PoolClient) => Promise<T>,
  { rollback = false, ...options }: TransactionOptions = {},
): Promise<T> {
  const transaction = await beginRlsTransaction(pool, claims, options);
  let result: T;
  try {
    result = await work(transaction.db);
  } catch (error) {
    await transaction.end(false).catch(() => {});
    throw error;
  }
  await transaction.end(!rollback);
  return result;
}
