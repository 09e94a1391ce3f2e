// Database-side authorization, done the way Supabase Realtime does it.
//  * Private channels: RLS policies on realtime.messages decide. Read = insert
//    probe rows (extension broadcast and presence) as the service, switch to the
//    caller's role/claims with realtime.topic set, select them back; roll back.
//    Write = insert as the caller in a savepoint; roll back.
//  * postgres_changes: a change reaches a subscriber only if its role may
//    SELECT the row: select it by primary key as that role with its claims.
import type pg from "pg";
import type { SupabaseClaims } from "../jwt.ts";

export interface ReadPolicies {
  broadcast: boolean;
  presence: boolean;
}
export type WritePolicies = ReadPolicies;

async function setCaller(client: pg.PoolClient, role: string, claims: SupabaseClaims, topic: string): Promise<void> {
  await client.query(
    `select set_config('role', $1, true), set_config('realtime.topic', $2, true),
            set_config('request.jwt.claims', $3, true), set_config('request.headers', '{}', true)`,
    [role, topic, JSON.stringify(claims)],
  );
}

export async function readPolicies(pool: pg.Pool, role: string, claims: SupabaseClaims, topic: string): Promise<ReadPolicies> {
  const client = await pool.connect();
  try {
    await client.query("begin");
    const inserted = await client.query<{ id: string; extension: string }>(
      `insert into realtime.messages (topic, extension) values ($1, 'broadcast'), ($1, 'presence')
       returning id::text, extension`,
      [topic],
    );
    await setCaller(client, role, claims, topic);
    const ids = inserted.rows.map((row) => row.id);
    let visible: Array<{ id: string; extension: string }> = [];
    try {
      const result = await client.query<{ id: string; extension: string }>(
        `select id::text, extension from realtime.messages where topic = $1 and id = any($2::uuid[])`,
        [topic, ids],
      );
      visible = result.rows;
    } catch {
      // A policy that errors (bad cast, missing function) denies, as in Supabase.
      visible = [];
    }
    return {
      broadcast: visible.some((row) => row.extension === "broadcast"),
      presence: visible.some((row) => row.extension === "presence"),
    };
  } finally {
    await client.query("rollback").catch(() => {});
    client.release();
  }
}

export async function writePolicies(pool: pg.Pool, role: string, claims: SupabaseClaims, topic: string): Promise<WritePolicies> {
  const client = await pool.connect();
  try {
    await client.query("begin");
    await setCaller(client, role, claims, topic);
    const tryInsert = async (extension: string): Promise<boolean> => {
      await client.query("savepoint rt_write_probe");
      try {
        await client.query(`insert into realtime.messages (topic, extension) values ($1, $2)`, [topic, extension]);
        return true;
      } catch {
        return false;
      } finally {
        await client.query("rollback to savepoint rt_write_probe");
      }
    };
    const broadcast = await tryInsert("broadcast");
    const presence = await tryInsert("presence");
    return { broadcast, presence };
  } finally {
    await client.query("rollback").catch(() => {});
    client.release();
  }
}

export function sqlLiteral(value: string): string {
  let hasBackslash = false;
  let escaped = "'";
  for (const ch of value) {
    if (ch === "'") escaped += "''";
    else if (ch === "\\") {
      escaped += "\\\\";
      hasBackslash = true;
    } else escaped += ch;
  }
  escaped += "'";
  return hasBackslash ? ` E${escaped}` : escaped;
}

export function sqlIdent(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

export interface RowCheck {
  /** Qualified, quoted table name. */
  table: string;
  /** Primary-key columns and their text values. */
  key: Array<[column: string, text: string]>;
}

export interface CallerChecks {
  role: string;
  claims: SupabaseClaims;
  rows: RowCheck[];
}

function existsSql(row: RowCheck): string {
  const where = row.key.map(([column, text]) => `${sqlIdent(column)} = ${sqlLiteral(text)}`).join(" and ");
  return `exists(select 1 from ${row.table} where ${where})`;
}

function callerSql(caller: CallerChecks): [string, string] {
  return [
    `select set_config('role', ${sqlLiteral(caller.role)}, true), set_config('request.jwt.claims', ${sqlLiteral(
      JSON.stringify(caller.claims),
    )}, true)`,
    `select ${caller.rows.map((row, i) => `${existsSql(row)} as c${i}`).join(", ")}`,
  ];
}

/**
 * Whether transaction `xid` (32 bits, as pgoutput names it) is still running in
 * a snapshot given as pg_current_snapshot() text, "xmin:xmax:xip,xip,…".
 */
export function runningInSnapshot(snapshot: string, xid: number): boolean {
  const [, xmaxText = "0", xipText = ""] = snapshot.split(":");
  const xmax = BigInt(xmaxText);
  // Widen xid to 64 bits in the epoch that puts it nearest xmax.
  let full = ((xmax >> 32n) << 32n) | BigInt(xid);
  if (full - xmax > 2n ** 31n) full -= 2n ** 32n;
  else if (xmax - full > 2n ** 31n) full += 2n ** 32n;
  return full >= xmax || (xipText !== "" && xipText.split(",").some((x) => BigInt(x) === full));
}

const RECHECK_MS = 2;
const RECHECK_LIMIT = 500;

/**
 * Runs `statements` in a read-only transaction once the committed transaction
 * `xid` is visible to it. pgoutput ships a commit as soon as its WAL is flushed,
 * which is before the committing backend leaves the proc array; a snapshot
 * taken in that gap still sees the transaction as running, so the row check
 * would answer "not visible" and the change would be lost. The snapshot is read
 * by the first statement; later statements' snapshots are newer, so they see
 * the transaction too.
 */
async function runOnceVisible(client: pg.PoolClient, statements: string[], xid: number | null, onWait: () => void): Promise<pg.QueryResult[]> {
  for (let attempt = 0; ; attempt++) {
    const sql = ["begin read only", "select pg_current_snapshot()::text as s", ...statements, "rollback"].join(";\n");
    const results = (await client.query(sql)) as unknown as pg.QueryResult[];
    const snapshot = String((results[1]!.rows[0] as { s: string }).s);
    if (xid === null || attempt >= RECHECK_LIMIT || !runningInSnapshot(snapshot, xid)) return results.slice(2, -1);
    if (attempt === 0) onWait();
    await new Promise((resolve) => setTimeout(resolve, RECHECK_MS));
  }
}

/**
 * Row visibility for many callers in one round trip: one transaction, for each
 * caller a set_config + one select of exists() per row. Falls back to one
 * transaction per caller when a policy raises, so one bad policy hides only
 * that caller's rows. `xid` is the transaction that wrote the rows.
 */
export async function checkRowVisibility(
  pool: pg.Pool,
  callers: CallerChecks[],
  xid: number | null,
  onWait: () => void = () => {},
): Promise<boolean[][]> {
  if (!callers.length) return [];
  const client = await pool.connect();
  const answersOf = (result: pg.QueryResult, caller: CallerChecks) => {
    const row = result.rows[0] as Record<string, boolean>;
    return caller.rows.map((_, j) => row[`c${j}`] === true);
  };
  try {
    try {
      const results = await runOnceVisible(client, callers.flatMap(callerSql), xid, onWait);
      return callers.map((caller, i) => answersOf(results[1 + i * 2]!, caller));
    } catch {
      await client.query("rollback").catch(() => {});
      const answers: boolean[][] = [];
      for (const caller of callers) {
        try {
          answers.push(answersOf((await runOnceVisible(client, callerSql(caller), xid, onWait))[1]!, caller));
        } catch {
          await client.query("rollback").catch(() => {});
          answers.push(caller.rows.map(() => false));
        }
      }
      return answers;
    }
  } finally {
    client.release();
  }
}
