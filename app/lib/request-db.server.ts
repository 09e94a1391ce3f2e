// requireUserDb: the signed-in user and the request's RLS-scoped transaction,
// for loaders and actions (ADR 002). When it commits or rolls back, and at
// which isolation level: ./request-scope.server.ts.
import type { RequestDb } from "./db.server.ts";
import { pool } from "./pool.server.ts";
import { requestDb } from "./request-scope.server.ts";
import { requireUser, type SignedIn } from "./session.server.ts";

export type { RequestDb };

export interface SignedInDb extends SignedIn {
  db: RequestDb;
}

/** The signed-in user and their request's transaction, or the redirect to the login page. */
export async function requireUserDb(request: Request): Promise<SignedInDb> {
  const user = await requireUser(request);
  return { ...user, db: requestDb(request, pool, user.claims) };
}
