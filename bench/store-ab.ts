// Diagnostic (issue 16): the store of another source tree ("before", BENCH_BEFORE_SOURCE, e.g. a
// `git worktree` of an older commit) and of this one ("after"), alternating in one process on one
// durable cluster, each storing the 100,000-position bench report (parsed once, outside the timing)
// as the user into a fresh database, the way the import confirms it; then, in the same database, the
// floor: the same rows copied inside PostgreSQL into another account, one INSERT … SELECT per table.
// Same data, same machine minute by minute: the store-to-floor ratios are comparable where the
// end-to-end bench (bench/import.ts) is swamped by a shared machine.
// `BENCH_BEFORE_SOURCE=/tmp/before npx tsx bench/store-ab.ts [positions] [rounds]`.
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
import { benchReport } from "./support/bench-report.ts";
import { createAccount, createUser, userClaims } from "../tests/support/fixtures.ts";

const N = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.argv[3] ?? 2);
const only = process.env.ONLY?.split(",");
if (!process.env.BENCH_BEFORE_SOURCE) throw new Error("BENCH_BEFORE_SOURCE: the source tree to compare with (a git worktree)");
type Store = typeof import("../app/models/trade-store.server.ts");
const stores: Record<string, Store> = {
  before: await import(`${process.env.BENCH_BEFORE_SOURCE ?? ""}/app/models/trade-store.server.ts`),
  after: await import("../app/models/trade-store.server.ts"),
};
const dataDir = path.join(REPO_ROOT, ".data/bench-store-ab");
await rm(dataDir, { recursive: true, force: true });
const cluster = await startLocalPostgres({ dataDir, port: await freePort(), fast: process.env.FAST === "1" });
await runBootstrap(cluster.url);
await migrate(cluster.url);
const owner = new pg.Client({ connectionString: cluster.url });
await owner.connect();
await owner.query("create database template_ab template postgres");

const bytes = await benchReport(N);
const outcome = await planImportFile(bytes, { serverTimeZone: "NY+7", marginMode: "hedging", accountCurrency: "USD" }, { inflate: inflateWithZlib });
if (!outcome.ok) throw new Error(outcome.error.message);
const plan = outcome.plan;
console.error(`plan: ${plan.tradeCount} trades, ${plan.cash.length} cash`);

async function one(label: string) {
  const dbName = `ab${Math.random().toString(36).slice(2, 8)}`;
  await owner.query(`create database ${dbName} template template_ab`);
  const url = cluster.url.replace(/\/[^/]*$/, `/${dbName}`);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const userId = await createUser(admin, { tier: "pro" });
  const accountId = await createAccount(admin, userId);
  const other = await createAccount(admin, userId, { name: "Floor" });
  await admin.query("checkpoint");
  const appUrl = new URL(url);
  appUrl.username = "authenticator";
  const pool = new pg.Pool({ connectionString: appUrl.toString(), max: 2 });
  const load = os.loadavg()[0]!;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await withRlsTransaction(pool, userClaims(userId), async (db) => {
    const { rows } = await db.query("insert into public.import_batches (user_id, account_id, format) values ($1, $2, 'mt5-xlsx') returning id", [
      userId,
      accountId,
    ]);
    return stores[label]!.storeTradeChunks(
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
  const ms = performance.now() - t0;
  const c = process.cpuUsage(cpu0);
  // floor: the same rows copied inside PostgreSQL into the other account, one statement per table, durable.
  const cols = async (t: string, skip: string[]) =>
    (
      await admin.query(
        `select column_name n from information_schema.columns where table_schema='public' and table_name=$1 and is_generated='NEVER' order by ordinal_position`,
        [t],
      )
    ).rows
      .map((r) => r.n)
      .filter((n) => !skip.includes(n));
  const tc = await cols("trades", ["id", "account_id", "import_batch_id", "created_at", "updated_at"]);
  const lc = await cols("trade_legs", ["id", "trade_id", "created_at"]);
  await admin.query(
    `create temporary table floor_ids as select id as old_id, gen_random_uuid() as new_id from public.trades where account_id = '${accountId}'; create index on floor_ids (old_id); analyze floor_ids`,
  );
  await admin.query("checkpoint");
  const f0 = performance.now();
  await admin.query("begin");
  const { rows: b } = await admin.query("insert into public.import_batches (user_id, account_id, format) values ($1, $2, 'mt5-xlsx') returning id", [
    userId,
    other,
  ]);
  await admin.query(
    `insert into public.trades (id, account_id, import_batch_id, ${tc.join(", ")}) select f.new_id, $1, $2, ${tc.map((x) => "t." + x).join(", ")} from public.trades t join floor_ids f on f.old_id = t.id on conflict (account_id, position_id) do nothing`,
    [other, b[0].id],
  );
  await admin.query(
    `insert into public.trade_legs (trade_id, ${lc.join(", ")}) select f.new_id, ${lc.map((x) => "l." + x).join(", ")} from public.trade_legs l join floor_ids f on f.old_id = l.trade_id`,
  );
  await admin.query(
    `insert into public.cash_movements (account_id, import_batch_id, user_id, kind, amount, occurred_at, server_utc_offset_minutes, deal_id, comment, source) select $1, $2, user_id, kind, amount, occurred_at, server_utc_offset_minutes, deal_id, comment, source from public.cash_movements where account_id = $3 on conflict do nothing`,
    [other, b[0].id, accountId],
  );
  await admin.query("commit");
  const floorMs = performance.now() - f0;
  const { rows: counts } = await admin.query(
    "select (select count(*) from public.trades where account_id=$1)::int t, (select count(*) from public.trade_legs l join public.trades t on t.id=l.trade_id where t.account_id=$1)::int l",
    [accountId],
  );
  console.log(
    JSON.stringify({
      label,
      load: +load.toFixed(1),
      storeMs: Math.round(ms),
      nodeCpuMs: Math.round((c.user + c.system) / 1000),
      floorMs: Math.round(floorMs),
      ratio: +(ms / floorMs).toFixed(2),
      result,
      counts: counts[0],
    }),
  );
  await pool.end();
  await admin.end();
  await owner.query(`drop database ${dbName}`);
}
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 ? ["after", "before"] : ["before", "after"];
  for (const label of order) if (!only || only.includes(label)) await one(label);
}
await owner.end();
await cluster.stop();
process.exit(0);
