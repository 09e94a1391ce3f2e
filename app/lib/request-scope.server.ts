// One RLS-scoped transaction per loader or action call (ADR 002). A loader or
// action asks for it with requireUserDb(request); the transaction begins at
// the first statement (reading an upload's body before that holds no
// connection), and the route handler (./route-handler.server.ts) ends it once
// the handler has produced its answer, before Remix sends anything:
//  - committed when the handler returns an answer below 400, or throws a
//    Response below 400 (a redirect thrown after a write keeps the write);
//  - rolled back when it throws anything else (an error, an AppError, a 4xx or
//    5xx Response) or returns an answer of 400 or more (a form error).
// Loaders (GET, HEAD) read in REPEATABLE READ: all their statements see the
// snapshot of the first one. Actions run in READ COMMITTED, PostgreSQL's
// default, so a write never fails because another request changed a row after
// the action began.
import type pg from "pg";
import { beginRlsTransaction, type DatabaseClaims, type OpenTransaction, type RequestDb } from "./db.server.ts";

interface Scope {
  readOnly: boolean;
  transaction: Promise<OpenTransaction> | null;
  ended: boolean;
}

// Keyed by the Request object: Remix gives each loader of a navigation its own
// copy, so the parallel loaders of one page each have their own transaction.
const scopes = new WeakMap<Request, Scope>();

/** The request's transaction as `claims`, begun by its first statement. */
export function requestDb(request: Request, pool: pg.Pool, claims: DatabaseClaims): RequestDb {
  const scope = scopes.get(request);
  if (!scope) throw new Error("requireUserDb runs inside handleLoader or handleAction, which end its transaction");
  const open = () => {
    // A body streamed after the answer has no transaction left to read in.
    if (scope.ended) return Promise.reject(new Error("this request's transaction has already ended"));
    return (scope.transaction ??= beginRlsTransaction(pool, claims, { isolation: scope.readOnly ? "repeatable read" : "read committed" }));
  };
  return {
    query: (text, values) => open().then(({ db }) => db.query(text, values)),
  };
}

/** Runs a loader or action with a request database scope and ends its transaction by the rule above. */
export async function withRequestDbScope<T>(request: Request, handle: () => Promise<T>): Promise<T> {
  const scope: Scope = { readOnly: request.method === "GET" || request.method === "HEAD", transaction: null, ended: false };
  scopes.set(request, scope);
  const end = async (commit: boolean) => {
    scopes.delete(request);
    scope.ended = true;
    const transaction = await scope.transaction?.catch(() => null);
    await transaction?.end(commit);
  };
  let result: T;
  try {
    result = await handle();
  } catch (error) {
    if (error instanceof Response && error.status < 400) await end(true);
    else await end(false).catch(() => {});
    throw error;
  }
  await end(statusOf(result) < 400);
  return result;
}

function statusOf(answer: unknown): number {
  if (answer instanceof Response) return answer.status;
  const withInit = answer as { type?: unknown; init?: ResponseInit | null } | null;
  return (withInit?.type === "DataWithResponseInit" ? withInit.init?.status : undefined) ?? 200;
}
