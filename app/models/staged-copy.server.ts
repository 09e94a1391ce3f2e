// Staging tables for the bulk path (issue 16, docs/decisions/017): rows go
// into a temporary table with `COPY … FROM STDIN (FORMAT binary)`, and one
// INSERT … SELECT moves them into the real table. A temporary table is the
// session's own — no WAL, no indexes, no triggers, no RLS — and is dropped at
// the end of the transaction (ON COMMIT DROP), so a pooled connection keeps
// nothing of one user's rows for the next. Creating one needs the TEMPORARY
// privilege on the database, which the roles the app and the jobs act as
// (authenticated, service_role) hold (20261208130000_staging_tables.sql).
//
// A COPY occupies the connection until it ends: whoever stages must not
// expect another statement on the same client to run before it. A store that
// sends statements without awaiting each one (COPYs, then an INSERT while
// the next rows are built) sends them through a StatementQueue: each starts
// when the one before it has ended, in the order they were queued, without
// relying on pg's own queueing of concurrent client.query() calls (deprecated
// in pg 8, to be removed in pg 9).
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { copyStreamOf, type BinaryCopyRows, type CopyType } from "./pg-binary-copy.ts";

const SQL_TYPES: Record<CopyType, string> = {
  bool: "boolean",
  uuid: "uuid",
  text: "text",
  int2: "smallint",
  int8: "bigint",
  timestamptz: "timestamptz",
  numeric: "numeric",
  jsonb: "jsonb",
};

const NAME = /^[a-z_][a-z0-9_]*$/;

/** `pg_temp.<name>`: the session's own table, never one of the same name on the search path. */
export function stageTable(name: string): string {
  if (!NAME.test(name)) throw new Error(`"${name}" is not a staging table name`);
  return `pg_temp.${name}`;
}

/** The CREATE statement of a staging table with these rows' columns, dropped at commit. */
export function createStageSql(name: string, rows: BinaryCopyRows<never>): string {
  const columns = rows.columns.map(([column, type]) => `${column} ${SQL_TYPES[type]}`).join(", ");
  return `create temporary table ${name} (${columns}) on commit drop`;
}

/**
 * Sends the rows (of one or several buffers of the same columns) to the
 * staging table with one COPY; resolves with the row count once the server
 * has taken them all (it rejects on the server's error, which also aborts
 * the caller's transaction). The rows' buffers must not be reused before
 * then. A failure is handled where the promise is awaited: one not awaited
 * yet does not crash the process.
 */
export function copyRows<Row>(db: pg.ClientBase, table: string, rows: BinaryCopyRows<Row> | readonly BinaryCopyRows<Row>[]): Promise<number> {
  const parts = Array.isArray(rows) ? rows : [rows as BinaryCopyRows<Row>];
  const stream = db.query(copyFrom(`copy ${stageTable(table)} (${parts[0]!.names().join(", ")}) from stdin (format binary)`));
  const done = new Promise<number>((resolve, reject) => {
    stream.on("error", reject);
    stream.on("finish", () => resolve(stream.rowCount));
  });
  done.catch(() => {});
  for (const data of copyStreamOf(parts)) stream.write(data);
  stream.end();
  return done;
}

/** Statements on one client, run one after another in the order they are queued (see the header). */
export class StatementQueue {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: pg.ClientBase) {}

  /**
   * Runs `start` once every statement queued before has ended (failed ones
   * too: the database then refuses this one as well, and the caller reports
   * the first failure). A failure is handled where the result is awaited.
   */
  private run<T>(start: () => Promise<T>): Promise<T> {
    const result = this.tail.then(start, start);
    this.tail = result.catch(() => {});
    result.catch(() => {});
    return result;
  }

  /** Resolves once every statement queued so far has ended, failed or not. */
  ended(): Promise<void> {
    return this.tail.then(() => {});
  }

  query<T extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<T>> {
    return this.run(() => this.db.query<T>(text, values));
  }

  copy<Row>(table: string, rows: BinaryCopyRows<Row> | readonly BinaryCopyRows<Row>[]): Promise<number> {
    return this.run(() => copyRows(this.db, table, rows));
  }
}
