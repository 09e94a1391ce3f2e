// MAE/MFE backfill (issue 14 item 5): 10,000 imported trades measured end to
// end — pending trades read, M1 bars asked of the market data terminal (the
// real bridge on the MT5 simulator), excursions computed and stored — against
// a PostgreSQL cluster with durability on. Target < 60 s. Meanwhile a trade
// terminal runs light syncs of another account back to back in the same
// process (as the jobs process shares its thread), and their p95 is compared
// with a baseline of light syncs measured just before, in the same run.
//
// Trades: 12 months (Dec 2025 – Nov 2026) of weekdays on six symbols, entry
// times uniform, durations log-uniform from 1 minute to 6 hours (median ~19
// min, mean ~61 min: a 10,000-trade account trades short), seeded so every run
// measures the same trades.
//
// `npm run bench trade-excursions` (`npx tsx bench/trade-excursions.ts`).
import { readFileSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { sealWith } from "../app/lib/credential-seal.server.ts";
import { generateCredentialKeyPair, loadCredentialKeyring } from "../jobs/credentials/credential-keys.ts";
import { systemClock } from "../jobs/clock.ts";
import { measureAccount } from "../jobs/excursions/measure-account.ts";
import { runSyncJob, type SyncJobContext } from "../jobs/sync/run-sync-job.ts";
import { Terminal } from "../jobs/terminals/terminal.ts";
import { REPO_ROOT, runBootstrap } from "../supabase/local/database.ts";
import { freePort } from "../supabase/local/free-port.ts";
import { startLocalPostgres } from "../supabase/local/postgres.ts";
import { migrate } from "../supabase/migrate.ts";
import { loadAverage, summary } from "./support/stats.ts";

// BENCH_TRADES only to try the bench quickly; the recorded figures use 10,000.
const TRADES = Number(process.env.BENCH_TRADES ?? 10_000);
const SIM_NOW = "2026-12-01T12:00:00Z";
const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const dataDir = path.join(REPO_ROOT, ".data/bench-trade-excursions");
await rm(dataDir, { recursive: true, force: true });
await mkdir(dataDir, { recursive: true });
const cluster = await startLocalPostgres({ dataDir: path.join(dataDir, "postgres"), port: await freePort() });
await runBootstrap(cluster.url);
await migrate(cluster.url);
const owner = new pg.Pool({ connectionString: cluster.url, max: 2 });
const pool = new pg.Pool({ connectionString: cluster.url.replace("//postgres:postgres@", "//authenticator:postgres@"), max: 6 });
for (const p of [owner, pool])
  p.on("error", (error: Error & { code?: string }) => {
    if (error.code !== "57P01") throw error;
  });
const keyring = loadCredentialKeyring(generateCredentialKeyPair("bench").privateEntry);

const { rows: users } = await owner.query<{ id: string }>(
  `insert into auth.users (id, aud, role, email, created_at, updated_at)
   values (gen_random_uuid(), 'authenticated', 'authenticated', 'bench-excursions@example.test', now(), now()) returning id`,
);
const userId = users[0]!.id;
await owner.query("update public.profiles set subscription_tier = 'elite' where id = $1", [userId]);

// The imported account and its trades.
const { rows: imported } = await owner.query<{ id: string }>(
  "insert into public.accounts (user_id, name, kind, currency) values ($1, 'Imported', 'manual', 'USD') returning id",
  [userId],
);
const importedAccount = imported[0]!.id;
const SYMBOLS: [string, number, number][] = [
  // symbol, price, pip
  ["EURUSD", 1.08, 0.0001],
  ["GBPUSD", 1.27, 0.0001],
  ["USDJPY", 150, 0.01],
  ["GBPJPY", 190, 0.01],
  ["XAUUSD", 2300, 0.1],
  ["US30", 39000, 1],
];
let seed = 20261207;
const random = () => {
  // mulberry32: the same trades every run.
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const from = Date.parse("2025-12-01T00:00:00Z");
const to = Date.parse("2026-11-30T00:00:00Z");
const rows: object[] = [];
let totalMinutes = 0;
while (rows.length < TRADES) {
  const opened = from + Math.floor(random() * (to - from));
  const day = new Date(opened).getUTCDay();
  if (day === 0 || day === 6 || (day === 5 && new Date(opened).getUTCHours() >= 21)) continue;
  const minutes = Math.exp(random() * Math.log(360));
  totalMinutes += minutes;
  const [symbol, price, pip] = SYMBOLS[Math.floor(random() * SYMBOLS.length)]!;
  const buy = random() < 0.5;
  const move = Math.round((random() - 0.45) * 40) * pip;
  const decimals = pip < 1 ? Math.round(-Math.log10(pip)) + 1 : 0;
  rows.push({
    position_id: `b${rows.length}`,
    symbol,
    direction: buy ? "buy" : "sell",
    opened_at: new Date(opened).toISOString(),
    closed_at: new Date(opened + Math.round(minutes * 60_000)).toISOString(),
    entry_price: price.toFixed(decimals),
    exit_price: (price + (buy ? move : -move)).toFixed(decimals),
    gross_profit: ((move / pip) * 10).toFixed(2),
    initial_stop_loss: random() < 0.7 ? (price - (buy ? 20 : -20) * pip).toFixed(decimals) : null,
  });
}
await owner.query(
  `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at, volume, closed_volume,
     entry_price, exit_price, gross_profit, initial_stop_loss, source)
   select $1, $2, r.position_id, r.symbol, r.direction, 'closed', r.opened_at, r.closed_at, 1, 1, r.entry_price, r.exit_price,
          r.gross_profit, r.initial_stop_loss, 'file'
     from jsonb_to_recordset($3::jsonb) as r(position_id text, symbol text, direction text, opened_at timestamptz, closed_at timestamptz,
          entry_price numeric, exit_price numeric, gross_profit numeric, initial_stop_loss numeric)`,
  [userId, importedAccount, JSON.stringify(rows)],
);
await owner.query("analyze public.trades");
say(`${TRADES} trades stored (${Math.round(totalMinutes).toLocaleString("en-US")} trade-minutes)`);

// A synced account on another terminal, for the light sync cadence.
const { rows: synced } = await owner.query<{ id: string }>(
  `insert into public.accounts (user_id, name, kind, mt5_server, mt5_login, server_time_zone, server_time_zone_confirmed)
   values ($1, 'Synced', 'mt5', 'RawBroker-Demo', 51000001, 'NY+7', true) returning id`,
  [userId],
);
const syncedAccount = synced[0]!.id;
const secret = sealWith(keyring.current, "inv-51000001!", { context: syncedAccount });
await owner.query("insert into public.account_credentials (account_id, user_id, password_ciphertext, key_id) values ($1, $2, $3, $4)", [
  syncedAccount,
  userId,
  Buffer.from(secret.ciphertext),
  secret.keyId,
]);

const simulator = {
  RAWJOURNAL_MT5_MODULE: "simulator",
  RAWJOURNAL_SIM_SCENARIO: "default",
  RAWJOURNAL_SIM_LATENCY_SCALE: "0",
  RAWJOURNAL_SIM_START: SIM_NOW,
  RAWJOURNAL_SIM_SPEED: "0",
};
const terminal = (id: string, kind: "trade" | "market_data") =>
  new Terminal({
    id,
    kind,
    bridge: { python: process.env.PYTHON ?? "python3", env: simulator, defaultTimeoutMs: 300_000 },
    clock: systemClock,
    loginTimeoutMs: 30_000,
    log: () => {},
  });
const trade = terminal("bench-trade", "trade");
const marketData = terminal("bench-market-data", "market_data");
await marketData.run("warm-up", null, async (bridge) => bridge.request("ping", {}));
const syncContext: SyncJobContext = { pool, keyring, clock: systemClock, log: say };
const sync = async (kind: "history" | "light") => {
  const started = performance.now();
  const result = await runSyncJob(syncContext, trade, { accountId: syncedAccount, kind, reason: "bench" });
  if (result.status !== "synced") throw new Error(`sync did not run: ${JSON.stringify(result)}`);
  return performance.now() - started;
};
await sync("history");

// Light syncs back to back, a few ms apart, until told to stop.
const lightSyncs = async (until: () => boolean, minimum: number): Promise<number[]> => {
  const times: number[] = [];
  while (times.length < minimum || !until()) {
    times.push(await sync("light"));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return times;
};

// CPU seconds a process has used (utime + stime from /proc, 100 ticks a second): the figures the machine's load does not
// inflate, so a run on a busy machine still says what the backfill costs.
const processCpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const bridgePid = await marketData.run("pid", null, async (bridge) => bridge.pid!);
const bridgeCpuBefore = processCpuMs(bridgePid);

const baseline = await lightSyncs(() => true, 100);
say(`baseline light sync p95 ${summary(baseline).p95} ms; backfilling…`);
let done = false;
const during = lightSyncs(() => done, 20);
const started = performance.now();
const cpu = process.cpuUsage();
const result = await measureAccount(
  {
    pool,
    terminal: marketData,
    account: { server: "RawBroker-Live", login: "52000001", password: "inv-52000001!", serverTimeZone: null },
    clock: systemClock,
    log: say,
  },
  importedAccount,
);
const backfillMs = performance.now() - started;
const used = process.cpuUsage(cpu);
const bridgeCpuMs = processCpuMs(bridgePid) - bridgeCpuBefore;
done = true;
const duringBackfill = await during;
const { rows: stored } = await owner.query<{ status: string; timeframe: string | null; n: number }>(
  "select status, timeframe, count(*)::int as n from public.trade_excursions group by status, timeframe order by 1, 2",
);

const report = {
  load: loadAverage(),
  trades: TRADES,
  backfill: {
    wallMs: Math.round(backfillMs),
    // The jobs process also ran the light syncs meanwhile; the bridge served only the backfill.
    jobsProcessCpuMs: Math.round((used.user + used.system) / 1000),
    marketDataBridgeCpuMs: bridgeCpuMs,
    ...result,
    stored,
    target: "< 60 000 ms",
  },
  lightSyncMs: {
    baseline: summary(baseline),
    duringBackfill: summary(duringBackfill),
    p95Ratio: Math.round((summary(duringBackfill).p95 / summary(baseline).p95) * 100) / 100,
  },
};
console.log(JSON.stringify(report, null, 2));
await trade.stop();
await marketData.stop();
await owner.end();
await pool.end();
await cluster.stop();
