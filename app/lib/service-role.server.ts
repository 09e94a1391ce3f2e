// The one place that takes on the service role, which bypasses RLS: the jobs
// process (sync engine, connection checks, market data) reaches the database
// through withServiceRole on its own login. The web process's login cannot
// become service_role at all (docs/decisions/021), so nothing in a loader,
// action or webhook can use this.
import type pg from "pg";
import { withRlsTransaction } from "./db.server.ts";

/**
 * Service-role access for the jobs process. It bypasses RLS, so it always
 * names the user it acts for; queries must still filter by that id.
 */
export function withServiceRole<T>(pool: pg.Pool, actingForUserId: string | null, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withRlsTransaction(pool, { role: "service_role", ...(actingForUserId ? { sub: actingForUserId } : {}) }, work);
}
