// Analytics server time (issue 12): the dashboard's whole figure set (cards
// with the previous period, the balance curve, the calendar) and the
// breakdown page, as their loaders compute them inside one RLS transaction as
// the user, for "all time" over 100,000 closed trades of 5 years (and 1,000),
// uncached (the user's data version bumped before each load) and cached.
// Targets: 100k all time p95 < 100 ms uncached, < 20 ms cached; breakdowns
// p95 < 150 ms; 1,000 trades < 30 ms uncached. Exits 1 when one is missed.
//
// The views read their trades from the analytics store (ADR 015). In the
// same run the bench also measures, without targets: the views from the
// trade rows as before the store ("rows"), a load after one month changed
// (a synced close: that month is rebuilt), and a cold store (every month
// rebuilt, as after a migration). The machine's load average is printed
// with each case: other test runs on the same 2 cores move every figure.
// (The "before:" figures in docs/benchmarks.md came from frozen copies of
// the earlier store reads, removed once measured: to compare two versions,
// run this at both commits.)
import { randomUUID } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { withRlsTransaction } from "../app/lib/db.server.ts";
import { decodedChunks } from "../app/models/analytics/chunk-cache.ts";
import { loadAnalyticsBreakdowns, loadDashboardStats, type TradeSource } from "../app/models/analytics/views.server.ts";
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
// The cluster stops at the end under idle pooled connections: their termination is expected.
for (const pool of [owner, app]) pool.on("error", () => {});

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
const results: { case: string; p50: number; p95: number; target: number | null; pass: boolean; load: string; cpuMs: number }[] = [];

/**
 * CPU time of a PostgreSQL backend so far (user + system, ms; /proc ticks of
 * 10 ms, so only a mean over many loads means anything).
 */
async function backendCpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/**
 * CPU time so far of every backend of the loads' pool, read outside the timed
 * load (the pool holds at most 2; the one that runs a load is the one whose
 * time moves). Reading its pid inside the load's transaction cost the load a
 * round trip and two file reads of the bench's own.
 */
async function appBackendsCpuMs(): Promise<number> {
  const { rows } = await owner.query<{ pid: number }>("select pid from pg_stat_activity where usename = 'authenticator' and pid <> pg_backend_pid()");
  let total = 0;
  for (const { pid } of rows) total += await backendCpuMs(pid).catch(() => 0);
  return total;
}

/**
 * Before a load: nothing (the store is current, and this process holds its months decoded from an earlier
 * load), the process holds no decoded month (its first load of them), the latest month changed, or every month changed.
 */
type Store = "current" | "not decoded in this process" | "latest month changed" | "cold";

interface Case {
  name: string;
  target: number | null;
  load: (db: pg.PoolClient) => Promise<{ cacheHit: boolean }>;
}

/** One load of a case as its loader runs it, after preparing the store: wall time and CPU (Node + backend). */
async function oneLoad(userId: string, { name, load }: Case, cached: boolean, store: Store, warmUp: boolean): Promise<{ ms: number; cpuMs: number }> {
  const claims = { role: "authenticated", sub: userId, session_id: randomUUID() };
  if (!cached) await owner.query("update public.analytics_data_versions set version = version + 1 where user_id = $1", [userId]);
  if (store !== "current") decodedChunks.clear();
  if (store === "cold") await owner.query("update public.analytics_trade_months set version = version + 1 where user_id = $1", [userId]);
  if (store === "latest month changed") {
    await owner.query(
      `update public.analytics_trade_months set version = version + 1
        where user_id = $1 and month = (select max(month) from public.analytics_trade_months where user_id = $1)`,
      [userId],
    );
  }
  const backendBefore = await appBackendsCpuMs();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const { cacheHit } = await withRlsTransaction(app, claims, load);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const backendCpu = (await appBackendsCpuMs()) - backendBefore;
  if (cacheHit !== cached && !warmUp) throw new Error(`${name}: expected cacheHit ${cached}`);
  return { ms, cpuMs: (used.user + used.system) / 1000 + backendCpu };
}

/**
 * Measures the cases together: each round loads every case once, in turn,
 * the order reversed every other round (ABBA), so two designs compared in
 * one call share the machine's load and each other's leftovers (garbage).
 */
async function measure(
  userId: string,
  cases: Case[],
  { cached, store = "current", rounds = ROUNDS }: { cached: boolean; store?: Store; rounds?: number },
) {
  const times = cases.map(() => [] as number[]);
  const cpu = cases.map(() => 0);
  for (let round = 0; round < rounds + 2; round++) {
    const order = cases.map((_, k) => k);
    if (round % 2) order.reverse();
    for (const k of order) {
      const { ms, cpuMs } = await oneLoad(userId, cases[k]!, cached, store, round === 0);
      if (round >= 2) {
        // two warm-up rounds
        times[k]!.push(ms);
        cpu[k]! += cpuMs;
      }
    }
  }
  const loadAverage = os.loadavg()[0]!.toFixed(1);
  cases.forEach(({ name, target }, k) => {
    const cpuMs = +(cpu[k]! / rounds).toFixed(1);
    const p50 = percentile(times[k]!, 50);
    const p95 = percentile(times[k]!, 95);
    results.push({ case: name, p50, p95, target, pass: target === null || p95 < target, load: loadAverage, cpuMs });
    console.error(
      `${name}: p50 ${p50} ms, p95 ${p95} ms, CPU ${cpuMs} ms a load (Node + PostgreSQL backend) (${target === null ? "no target" : `target < ${target} ms`}; load ${loadAverage})`,
    );
  });
}

const big = await userWithTrades(100_000);
const small = await userWithTrades(1_000);
const dashboard =
  (user: string, filters = ALL, source?: TradeSource) =>
  (db: pg.PoolClient) =>
    loadDashboardStats(db, user, filters, NOW, source);
const breakdowns = (user: string, source?: TradeSource) => (db: pg.PoolClient) => loadAnalyticsBreakdowns(db, user, ALL, NOW, source);
await measure(big, [{ name: "dashboard, 100k trades, all time, uncached", target: 100, load: dashboard(big) }], { cached: false });
await measure(
  big,
  [{ name: "dashboard, 100k trades, all time, uncached, months not yet decoded in this process", target: null, load: dashboard(big) }],
  {
    cached: false,
    store: "not decoded in this process",
  },
);
await measure(big, [{ name: "dashboard, 100k trades, all time, cached", target: 20, load: dashboard(big) }], { cached: true });
await measure(big, [{ name: "breakdowns, 100k trades, all time, uncached", target: 150, load: breakdowns(big) }], { cached: false });
await measure(small, [{ name: "dashboard, 1,000 trades, all time, uncached", target: 30, load: dashboard(small) }], { cached: false });
const NOVEMBER = parseAnalyticsFilters(new URLSearchParams("period=custom&from=2026-11-01&to=2026-11-30"));
await measure(big, [{ name: "dashboard, 100k trades, this month, uncached", target: null, load: dashboard(big, NOVEMBER) }], { cached: false });
// The same run, without the store: the trade rows as before it (ADR 014's design).
await measure(big, [{ name: "rows: dashboard, 100k trades, all time, uncached", target: null, load: dashboard(big, ALL, "rows") }], {
  cached: false,
  rounds: 10,
});
await measure(big, [{ name: "rows: breakdowns, 100k trades, all time, uncached", target: null, load: breakdowns(big, "rows") }], {
  cached: false,
  rounds: 10,
});
await measure(small, [{ name: "rows: dashboard, 1,000 trades, all time, uncached", target: null, load: dashboard(small, ALL, "rows") }], {
  cached: false,
});
await measure(big, [{ name: "dashboard, 100k trades, all time, uncached, latest month changed", target: null, load: dashboard(big) }], {
  cached: false,
  store: "latest month changed",
});
await measure(big, [{ name: "dashboard, 100k trades, all time, uncached, cold store", target: null, load: dashboard(big) }], {
  cached: false,
  store: "cold",
  rounds: 5,
});

console.log(JSON.stringify({ bench: "analytics", rounds: ROUNDS, results }, null, 2));
await owner.end();
await app.end();
await cluster.stop();
process.exit(results.every((r) => r.pass) ? 0 : 1);
