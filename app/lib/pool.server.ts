// One connection pool per server process, logged in as `authenticator` (no
// privileges of its own): every query runs in a transaction that takes on the
// signed-in user's role and claims (requireUserDb for a request, ADR 002).
// Kept on globalThis so a development rebuild does not leak pools.
import pg from "pg";
import { env } from "./env.server.ts";
import { processLogger } from "./logger.server.ts";
import { timePoolQueries } from "./query-timing.server.ts";

declare global {
  var __rawjournalPool: pg.Pool | undefined;
}

function createPool(): pg.Pool {
  const pool = new pg.Pool({ connectionString: env.APP_DATABASE_URL, max: 10, idleTimeoutMillis: 30_000 });
  // An idle client losing its connection emits 'error' on the pool; unhandled,
  // that would crash the web process.
  pool.on("error", (error) => processLogger().error({ err: error }, "idle database client lost its connection"));
  // Slow statements are logged by name (./query-timing.server.ts).
  timePoolQueries(pool, { logger: processLogger(), pool: "web" });
  return pool;
}

export const pool: pg.Pool = (globalThis.__rawjournalPool ??= createPool());
