// Database figures the foundation promises:
//  - a test file's private database (clone of the migrated template) is cheap
//    enough to have hundreds of test files;
//  - an RLS-scoped request transaction (role + claims) costs little over the
//    same query run as the table owner, on 100k trades across 1,000 users.
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { withRlsTransaction } from "../app/lib/db.server.ts";
import { REPO_ROOT, runBootstrap } from "../supabase/local/database.ts";
import { startLocalPostgres } from "../supabase/local/postgres.ts";
import { migrate } from "../supabase/migrate.ts";

const dataDir = path.join(REPO_ROOT, ".data/bench-database");
await rm(dataDir, { recursive: true, force: true });
const cluster = await startLocalPostgres({ dataDir, port: 54397, fast: true });
const admin = new pg.Client({ connectionString: cluster.url });
await admin.connect();
await admin.query("create database bench_template");
const templateUrl = cluster.url.replace(/\/postgres$/, "/bench_template");
await runBootstrap(templateUrl);
await migrate(templateUrl);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

// 1. Clone + drop of the template, as every test file does.
const cloneTimes: number[] = [];
for (let i = 0; i < 30; i++) {
  const started = performance.now();
  await admin.query(`create database bench_clone_${i} template bench_template`);
  cloneTimes.push(performance.now() - started);
}
for (let i = 0; i < 30; i++) await admin.query(`drop database bench_clone_${i}`);

// 2. RLS overhead on a realistic table size.
const owner = new pg.Pool({ connectionString: templateUrl, max: 2 });
const app = new pg.Pool({ connectionString: templateUrl.replace("//postgres:postgres@", "//authenticator:postgres@"), max: 2 });
await owner.query(`
  insert into auth.users (id, aud, role, email, created_at, updated_at)
  select gen_random_uuid(), 'authenticated', 'authenticated', 'u' || g || '@bench.test', now(), now()
    from generate_series(1, 1000) g;
  update public.profiles set subscription_tier = 'pro';
  insert into public.accounts (user_id, name) select id, 'Main' from public.profiles;
  insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at,
                             volume, entry_price, exit_price, gross_profit)
  select a.user_id, a.id, g::text, (array['EURUSD','GBPUSD','XAUUSD','USDJPY'])[1 + g % 4], 'buy', 'closed',
         now() - (g || ' hours')::interval - interval '1 hour', now() - (g || ' hours')::interval, 0.1, 1.1, 1.2, (g % 200) - 100
    from public.accounts a, generate_series(1, 100) g;
  analyze;`);
const { rows } = await owner.query("select id from public.profiles limit 1");
const userId: string = rows[0].id;
const pageQuery = "select id, symbol, net_profit, closed_at from public.trades where user_id = $1 order by closed_at desc limit 50";

async function time(run: () => Promise<unknown>, n = 300): Promise<number[]> {
  for (let i = 0; i < 30; i++) await run();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await run();
    out.push(performance.now() - started);
  }
  return out;
}
// Interleave the two so machine noise hits both alike.
const asOwner: number[] = [];
const asUser: number[] = [];
for (let round = 0; round < 5; round++) {
  asOwner.push(...(await time(() => owner.query(pageQuery, [userId]), 60)));
  asUser.push(
    ...(await time(
      () => withRlsTransaction(app, { role: "authenticated", sub: userId, session_id: randomUUID() }, (c) => c.query(pageQuery, [userId])),
      60,
    )),
  );
}

const summary = {
  templateCloneMs: { p50: +percentile(cloneTimes, 50).toFixed(1), p95: +percentile(cloneTimes, 95).toFixed(1) },
  trades: 100_000,
  latest50TradesMs: {
    ownerNoRls: { p50: +percentile(asOwner, 50).toFixed(2), p95: +percentile(asOwner, 95).toFixed(2) },
    rlsTransaction: { p50: +percentile(asUser, 50).toFixed(2), p95: +percentile(asUser, 95).toFixed(2) },
    p50Ratio: +(percentile(asUser, 50) / percentile(asOwner, 50)).toFixed(2),
  },
};
console.log(JSON.stringify(summary, null, 2));
await owner.end();
await app.end();
await admin.end();
await cluster.stop();
await rm(dataDir, { recursive: true, force: true });
