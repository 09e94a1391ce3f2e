// Analytics server time (issue 12): the dashboard's whole figure set (cards
// with the previous period, the balance curve, the calendar) and the
// breakdown page, as their loaders compute them inside one RLS transaction as
// the user, for "all time" over 100,000 closed trades of 5 years (and 1,000),
// uncached (the user's data version bumped before each load) and cached.
// Targets: 100k all time p95 < 100 ms uncached, < 20 ms cached; breakdowns
// p95 < 150 ms; 1,000 trades < 30 ms uncached. Exits 1 when one is missed.
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { withRlsTransaction } from "../app/lib/db.server.ts";
import { loadAnalyticsBreakdowns, loadDashboardStats } from "../app/models/analytics/views.server.ts";
import { parseAnalyticsFilters } from "../app/schemas/analytics-filters.ts";
import { REPO_ROOT, runBootstrap } from "../supabase/local/database.ts";
import { startLocalPostgres } from "../supabase/local/postgres.ts";
import { migrate } from "../supabase/migrate.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const dataDir = path.join(REPO_ROOT, ".data/bench-analytics");
await rm(dataDir, { recursive: true, force: true });
const cluster = await startLocalPostgres({ dataDir, port: 54398, fast: true });
await runBootstrap(cluster.url);
await migrate(cluster.url);
const owner = new pg.Pool({ connectionString: cluster.url, max: 2 });
const app = new pg.Pool({ connectionString: cluster.url.replace("//postgres:postgres@", "//authenticator:postgres@"), max: 2 });

async function userWithTrades(count: number): Promise<string> {
  const id = randomUUID();
  await owner.query(
    `insert into auth.users (id, aud, role, email, created_at, updated_at) values ($1, 'authenticated', 'authenticated', $2, now(), now())`,
    [id, `${id}@bench.test`],
  );
  await owner.query("update public.profiles set subscription_tier = 'elite' where id = $1", [id]);
  await owner.query(
    "update public.user_settings set time_zone = 'Europe/London', trading_day_start_hour = 17, trading_day_time_zone = 'America/New_York' where user_id = $1",
    [id],
  );
  const { rows } = await owner.query("insert into public.accounts (user_id, name, initial_balance) values ($1, 'Main', 10000) returning id", [id]);
  const account = rows[0].id;
  // `count` trades spread over 5 years, mixed symbols, wins and losses, most with an initial stop; deposits monthly.
  await owner.query(
    `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at, volume, closed_volume,
                                entry_price, exit_price, initial_stop_loss, gross_profit, commission, swap)
     select $1, $2, g::text, (array['EURUSD','GBPUSD','XAUUSD','USDJPY','US30','BTCUSD'])[1 + g % 6],
            case when g % 3 = 0 then 'sell' else 'buy' end, 'closed',
            t0 - interval '3 hours', t0, 1, 1, 1.1000, case when g % 3 = 0 then 1.0990 else 1.1010 end,
            case when g % 5 = 0 then null else (case when g % 3 = 0 then 1.1020 else 1.0980 end) end,
            round(((hashint4(g) % 20000) / 100.0)::numeric, 2), -7, round(((hashint4(g * 7) % 300) / 100.0)::numeric, 2)
       from (select g, timestamptz '2021-12-01' + (g::double precision / $3) * interval '1825 days' as t0 from generate_series(1, $3) g) s`,
    [id, account, count],
  );
  await owner.query(
    `insert into public.cash_movements (user_id, account_id, kind, amount, occurred_at, deal_id)
     select $1, $2, 'deposit', 500, timestamptz '2021-12-15' + m * interval '1 month', 'd' || m from generate_series(0, 59) m`,
    [id, account],
  );
  await owner.query("analyze");
  return id;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return +sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(1);
};

const NOW = new Date("2026-12-06T12:00:00Z");
const ALL = parseAnalyticsFilters(new URLSearchParams("period=all"));
const results: { case: string; p50: number; p95: number; target: number; pass: boolean }[] = [];

async function measure(
  name: string,
  userId: string,
  target: number,
  load: (db: pg.PoolClient) => Promise<{ cacheHit: boolean }>,
  { cached }: { cached: boolean },
) {
  const claims = { role: "authenticated", sub: userId, session_id: randomUUID() };
  const times: number[] = [];
  for (let round = 0; round < ROUNDS + 2; round++) {
    if (!cached) await owner.query("update public.analytics_data_versions set version = version + 1 where user_id = $1", [userId]);
    const started = performance.now();
    const { cacheHit } = await withRlsTransaction(app, claims, (db) => load(db));
    const ms = performance.now() - started;
    if (cacheHit !== cached && round > 0) throw new Error(`${name}: expected cacheHit ${cached}`);
    if (round >= 2) times.push(ms); // two warm-up rounds
  }
  const p95 = percentile(times, 95);
  results.push({ case: name, p50: percentile(times, 50), p95, target, pass: p95 < target });
  console.error(`${name}: p50 ${percentile(times, 50)} ms, p95 ${p95} ms (target < ${target} ms)`);
}

const big = await userWithTrades(100_000);
const small = await userWithTrades(1_000);
await measure("dashboard, 100k trades, all time, uncached", big, 100, (db) => loadDashboardStats(db, big, ALL, NOW), { cached: false });
await measure("dashboard, 100k trades, all time, cached", big, 20, (db) => loadDashboardStats(db, big, ALL, NOW), { cached: true });
await measure("breakdowns, 100k trades, all time, uncached", big, 150, (db) => loadAnalyticsBreakdowns(db, big, ALL, NOW), { cached: false });
await measure("dashboard, 1,000 trades, all time, uncached", small, 30, (db) => loadDashboardStats(db, small, ALL, NOW), { cached: false });
await measure(
  "dashboard, 100k trades, this month, uncached",
  big,
  100,
  (db) => loadDashboardStats(db, big, parseAnalyticsFilters(new URLSearchParams("period=custom&from=2026-11-01&to=2026-11-30")), NOW),
  { cached: false },
);

console.log(JSON.stringify({ bench: "analytics", rounds: ROUNDS, results }, null, 2));
await owner.end();
await app.end();
await cluster.stop();
process.exit(results.every((r) => r.pass) ? 0 : 1);
