// Diagnostic (issue 16, the database floor): what the database itself spends storing an import's
// rows, schema against schema, on one durable cluster. The 100,000-position bench report is parsed
// once and stored once by the app (the source rows); then each round, for each variant, a fresh
// copy of that database (CREATE DATABASE … TEMPLATE) receives
//   - the app's store of the same report into the trader's second account (beside the first
//     account's 100,000 trades, as the user, the way the confirm stores it), and
//   - the floor: the same rows copied inside PostgreSQL into that account, one
//     INSERT … SELECT … ON CONFLICT DO NOTHING per table in one transaction (bench/import.ts's floor).
// Each prints its wall time, the CPU its PostgreSQL backend used (/proc, so Linux only) and the WAL
// it wrote. Variants: `after` (as migrated), `before` (the two trade foreign keys put back in place
// of 20261208100100's statement-level checks) and, to price each part, `noindexes` (after, without
// the 11 secondary indexes on trades), `nolegfk` (after, without trade_legs' foreign key) and
// `notriggers` (after, without the statement triggers on trades). Rounds alternate the order.
// `npx tsx bench/floor-ab.ts [rounds=3] [variants=before,after] [explain]` (`explain` also writes
// EXPLAIN (ANALYZE, BUFFERS, WAL) of each floor to .data/bench-floor-ab/).
import { readFileSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { REPO_ROOT, runBootstrap } from "../supabase/local/database.ts";
import { startLocalPostgres } from "../supabase/local/postgres.ts";
import { freePort } from "../supabase/local/free-port.ts";
import { migrate } from "../supabase/migrate.ts";
import { withRlsTransaction } from "../app/lib/db.server.ts";
import { planImportFile } from "../app/domain/imports/parse-import.ts";
import { inflateWithZlib } from "../app/models/imports/node-inflate.server.ts";
import { storeTradeChunks } from "../app/models/trade-store.server.ts";
import { benchReport } from "./support/bench-report.ts";
import { createAccount, createUser, userClaims } from "../tests/support/fixtures.ts";

const ROUNDS = Number(process.argv[2] ?? 3);
const VARIANTS = (process.argv[3] ?? "before,after").split(",");
const EXPLAIN = process.argv[4] === "explain";

const SECONDARY_INDEXES = [
  "trades_account_opened_idx",
  "trades_user_created_idx",
  "trades_import_batch_idx",
  "trades_user_opened_idx",
  "trades_user_symbol_idx",
  "trades_user_net_profit_idx",
  "trades_user_account_closed_idx",
  "trades_user_status_idx",
  "trades_user_closed_idx",
  "trades_user_journaled_idx",
  "trades_account_closed_idx",
];
const VARIANT_SQL: Record<string, string> = {
  after: "",
  before: `
    drop trigger trades_account_and_batch_checked_insert on public.trades;
    drop trigger trades_account_and_batch_checked_update on public.trades;
    drop trigger accounts_delete_trades on public.accounts;
    drop trigger import_batches_unlink_trades on public.import_batches;
    drop trigger accounts_keep_referenced_key on public.accounts;
    drop trigger import_batches_keep_referenced_key on public.import_batches;
    alter table public.trades
      add constraint trades_account_id_user_id_fkey foreign key (account_id, user_id) references public.accounts (id, user_id) on delete cascade,
      add constraint trades_import_batch_id_fkey foreign key (import_batch_id) references public.import_batches (id) on delete set null;`,
  noindexes: SECONDARY_INDEXES.map((name) => `drop index public.${name};`).join("\n"),
  nolegfk: "alter table public.trade_legs drop constraint trade_legs_trade_id_user_id_fkey;",
  notriggers: "alter table public.trades disable trigger user;",
};
for (const v of VARIANTS) if (!(v in VARIANT_SQL)) throw new Error(`unknown variant ${v}: one of ${Object.keys(VARIANT_SQL).join(", ")}`);

const dataDir = path.join(REPO_ROOT, ".data/bench-floor-ab");
await rm(dataDir, { recursive: true, force: true });
const cluster = await startLocalPostgres({ dataDir, port: await freePort() });
const urlOf = (database: string, user = "postgres") => {
  const u = new URL(cluster.url);
  u.pathname = `/${database}`;
  u.username = user;
  return u.toString();
};
const owner = new pg.Client({ connectionString: cluster.url });
await owner.connect();
await owner.query("create database floor_source");
await runBootstrap(urlOf("floor_source"));
await migrate(urlOf("floor_source"));

const bytes = await benchReport(100_000);
const outcome = await planImportFile(bytes, { serverTimeZone: "NY+7", marginMode: "hedging", accountCurrency: "USD" }, { inflate: inflateWithZlib });
if (!outcome.ok) throw new Error(outcome.error.message);
const plan = outcome.plan;

function store(pool: pg.Pool, userId: string, accountId: string) {
  return withRlsTransaction(pool, userClaims(userId), async (db) => {
    const { rows } = await db.query("insert into public.import_batches (user_id, account_id, format) values ($1, $2, 'mt5-xlsx') returning id", [
      userId,
      accountId,
    ]);
    await storeTradeChunks(
      db,
      { userId, accountId, source: "file", importBatchId: rows[0].id },
      {
        chunks: (settled: (positionId: string) => boolean) => plan.tradeChunks(250, settled),
        tradeCount: plan.tradeCount,
        positionIds: plan.positionIds,
        cash: plan.cash,
      },
    );
  });
}

// The source rows: one import by the app; the floor copies them.
const source = new pg.Client({ connectionString: urlOf("floor_source") });
await source.connect();
const userId = await createUser(source, { tier: "pro" });
const accountId = await createAccount(source, userId);
const second = await createAccount(source, userId, { name: "Floor" });
const sourcePool = new pg.Pool({ connectionString: urlOf("floor_source", "authenticator"), max: 1 });
await store(sourcePool, userId, accountId);
await sourcePool.end();
await source.query(
  `create table public.floor_ids as select id as old_id, gen_random_uuid() as new_id from public.trades where account_id = $1::text::uuid;
   create index on public.floor_ids (old_id); analyze`.replace("$1", `'${accountId}'`),
);
await source.end();
for (const variant of VARIANTS) {
  await owner.query(`create database floor_${variant} template floor_source`);
  const c = new pg.Client({ connectionString: urlOf(`floor_${variant}`) });
  await c.connect();
  await c.query(VARIANT_SQL[variant]!);
  await c.query("analyze");
  await c.end();
}

function backendCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * (1000 / 100); // utime + stime, in clock ticks of 10 ms
}

async function measure(variant: string, kind: "store" | "floor") {
  const database = `run_${Math.random().toString(36).slice(2, 9)}`;
  await owner.query(`create database ${database} template floor_${variant}`);
  const admin = new pg.Client({ connectionString: urlOf(database) });
  await admin.connect();
  await admin.query("checkpoint");
  const { rows: w } = await admin.query("select pg_current_wal_insert_lsn() as lsn");
  const load = os.loadavg()[0]!;
  let cpuMs = 0;
  let explained = "";
  const t0 = performance.now();
  if (kind === "store") {
    const pool = new pg.Pool({ connectionString: urlOf(database, "authenticator"), max: 1 });
    const client = await pool.connect();
    const { rows } = await client.query("select pg_backend_pid() as pid");
    client.release();
    const cpu0 = backendCpuMs(rows[0].pid);
    await store(pool, userId, second);
    cpuMs = backendCpuMs(rows[0].pid) - cpu0;
    await pool.end();
  } else {
    const cols = async (table: string, skip: string[]) =>
      (
        await admin.query(
          `select column_name as n from information_schema.columns where table_schema = 'public' and table_name = $1 and is_generated = 'NEVER' order by ordinal_position`,
          [table],
        )
      ).rows
        .map((r) => r.n as string)
        .filter((n) => !skip.includes(n));
    const tc = await cols("trades", ["id", "account_id", "import_batch_id", "created_at", "updated_at"]);
    const lc = await cols("trade_legs", ["id", "trade_id", "created_at"]);
    const { rows } = await admin.query("select pg_backend_pid() as pid");
    const cpu0 = backendCpuMs(rows[0].pid);
    const e = EXPLAIN ? "explain (analyze, buffers, timing, wal) " : "";
    await admin.query("begin");
    const { rows: b } = await admin.query(
      "insert into public.import_batches (user_id, account_id, format) values ($1, $2, 'mt5-xlsx') returning id",
      [userId, second],
    );
    const trades = await admin.query(
      `${e}insert into public.trades (id, account_id, import_batch_id, ${tc.join(", ")})
       select f.new_id, $1, $2, ${tc.map((x) => `t.${x}`).join(", ")} from public.trades t join public.floor_ids f on f.old_id = t.id
       on conflict (account_id, position_id) do nothing`,
      [second, b[0].id],
    );
    const legs = await admin.query(
      `${e}insert into public.trade_legs (trade_id, ${lc.join(", ")})
       select f.new_id, ${lc.map((x) => `l.${x}`).join(", ")} from public.trade_legs l join public.floor_ids f on f.old_id = l.trade_id`,
    );
    await admin.query("commit");
    cpuMs = backendCpuMs(rows[0].pid) - cpu0;
    if (EXPLAIN) explained = [...trades.rows, ...legs.rows].map((r) => r["QUERY PLAN"]).join("\n");
  }
  const ms = performance.now() - t0;
  const { rows: after } = await admin.query(
    "select pg_current_wal_insert_lsn() - $1::pg_lsn as wal, (select count(*)::int from public.trades where account_id = $2) as trades",
    [w[0].lsn, second],
  );
  await admin.end();
  await owner.query(`drop database ${database}`);
  if (explained) writeFileSync(path.join(dataDir, `explain-${variant}-${Date.now()}.txt`), explained);
  console.log(
    JSON.stringify({
      variant,
      kind,
      load: +load.toFixed(1),
      ms: Math.round(ms),
      postgresCpuMs: cpuMs,
      walMB: +(Number(after[0].wal) / 1e6).toFixed(1),
      trades: after[0].trades,
    }),
  );
}

for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 ? [...VARIANTS].reverse() : VARIANTS;
  for (const kind of ["floor", "store"] as const) for (const variant of order) await measure(variant, kind);
}
await owner.end();
await cluster.stop();
process.exit(0);
