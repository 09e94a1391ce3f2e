// Model functions take the request's transaction (requireUserDb) as their
// first argument. Tests call them the way one loader or action would: each
// call in its own RLS-scoped transaction as the user, from a pool.
import type pg from "pg";
import { withRlsTransaction, type DatabaseClaims, type RequestDb } from "../../app/lib/db.server.ts";

/** `fn(db, claims, …)` as `(pool, claims, …)`, in one transaction as `claims`. */
export function asRequest<C extends DatabaseClaims, A extends unknown[], R>(fn: (db: RequestDb, claims: C, ...rest: A) => Promise<R>) {
  return (pool: pg.Pool, claims: C, ...rest: A): Promise<R> => withRlsTransaction(pool, claims, (db) => fn(db, claims, ...rest));
}

/** `fn(db, …)` (a function that needs no claims of its own) as `(pool, claims, …)`. */
export function asRequestOf<A extends unknown[], R>(fn: (db: RequestDb, ...rest: A) => Promise<R>) {
  return (pool: pg.Pool, claims: DatabaseClaims, ...rest: A): Promise<R> => withRlsTransaction(pool, claims, (db) => fn(db, ...rest));
}
