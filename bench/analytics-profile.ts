// Diagnostic, not a figure of the product: uncached all-time loads at
// 100,000 trades (the data of bench/analytics.ts): the store's column read
// alone ("after") and the whole dashboard ("afterDash"), alternated ABBA in
// one process, with Node's CPU and GC pauses a load. LOADS=40
// VARIANTS=afterDash; run it under
// `npx tsx --cpu-prof` or `--trace-gc` to see where the time goes. The
// product's figures are bench/analytics.ts.
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { withRlsTransaction } from "../app/lib/db.server.ts";
import { loadDashboardStats } from "../app/models/analytics/views.server.ts";
import { parseAnalyticsFilters } from "../app/schemas/analytics-filters.ts";
import { REPO_ROOT, runBootstrap } from "../supabase/local/database.ts";
import { startLocalPostgres } from "../supabase/local/postgres.ts";
import { migrate } from "../supabase/migrate.ts";

const LOADS = Number(process.env.LOADS ?? 40);
const dataDir = path.join(REPO_ROOT, ".data/bench-analytics-profile");
await rm(dataDir, { recursive: true, force: true });
const cluster = await startLocalPostgres({ dataDir, port: 54391, fast: true });
await runBootstrap(cluster.url);
await migrate(cluster.url);
const owner = new pg.Pool({ connectionString: cluster.url, max: 2 });
const app = new pg.Pool({ connectionString: cluster.url.replace("//postgres:postgres@", "//authenticator:postgres@"), max: 2 });
for (const pool of [owner, app]) pool.on("error", () => {});
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
const count = 100_000;
await owner.query(
  `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at, volume, closed_volume,
                              entry_price, exit_price, initial_stop_loss, gross_profit, commission, swap)
   select $1, $2, g::text, (array['EURUSD','GBPUSD','XAUUSD','USDJPY','US30','BTCUSD'])[1 + g % 6],
          case when g % 3 = 0 then 'sell' else 'buy' end, 'closed',
          t0 - interval '3 hours', t0, 1, 1, 1.1000, case when g % 3 = 0 then 1.0990 else 1.1010 end,
          case when g % 5 = 0 then null else (case when g % 3 = 0 then 1.1020 else 1.0980 end) end,
          round(((hashint4(g) % 20000) / 100.0)::numeric, 2), -7, round(((hashint4(g * 7) % 300) / 100.0)::numeric, 2)
     from (select g, timestamptz '2021-12-01' + (g::double precision / $3) * interval '1825 days' as t0 from generate_series(1, $3) g) s`,
  [id, rows[0].id, count],
);
await owner.query(
  `insert into public.cash_movements (user_id, account_id, kind, amount, occurred_at, deal_id)
   select $1, $2, 'deposit', 500, timestamptz '2021-12-15' + m * interval '1 month', 'd' || m from generate_series(0, 59) m`,
  [id, rows[0].id],
);
await owner.query("analyze");
const NOW = new Date("2026-12-06T12:00:00Z");
const ALL = parseAnalyticsFilters(new URLSearchParams("period=all"));
const claims = { role: "authenticated", sub: id, session_id: randomUUID() };
import * as after from "../app/models/analytics/store.server.ts";
import { loadAnalyticsScope } from "../app/models/analytics/scope.server.ts";
const all = { after, afterDash: after } as const;
const variants = Object.fromEntries(Object.entries(all).filter(([name]) => !process.env.VARIANTS || process.env.VARIANTS.split(",").includes(name)));
const totals: Record<string, number[]> = {};
const gcs: Record<string, number> = {};
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ["gc"] });
for (let round = 0; round < LOADS + 5; round++) {
  const order = Object.entries(variants);
  if (round % 2) order.reverse(); // ABBA: whatever one load leaves to the next falls on each in turn
  for (const [name, store] of order) {
    const gcBefore = gcMs;
    await owner.query("update public.analytics_data_versions set version = version + 1 where user_id = $1", [id]);
    const cpu = process.cpuUsage();
    const started = performance.now();
    await withRlsTransaction(app, claims, async (db) => {
      if (name.endsWith("Dash")) return loadDashboardStats(db, id, ALL, NOW);
      const scope = await loadAnalyticsScope(db, id, ALL);
      const input = await store.loadAnalyticsColumns(db, scope, ALL, { from: null, to: NOW });
      return input;
    });
    const used = process.cpuUsage(cpu);
    await new Promise((resolve) => setImmediate(resolve));
    if (round >= 5) {
      (totals[name] ??= []).push((used.user + used.system) / 1000, performance.now() - started);
      gcs[name] = (gcs[name] ?? 0) + (gcMs - gcBefore) / LOADS;
    }
  }
}
for (const [name, values] of Object.entries(totals)) {
  const cpu = values.filter((_, i) => i % 2 === 0).sort((a, b) => a - b);
  const wall = values.filter((_, i) => i % 2 === 1).sort((a, b) => a - b);
  console.error(
    `${name}: node CPU p50 ${cpu[cpu.length >> 1]!.toFixed(1)} mean ${(cpu.reduce((a, b) => a + b) / cpu.length).toFixed(1)}; wall p50 ${wall[wall.length >> 1]!.toFixed(1)} p95 ${wall[Math.floor(wall.length * 0.95)]!.toFixed(1)}; GC pauses ${gcs[name]!.toFixed(1)} ms a load`,
  );
}
console.error(
  JSON.stringify(
    (
      await owner.query(
        "select cache_key, pg_column_size(payload) as stored, length(payload::text) as chars from public.analytics_cache where user_id = $1",
        [id],
      )
    ).rows,
  ),
);
await owner.end();
await app.end();
await cluster.stop();
process.exit(0);
