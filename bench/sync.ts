// MT5 sync figures (issue 6), against the real bridge on the simulator and a
// PostgreSQL cluster with durability on (as `npm start` runs it):
//  1. first sync of an account with 100 000 historical deals (mt5/scenarios/large.json) — target < 12 s (issue 16; issue 6 set 20 s);
//  2. catch-up of ~1 000 deals that arrived while nobody looked — target < 1 s of
//     work beyond the bridge's own latency;
//  3. the jobs process's CPU per light and per full sync;
//  4. capacity: how many online accounts 3 trade terminals keep on the 15 s
//     cadence, with and without broker grouping — the real cadence and
//     assignment code run in simulated time with the simulated login costs
//     (same-server login 1.5 s, server switch 5 s) and the sync costs measured in 3.
// The deal → toast latency is measured by bench/sync-latency.ts (it needs the app and a browser).
//
// `npm run bench sync` (`npx tsx bench/sync.ts`); BENCH_SYNC_FIRST_ONLY=1 runs only the first sync.
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { sealWith } from "../app/lib/credential-seal.server.ts";
import { generateCredentialKeyPair, loadCredentialKeyring } from "../jobs/credentials/credential-keys.ts";
import { systemClock } from "../jobs/clock.ts";
import { runSyncJob, type SyncJobContext, type SyncJobResult } from "../jobs/sync/run-sync-job.ts";
import { maxAccountsOnCadence } from "../jobs/sync/worker-assignment.ts";
import { Terminal } from "../jobs/terminals/terminal.ts";
import { REPO_ROOT, runBootstrap } from "../supabase/local/database.ts";
import { freePort } from "../supabase/local/free-port.ts";
import { startLocalPostgres } from "../supabase/local/postgres.ts";
import { migrate } from "../supabase/migrate.ts";
import { loadAverage, summary } from "./support/stats.ts";

const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const dataDir = path.join(REPO_ROOT, ".data/bench-sync");
await rm(dataDir, { recursive: true, force: true });
await mkdir(dataDir, { recursive: true });
const cluster = await startLocalPostgres({ dataDir: path.join(dataDir, "postgres"), port: await freePort() });
await runBootstrap(cluster.url);
await migrate(cluster.url);
const owner = new pg.Pool({ connectionString: cluster.url, max: 2 });
const pool = new pg.Pool({ connectionString: cluster.url.replace("//postgres:postgres@", "//authenticator:postgres@"), max: 4 });
const keyring = loadCredentialKeyring(generateCredentialKeyPair("bench").privateEntry);
// The cluster stops right after the pools end; a connection it terminates on the way is not a failure of the bench.
for (const p of [owner, pool])
  p.on("error", (error: Error & { code?: string }) => {
    if (error.code !== "57P01") throw error;
  });
const context: SyncJobContext = { pool, keyring, clock: systemClock, log: say };

const { rows: users } = await owner.query<{ id: string }>(
  `insert into auth.users (id, aud, role, email, created_at, updated_at)
   values (gen_random_uuid(), 'authenticated', 'authenticated', 'bench-sync@example.test', now(), now()) returning id`,
);
const userId = users[0]!.id;
await owner.query("update public.profiles set subscription_tier = 'elite' where id = $1", [userId]);

async function connect(login: number, server: string, password: string): Promise<string> {
  const { rows } = await owner.query<{ id: string }>(
    `insert into public.accounts (user_id, name, kind, mt5_server, mt5_login, server_time_zone, server_time_zone_confirmed)
     values ($1, $2, 'mt5', $3, $4, 'NY+7', true) returning id`,
    [userId, `Bench ${login}`, server, login],
  );
  const secret = sealWith(keyring.current, password, { context: rows[0]!.id });
  await owner.query("insert into public.account_credentials (account_id, user_id, password_ciphertext, key_id) values ($1, $2, $3, $4)", [
    rows[0]!.id,
    userId,
    Buffer.from(secret.ciphertext),
    secret.keyId,
  ]);
  return rows[0]!.id;
}

function terminal(id: string, env: Record<string, string>): Terminal {
  return new Terminal({
    id,
    kind: "trade",
    bridge: {
      python: process.env.PYTHON ?? "python3",
      env: { RAWJOURNAL_MT5_MODULE: "simulator", RAWJOURNAL_SIM_LATENCY_SCALE: "0", ...env },
      defaultTimeoutMs: 300_000,
    },
    clock: systemClock,
    loginTimeoutMs: 30_000,
    log: () => {},
  });
}

interface Timed {
  result: SyncJobResult;
  wallMs: number;
  cpuMs: number;
}

async function timedSync(t: Terminal, accountId: string, kind: "history" | "full" | "light"): Promise<Timed> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await runSyncJob(context, t, { accountId, kind, reason: "bench" });
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (result.status !== "synced") throw new Error(`sync did not run: ${JSON.stringify(result)}`);
  return { result, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

const round = (ms: number) => Math.round(ms);
const report: Record<string, unknown> = { load: loadAverage() };

// 1. First sync of 100 000 deals.
{
  const t = terminal("bench-large", { RAWJOURNAL_SIM_SCENARIO: "large" });
  const accountId = await connect(50200200, "RawBroker-Demo", "bench-investor");
  // The terminal starts before the clock: starting Python is not the sync's cost.
  await t.run("warm-up", null, async (bridge) => bridge.request("ping", {}));
  say("first sync of 100 000 deals…");
  const first = await timedSync(t, accountId, "history");
  const { rows } = await owner.query<{ trades: number; legs: number; cash: number }>(
    `select (select count(*)::int from public.trades where account_id = $1) as trades,
            (select count(*)::int from public.trade_leg_rows l join public.trades t on t.id = l.trade_id where t.account_id = $1) as legs,
            (select count(*)::int from public.cash_movements where account_id = $1) as cash`,
    [accountId],
  );
  const outcome = first.result.status === "synced" ? first.result.outcome : null;
  const again = await timedSync(t, accountId, "full");
  report.firstSync100k = {
    wallMs: round(first.wallMs),
    bridgeMs: round(outcome?.bridgeMs ?? 0),
    oursMs: round(first.wallMs - (outcome?.bridgeMs ?? 0)),
    jobsCpuMs: round(first.cpuMs),
    deals: outcome && "newDeals" in outcome ? outcome.newDeals : null,
    stored: rows[0],
    nextFullSyncWithNothingNewMs: round(again.wallMs),
    target: "< 12 000 ms (issue 16)",
  };
  await t.stop();
}

// 2. Catch-up: ~1 000 deals arrive while the user is away, then one full sync.
// BENCH_SYNC_FIRST_ONLY=1 stops after the first sync (a before/after comparison of the store).
if (process.env.BENCH_SYNC_FIRST_ONLY !== "1") {
  const clockFile = path.join(dataDir, "clock");
  await writeFile(clockFile, "0");
  const scenario = path.join(dataDir, "catch-up.json");
  await writeFile(
    scenario,
    JSON.stringify({
      name: "catch-up",
      start: "2026-03-04T10:00:00Z",
      speed: 1,
      latency_ms: { initialize: 0, same_server: 0, switch_server: 0 },
      servers: { "RawBroker-Demo": { zone: "NY+7" } },
      symbols: ["EURUSD", "GBPUSD", "USDJPY", "XAUUSD"],
      accounts: [
        {
          login: 50300300,
          server: "RawBroker-Demo",
          investor_password: "catch-up",
          currency: "USD",
          margin_mode: "hedging",
          ticket_base: 70000000,
          commission_per_lot: -3.5,
          generator: {
            seed: 11,
            max_open: 6,
            symbols: ["EURUSD", "GBPUSD", "USDJPY", "XAUUSD"],
            history: { from: "-30d", deals: 2000 },
            live: { interval: [1, 1.5] },
          },
        },
      ],
    }),
  );
  const t = terminal("bench-catch-up", { RAWJOURNAL_SIM_SCENARIO: scenario, RAWJOURNAL_SIM_CLOCK_FILE: clockFile });
  const accountId = await connect(50300300, "RawBroker-Demo", "catch-up");
  await timedSync(t, accountId, "history");
  // 1 250 simulated seconds at one event every 1–1.5 s: about a thousand new deals.
  await writeFile(clockFile, "1250");
  const caught = await timedSync(t, accountId, "full");
  const outcome = caught.result.status === "synced" ? caught.result.outcome : null;
  const newDeals = outcome && "newDeals" in outcome ? outcome.newDeals : 0;
  report.catchUp = {
    newDeals,
    wallMs: round(caught.wallMs),
    bridgeMs: round(outcome?.bridgeMs ?? 0),
    beyondBridgeMs: round(caught.wallMs - (outcome?.bridgeMs ?? 0)),
    closedTrades: outcome && "saved" in outcome && "closed" in outcome.saved ? outcome.saved.closed.length : null,
    target: "< 1 000 ms beyond the bridge",
  };

  // 3. Per-sync cost of the steady state on the same account.
  const light: Timed[] = [];
  for (let i = 0; i < 200; i++) light.push(await timedSync(t, accountId, "light"));
  const full: Timed[] = [];
  for (let i = 0; i < 50; i++) full.push(await timedSync(t, accountId, "full"));
  report.perSync = {
    light: { wallMs: summary(light.map((x) => x.wallMs)), jobsCpuMs: summary(light.map((x) => x.cpuMs)) },
    fullWithNothingNew: { wallMs: summary(full.map((x) => x.wallMs)), jobsCpuMs: summary(full.map((x) => x.cpuMs)) },
  };
  await t.stop();

  // 4. Capacity with simulated login costs and these measured sync costs.
  const costs = {
    alreadyLoggedInMs: 0,
    sameServerLoginMs: 1_500,
    serverSwitchLoginMs: 5_000,
    lightSyncMs: summary(light.map((x) => x.wallMs)).p95,
    fullSyncMs: summary(full.map((x) => x.wallMs)).p95,
  };
  const capacity: Record<string, unknown> = { costs };
  for (const servers of [1, 3, 10]) {
    const grouped = maxAccountsOnCadence({ servers, grouping: true, tradeWorkers: 3, costs, durationMs: 30 * 60_000 }, 200);
    const ungrouped = maxAccountsOnCadence({ servers, grouping: false, tradeWorkers: 3, costs, durationMs: 30 * 60_000 }, 200);
    capacity[`${servers} server${servers > 1 ? "s" : ""}`] = {
      grouped: grouped.accounts,
      ungrouped: ungrouped.accounts,
      switchesPerHourAtGroupedCapacity: grouped.result ? grouped.result.logins.server_switch * 2 : null,
    };
  }
  report.capacity3Workers = capacity;
}

console.log(JSON.stringify(report, null, 2));
await owner.end();
await pool.end();
await cluster.stop();
