// Slow statements, by name. Every statement of the web and jobs processes goes
// through a pooled pg client (requests through ./db.server.ts's transactions,
// jobs through withServiceRole, the rest through pool.query), so the one place
// to time them is each client, instrumented once when the pool connects it.
// A statement slower than SLOW_QUERY_MS is a warning that names it, never
// quotes it: SQL text can hold literal values, and the parameters always do.
// The name is the statement's leading `-- name` comment when it has one,
// otherwise its verb and first table plus a hash of its text (stable for the
// same statement, so one slow query is recognisable across lines).
import type pg from "pg";
import type { Logger } from "./logger.server.ts";

export const SLOW_QUERY_MS = 200;

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/** "select public.trades #1a2b3c4d", or the statement's own `-- name` (its first line). */
export function queryName(text: string): string {
  const named = /^\s*--\s*([\w.:-]+)/.exec(text);
  if (named) return named[1]!;
  const normalized = text.replace(/\s+/g, " ").trim();
  const verb = /^[a-z]+/i.exec(normalized)?.[0]?.toLowerCase() ?? "statement";
  const table = /\b(?:from|into|update|join)\s+("?[\w]+"?(?:\."?[\w]+"?)?)/i.exec(normalized)?.[1]?.replaceAll('"', "");
  return `${verb}${table ? ` ${table}` : ""} #${fnv1a(normalized)}`;
}

export interface QueryTimingOptions {
  logger: Logger;
  /** Milliseconds, monotonic. */
  now?: () => number;
  slowMs?: number;
  /** Which pool ("web", "jobs"): says where the statement ran. */
  pool?: string;
}

type Callback = (error: Error | null, result?: unknown) => void;

function textOf(first: unknown): string | null {
  if (typeof first === "string") return first;
  const text = (first as { text?: unknown; name?: unknown } | null)?.text;
  return typeof text === "string" ? text : null;
}

/** Wraps one client's query: promise and callback forms are timed; a submittable (a COPY stream, a cursor) passes untouched. */
export function timeClientQueries(
  client: pg.ClientBase,
  { logger, now = () => performance.now(), slowMs = SLOW_QUERY_MS, pool }: QueryTimingOptions,
): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const report = (first: unknown, started: number, failed: boolean) => {
    const durationMs = now() - started;
    if (durationMs <= slowMs) return;
    const configName = (first as { name?: unknown } | null)?.name;
    const name = typeof configName === "string" ? configName : queryName(textOf(first) ?? "");
    logger.warn(
      { query: name, durationMs: Math.round(durationMs), ...(pool ? { pool } : {}), ...(failed ? { failed: true } : {}) },
      `slow query: ${name}`,
    );
  };
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const first = args[0];
    if (textOf(first) === null || typeof (first as { submit?: unknown }).submit === "function") return query(...args);
    const started = now();
    const last = args.at(-1);
    if (typeof last === "function") {
      const callback = last as Callback;
      args[args.length - 1] = (error: Error | null, result?: unknown) => {
        report(first, started, Boolean(error));
        callback(error, result);
      };
      return query(...args);
    }
    const result = query(...args) as Promise<unknown> | undefined;
    if (typeof result?.then !== "function") return result;
    return result.then(
      (value) => {
        report(first, started, false);
        return value;
      },
      (error: unknown) => {
        report(first, started, true);
        throw error;
      },
    );
  };
}

/** Times every statement of every client `pool` connects from now on. */
export function timePoolQueries(pool: pg.Pool, options: QueryTimingOptions): void {
  pool.on("connect", (client) => timeClientQueries(client, options));
}
