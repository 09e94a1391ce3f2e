// Load test (issue 19): the whole stack on this machine under signed-in
// traders, on loopback.
//
// The stack, as `npm start` runs it: PostgreSQL (durable), the local Supabase
// (in this process, as in `npm start`'s), the built app on scripts/serve.ts,
// and the jobs process (`jobs/index.ts`, its own process) driving 3 trade
// terminals and the market data terminal on the MT5 simulator
// (the Python bridge, one process per terminal).
//
// The scenario (the first stage, 20 users by default): each user is an Elite
// trader with 5,000 closed trades over a year (seeded in SQL, broker digits)
// and one MT5 account on the simulator that trades every 20-40 s. A process of
// its own (bench/load-test/virtual-users.ts) signs each user in through the
// login form, keeps a tab's Realtime connection — the presence that makes the
// jobs process sync the account on the 15 s cadence — and browses: dashboard,
// trade list, a trade, analytics, with 1-3 s between clicks (busier than a
// person), and every 2nd round imports a small real MT5 report (8 trades,
// ../shared/fixtures/real/public/vantage-en), looks at the result and undoes
// it. Halfway through, 50 reads at once. Each click makes the requests a
// browser makes (BENCH_NAVIGATION, bench/load-test/client-round.ts): "client"
// (the default) as Chromium browses this app — the session's first page and
// every BENCH_RELOAD_EVERY-th round (4) a document, every other click the
// page's `.data` (plus the sidebar's prefetch, route-manifest lookups of new
// paths, the screenshots fetcher, the import's progress polls), forms posted
// to `.data`; "document" as this bench browsed before — a full
// server-rendered document per click. "client,document" runs each stage in
// both, one after the other. Answers are compressed as a browser asks.
//
// Rate limits: every user here comes from 127.0.0.1, so the per-address rules
// of public.rate_limit_rules (sign-in, actions, uploads) would count 20
// traders as one; those rows are lifted for this run, as bench/billing.ts lifts
// the webhook one. The per-user rules stay as migrated and the scenario stays
// under them (a 429 counts as an error).
//
// Targets (the product plan), per stage: reads p95 < 200 ms, writes p95 < 500
// ms, zero errors, no MT5 sync falling behind its cadence (every attempt's
// start as the jobs process records it in account_sync_state, against 15 s
// after the one before: none a whole slot late, 95 % within 3 s), and
// the stack's memory < 2 GB: the largest sum over the stage of the PSS of
// PostgreSQL, the app, the jobs process, the simulator bridges and this
// process, which holds the local Supabase. PSS, not RSS, is judged: every
// PostgreSQL backend's RSS counts the shared buffers it has touched again, so
// the RSS sum (printed beside it) counts the same pages many times over; PSS
// shares each page out among its users, so the sum is the memory used.
//
// Then the ramp (BENCH_USERS, default 20,40,60,80): more users until a stage
// misses a target; each stage reports CPU per process (/proc), the machine's
// CPU, database connections per process (pg_stat_activity by
// application_name), event-loop lag of the app, the jobs process and the
// local Supabase, and sync lag — what saturated first.
//
// `npm run bench load-test` (`npx tsx bench/load-test.ts`). BENCH_USERS (stages),
// BENCH_STAGE_SECONDS (180), BENCH_TRADES (5000 per user), BENCH_RAMP_PAST_MISS=1
// (run every stage even after a miss), BENCH_NAVIGATION (client, document or
// both: client,document), BENCH_RELOAD_EVERY (4). Exits non-zero when
// the first stage misses a target.
import { fork, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { readdir, readFile, rm, mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { execa } from "execa";
import pg from "pg";
import { parseEncryptionKeys } from "../app/lib/credential-crypto.server.ts";
import { REPO_ROOT } from "../supabase/local/database.ts";
import { machineCpu, pssMb, sampleGroups, type ProcessGroup } from "./load-test/process-stats.ts";
import { loadTestScenario, SIM_SERVER, seedUser, simLogin, simPassword, USER_PASSWORD, type SeededUser } from "./load-test/seed.ts";
import type { Navigation } from "./load-test/client-round.ts";
import type { ChildMessage, ParentMessage, RequestRecord, VirtualUsersConfig } from "./load-test/virtual-users.ts";
import { startBenchStack } from "./support/app-stack.ts";
import { loadAverage, summary } from "./support/stats.ts";

const STAGES = (process.env.BENCH_USERS ?? "20,40,60,80").split(",").map(Number);
const STAGE_SECONDS = Number(process.env.BENCH_STAGE_SECONDS ?? 180);
const TRADES = Number(process.env.BENCH_TRADES ?? 5000);
/** Run every stage even after one misses a target (to see how the figures grow). */
const RAMP_PAST_MISS = process.env.BENCH_RAMP_PAST_MISS === "1";
/** How the traders' browsers navigate; several (comma-separated) run each stage once per mode. */
const NAVIGATIONS = (process.env.BENCH_NAVIGATION ?? "client").split(",").map((mode) => {
  if (mode !== "client" && mode !== "document") throw new Error(`BENCH_NAVIGATION: "${mode}" is neither client nor document`);
  return mode as Navigation;
});
/** In client mode, every this many rounds a trader reloads (a document) instead of clicking the dashboard. */
const RELOAD_EVERY = Number(process.env.BENCH_RELOAD_EVERY ?? 4);
const THINK_MS: [number, number] = [1000, 3000];
/** The request each click is named after (client-round.ts), in either navigation mode. */
const CLICK_NAMES = new Set([
  "dashboard",
  "trade list",
  "trade detail",
  "analytics",
  "import page",
  "import upload",
  "import confirm",
  "undo confirm",
  "import undo",
]);
const IMPORT_EVERY = 2;
const BURST = 50;
const CADENCE_MS = 15_000;
const TARGETS = { readP95Ms: 200, writeP95Ms: 500, errors: 0, memoryMb: 2048, syncLagMaxMs: CADENCE_MS };
const IMPORT_FILE = path.resolve(REPO_ROOT, "../shared/fixtures/real/public/vantage-en/ReportHistory-25858699.xlsx");

const say = (line: string) => process.stderr.write(`[load-test] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const maxUsers = Math.max(...STAGES);
const loadAtStart = loadAverage();

// Connections are told apart in pg_stat_activity by application_name (node-postgres reads PGAPPNAME):
// this process's pools are the local Supabase's; the bench's own clients name themselves.
process.env.PGAPPNAME = "supabase";
const probeBase = path.join(REPO_ROOT, ".data/bench-load-test-probes/loop");
await rm(path.dirname(probeBase), { recursive: true, force: true });
await mkdir(path.dirname(probeBase), { recursive: true });
const probe = pathToFileURL(path.join(REPO_ROOT, "bench/load-test/event-loop-probe.ts")).href;
const encryptionKeys = `legacy:${randomBytes(32).toString("base64")}`;
const keyring = parseEncryptionKeys(encryptionKeys);
// ADR 021's key pair too (the web seals with the public key, the jobs open with the private one): passwords are
// seeded in ADR 010's format, which the jobs process reads with ENCRYPTION_KEYS under either scheme.
const pair = generateKeyPairSync("x25519").privateKey.export({ format: "jwk" });
const rawKey = (jwk: string | undefined) => `sealed:${Buffer.from(jwk!, "base64url").toString("base64")}`;
const credentialKeys = { CREDENTIALS_PUBLIC_KEYS: rawKey(pair.x), CREDENTIALS_PRIVATE_KEYS: rawKey(pair.d) };

say("starting PostgreSQL, the local Supabase and the app (building it)…");
const stack = await startBenchStack("load-test", {
  env: {
    ENCRYPTION_KEYS: encryptionKeys,
    CREDENTIALS_PUBLIC_KEYS: credentialKeys.CREDENTIALS_PUBLIC_KEYS,
    PGAPPNAME: "app",
    NODE_OPTIONS: `--import ${probe}`,
    LOADTEST_PROBE_FILE: probeBase,
  },
});
const owner = new pg.Client({ connectionString: stack.databaseUrl, application_name: "bench" });
await owner.connect();

// Every user of every stage has an account in the simulator from the start (its bridges read the scenario once).
const scenarioFile = path.join(stack.dataDir, "load-test-scenario.json");
await writeFile(scenarioFile, JSON.stringify(loadTestScenario(maxUsers)));

await owner.query(
  `update public.rate_limit_rules set max_hits = 1000000
    where name in ('sign-in-address', 'sign-up-address', 'action-address', 'upload-address', 'export-address', 'password-change-address', 'email-address')`,
);

say("starting the jobs process and the simulator's terminals…");
const jobs = execa(process.execPath, ["--import", "tsx", "--import", probe, "jobs/index.ts"], {
  cwd: REPO_ROOT,
  env: {
    NODE_ENV: "production",
    PGAPPNAME: "jobs",
    LOADTEST_PROBE_FILE: probeBase,
    DATABASE_URL: stack.databaseUrl,
    APP_DATABASE_URL: stack.appDatabaseUrl,
    SUPABASE_URL: stack.supabaseUrl,
    SUPABASE_SERVICE_ROLE_KEY: stack.keys.serviceRoleKey,
    ENCRYPTION_KEYS: encryptionKeys,
    ...credentialKeys,
    RAWJOURNAL_MT5_MODULE: "simulator",
    RAWJOURNAL_SIM_SCENARIO: scenarioFile,
    RAWJOURNAL_SIM_STATE_FILE: path.join(stack.dataDir, "sim-state.json"),
    MARKET_DATA_SERVER: SIM_SERVER,
    MARKET_DATA_LOGIN: String(simLogin(0)),
    MARKET_DATA_PASSWORD: simPassword(0),
    BACKUPS_ENABLED: "0",
  },
  stdout: "ignore",
  stderr: "inherit",
  reject: false,
});

let stopping = false;
void jobs.then((result) => {
  if (stopping) return;
  say(`the jobs process stopped (exit ${result.exitCode}); the load test cannot go on`);
  process.exit(1);
});

const postmasterPid = Number((await readFile(path.join(stack.dataDir, "postgres", "postmaster.pid"), "utf8")).split("\n")[0]);
const stackGroups: ProcessGroup[] = [
  { name: "postgres", pid: postmasterPid, members: "tree", withReapedChildren: true },
  // "tree": with WEB_CONCURRENCY > 1 the app is a cluster primary and its workers (docs/decisions/022).
  { name: "app", pid: stack.serverPid, members: "tree" },
  { name: "jobs", pid: jobs.pid!, members: "root" },
  { name: "mt5 simulator (bridges)", pid: jobs.pid!, members: "descendants" },
  { name: "local supabase (+ bench)", pid: process.pid, members: "root" },
];

// ── stages ──────────────────────────────────────────────────────────────────

interface Sampling {
  stop(): Promise<StageResources>;
}

interface StageResources {
  seconds: number;
  memory: {
    maxTotalPssMb: number;
    maxPssMbByProcess: Record<string, number>;
    maxTotalRssMb: number;
    maxRssMbByProcess: Record<string, number>;
    processes: Record<string, number>;
  };
  cpuPercentOfOneCore: Record<string, number>;
  machine: { cpuBusyPercent: number; stackShareOfMachinePercent: number; load: string };
  dbConnections: Record<string, { max: number; maxActive: number }>;
  eventLoopLagMs: Record<string, { p99Max: number; max: number }>;
}

function startSampling(loadGenPid: number): Sampling {
  const groups = [...stackGroups, { name: "load generator (not the stack)", pid: loadGenPid, members: "tree" as const }];
  const started = Date.now();
  const maxRss: Record<string, number> = {};
  const maxPss: Record<string, number> = {};
  const processes: Record<string, number> = {};
  let maxTotalRss = 0;
  let maxTotalPss = 0;
  const connections: Record<string, { max: number; maxActive: number }> = {};
  let first: Awaited<ReturnType<typeof sampleGroups>> | null = null;
  let last: Awaited<ReturnType<typeof sampleGroups>> | null = null;
  let stopped = false;
  const supabaseLoop = monitorEventLoopDelay({ resolution: 10 });
  supabaseLoop.enable();
  const machineBefore = machineCpu();
  const loop = (async () => {
    for (let tick = 0; !stopped; tick++) {
      const sample = await sampleGroups(groups);
      first ??= sample;
      last = sample;
      let total = 0;
      for (const group of stackGroups) {
        const s = sample[group.name]!;
        total += s.rssMb;
        maxRss[group.name] = Math.max(maxRss[group.name] ?? 0, s.rssMb);
        processes[group.name] = Math.max(processes[group.name] ?? 0, s.processes);
      }
      maxTotalRss = Math.max(maxTotalRss, total);
      let totalPss = 0;
      for (const group of stackGroups) {
        const pss = await pssMb(sample[group.name]!.pids);
        totalPss += pss;
        maxPss[group.name] = Math.max(maxPss[group.name] ?? 0, pss);
      }
      maxTotalPss = Math.max(maxTotalPss, totalPss);
      const { rows } = await owner.query<{ name: string; total: number; active: number }>(
        `select coalesce(nullif(application_name, ''), usename) as name, count(*)::int as total,
                count(*) filter (where state = 'active')::int as active
           from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid() group by 1`,
      );
      for (const row of rows) {
        const c = (connections[row.name] ??= { max: 0, maxActive: 0 });
        c.max = Math.max(c.max, row.total);
        c.maxActive = Math.max(c.maxActive, row.active);
      }
      await sleep(1000);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      supabaseLoop.disable();
      const seconds = (Date.now() - started) / 1000;
      const before = await machineBefore;
      const after = await machineCpu();
      const cpu: Record<string, number> = {};
      let stackSeconds = 0;
      for (const group of groups) {
        const used = last![group.name]!.cpuSeconds - first![group.name]!.cpuSeconds;
        cpu[group.name] = Math.round((used / seconds) * 100);
        if (stackGroups.some((g) => g.name === group.name)) stackSeconds += used;
      }
      const machineSeconds = (after.total - before.total) / 100 / os.cpus().length;
      return {
        seconds: Math.round(seconds),
        memory: {
          maxTotalPssMb: Math.round(maxTotalPss),
          maxPssMbByProcess: maxPss,
          maxTotalRssMb: Math.round(maxTotalRss),
          maxRssMbByProcess: maxRss,
          processes,
        },
        cpuPercentOfOneCore: cpu,
        machine: {
          cpuBusyPercent: Math.round(((after.busy - before.busy) / (after.total - before.total)) * 100),
          stackShareOfMachinePercent: Math.round((stackSeconds / (machineSeconds * os.cpus().length)) * 100),
          load: loadAverage(),
        },
        dbConnections: connections,
        eventLoopLagMs: {
          ...(await probeLag(started)),
          "local supabase (+ bench)": {
            p99Max: Math.max(0, Math.round(supabaseLoop.percentile(99) / 1e6 - 10)),
            max: Math.max(0, Math.round(supabaseLoop.max / 1e6 - 10)),
          },
        },
      };
    },
  };
}

/** The app's and the jobs process's event-loop lag since `since`, from their probes' per-second lines. */
async function probeLag(since: number): Promise<Record<string, { p99Max: number; max: number }>> {
  const out: Record<string, { p99Max: number; max: number }> = {};
  const dir = path.dirname(probeBase);
  for (const file of await readdir(dir)) {
    const pid = Number(file.split(".").pop());
    // An app cluster's workers (WEB_CONCURRENCY > 1) each report under their own name.
    const parent = await readFile(`/proc/${pid}/stat`, "utf8").then(
      (stat) => Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]),
      () => 0,
    );
    const name = pid === stack.serverPid ? "app" : parent === stack.serverPid ? `app worker ${pid}` : pid === jobs.pid ? "jobs" : null;
    if (!name) continue;
    const lines = (await readFile(path.join(dir, file), "utf8"))
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { at: number; p99: number; max: number })
      .filter((line) => line.at >= since);
    out[name] = { p99Max: Math.round(Math.max(0, ...lines.map((l) => l.p99))), max: Math.round(Math.max(0, ...lines.map((l) => l.max))) };
  }
  return out;
}

interface SyncJobRow {
  account_id: string;
  kind: string;
  reason: string;
  not_before: Date;
  created_on: Date;
  started_on: Date | null;
  state: string;
}

/**
 * Every sync attempt's start, as the jobs process records it just before running one
 * (account_sync_state.last_light_sync_at / last_full_sync_at: cadences run start to start), read every 250 ms.
 */
function watchSyncStarts(accountIds: string[]) {
  const starts = new Map<string, Set<number>>(accountIds.map((id) => [id, new Set<number>()]));
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { rows } = await owner.query<{ account_id: string; light: Date | null; full: Date | null }>(
        "select account_id, last_light_sync_at as light, last_full_sync_at as full from public.account_sync_state where account_id = any($1)",
        [accountIds],
      );
      for (const row of rows) for (const at of [row.light, row.full]) if (at) starts.get(row.account_id)!.add(at.getTime());
      await sleep(250);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return starts;
    },
  };
}

/**
 * Each account's syncs against its 15 s schedule: every attempt is due 15 s after the one before (a full sync
 * counts as a light one), so an attempt's lag is what its gap from the previous one exceeds 15 s by; at the end
 * of the stage an account still waiting is late by what its wait exceeds 15 s by. Beside it, pg-boss's rows
 * (the jobs' queue): when the scheduler sent each job against when it was due, and when the dispatcher took it.
 */
async function syncLag(accountIds: string[], from: Date, to: Date, starts: Map<string, Set<number>>) {
  const cadenceLags: number[] = [];
  const attempts: number[] = [];
  const perAccountMax = new Map<string, number>();
  for (const id of accountIds) {
    const times = [...starts.get(id)!].sort((a, b) => a - b);
    let count = 0;
    let worst = 0;
    for (let i = 1; i < times.length; i++) {
      if (times[i]! < from.getTime()) continue;
      const lag = Math.max(0, times[i]! - times[i - 1]! - CADENCE_MS);
      cadenceLags.push(lag);
      worst = Math.max(worst, lag);
      count++;
    }
    const waiting = times.length ? to.getTime() - times.at(-1)! - CADENCE_MS : Infinity;
    if (waiting > 0) worst = Math.max(worst, waiting);
    attempts.push(count);
    perAccountMax.set(id, worst);
  }
  const queue = await queueLag(accountIds, from, to);
  const behind = [...perAccountMax.values()].filter((lag) => lag > CADENCE_MS).length;
  return {
    attempts: cadenceLags.length,
    lagMs: summary(cadenceLags),
    within3sPercent: cadenceLags.length ? Math.round((cadenceLags.filter((l) => l <= 3000).length / cadenceLags.length) * 1000) / 10 : null,
    worstLagByAccountMs: summary([...perAccountMax.values()]),
    attemptsPerAccount: summary(attempts),
    accountsBehind: behind,
    queue,
  };
}

async function queueLag(accountIds: string[], from: Date, to: Date) {
  const { rows } = await owner.query<SyncJobRow>(
    `select data->>'accountId' as account_id, data->>'kind' as kind, data->>'reason' as reason,
            (data->>'notBefore')::timestamptz as not_before, created_on, started_on, state::text as state
       from pgboss.job
      where name = 'mt5-sync' and data->>'accountId' = any($1)
        and ((started_on between $2 and $3) or (started_on is null and (data->>'notBefore')::timestamptz < $3))`,
    [accountIds, from, to],
  );
  const lags: number[] = [];
  // Where a late start's time went: the scheduler sending it after it was due, or the job waiting in the queue for a terminal.
  const enqueueLate: number[] = [];
  const queued: number[] = [];
  const worst: { lagMs: number; account: number; kind: string; reason: string; sentLateMs: number; queuedMs: number | null }[] = [];
  const perAccount = new Map<string, { syncs: number; maxLagMs: number }>(accountIds.map((id) => [id, { syncs: 0, maxLagMs: 0 }]));
  let overdueAtEnd = 0;
  const byKind: Record<string, number> = {};
  // completed, failed (the sync ran and failed: a login timeout, say), active, created (still queued).
  const byState: Record<string, number> = {};
  for (const row of rows) {
    byState[row.state] = (byState[row.state] ?? 0) + 1;
    const account = perAccount.get(row.account_id)!;
    if (!row.started_on) {
      // Still waiting at the end of the stage: late by as long as it has waited.
      const waited = to.getTime() - row.not_before.getTime();
      if (waited > CADENCE_MS) overdueAtEnd++;
      account.maxLagMs = Math.max(account.maxLagMs, waited);
      worst.push({
        lagMs: waited,
        account: accountIds.indexOf(row.account_id) + 1,
        kind: row.kind,
        reason: `${row.reason} (not started, ${row.state})`,
        sentLateMs: row.created_on.getTime() - row.not_before.getTime(),
        queuedMs: null,
      });
      continue;
    }
    const lag = Math.max(0, row.started_on.getTime() - row.not_before.getTime());
    lags.push(lag);
    enqueueLate.push(Math.max(0, row.created_on.getTime() - row.not_before.getTime()));
    queued.push(row.started_on.getTime() - row.created_on.getTime());
    account.syncs++;
    account.maxLagMs = Math.max(account.maxLagMs, lag);
    byKind[`${row.kind}/${row.reason}`] = (byKind[`${row.kind}/${row.reason}`] ?? 0) + 1;
    worst.push({
      lagMs: lag,
      account: accountIds.indexOf(row.account_id) + 1,
      kind: row.kind,
      reason: row.reason,
      sentLateMs: row.created_on.getTime() - row.not_before.getTime(),
      queuedMs: row.started_on.getTime() - row.created_on.getTime(),
    });
  }
  return {
    jobs: lags.length,
    byKind,
    byState,
    fetchedAfterDueMs: summary(lags),
    sentAfterDueMs: summary(enqueueLate),
    waitedInQueueMs: summary(queued),
    worst: worst.sort((a, b) => b.lagMs - a.lagMs).slice(0, 8),
    overdueAtEnd,
  };
}

function judgeRequests(records: RequestRecord[]) {
  const reads = records.filter((r) => r.kind === "read");
  const writes = records.filter((r) => r.kind === "write");
  const errors = records.filter((r) => r.error && r.status !== 429);
  const byName: Record<string, ReturnType<typeof summary>> = {};
  for (const name of [...new Set(records.map((r) => r.name))])
    byName[name] = summary(records.filter((r) => r.name === name && !r.burst).map((r) => r.ms));
  return {
    requests: records.length,
    perSecond: 0,
    reads: summary(reads.map((r) => r.ms)),
    readsOutsideTheBurst: summary(reads.filter((r) => !r.burst).map((r) => r.ms)),
    writes: summary(writes.map((r) => r.ms)),
    burst: summary(records.filter((r) => r.burst).map((r) => r.ms)),
    byName,
    errors: errors.length,
    rateLimited: records.filter((r) => r.status === 429).length,
    errorSamples: [...new Set(errors.map((r) => `${r.name}: ${r.error}`))].slice(0, 10),
  };
}

async function waitForSyncing(users: SeededUser[]): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    const { rows } = await owner.query<{ ready: number; online: number }>(
      `select count(*) filter (where s.first_sync_completed_at is not null and s.last_full_sync_at >= p.online_since)::int as ready,
              count(*) filter (where p.state = 'online')::int as online
         from public.accounts a
         left join public.account_sync_state s on s.account_id = a.id
         left join public.sync_presence p on p.user_id = a.user_id
        where a.id = any($1)`,
      [users.map((u) => u.mt5AccountId)],
    );
    if (rows[0]!.ready === users.length && rows[0]!.online === users.length) return;
    if (Date.now() > deadline) throw new Error(`only ${rows[0]!.ready} of ${users.length} accounts synced since coming online`);
    await sleep(1000);
  }
}

function startUsers(file: string): { child: ChildProcess; next: () => Promise<ChildMessage> } {
  const child = fork(path.join(REPO_ROOT, "bench/load-test/virtual-users.ts"), [file], {
    execArgv: ["--import", "tsx"],
    cwd: REPO_ROOT,
    env: { ...process.env, PGAPPNAME: "load-generator" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const inbox: ChildMessage[] = [];
  let waiting: ((m: ChildMessage) => void) | null = null;
  child.on("message", (m) => {
    if (waiting) {
      waiting(m as ChildMessage);
      waiting = null;
    } else inbox.push(m as ChildMessage);
  });
  child.on("exit", (code) => {
    if (code && waiting) waiting({ type: "failed", message: `the load generator exited with ${code}` });
  });
  return {
    child,
    next: () => (inbox.length ? Promise.resolve(inbox.shift()!) : new Promise((resolve) => (waiting = resolve))),
  };
}

function verdict(stage: { requests: ReturnType<typeof judgeRequests>; sync: Awaited<ReturnType<typeof syncLag>>; resources: StageResources }) {
  const missed: string[] = [];
  if (!(stage.requests.reads.p95 < TARGETS.readP95Ms)) missed.push(`reads p95 ${stage.requests.reads.p95} ms ≥ ${TARGETS.readP95Ms}`);
  if (!(stage.requests.writes.p95 < TARGETS.writeP95Ms)) missed.push(`writes p95 ${stage.requests.writes.p95} ms ≥ ${TARGETS.writeP95Ms}`);
  if (stage.requests.errors > 0) missed.push(`${stage.requests.errors} errors`);
  if (stage.requests.rateLimited > 0) missed.push(`${stage.requests.rateLimited} answers 429 (rate limited)`);
  if (stage.sync.accountsBehind > 0) missed.push(`${stage.sync.accountsBehind} accounts missed a 15 s slot (max lag ${stage.sync.lagMs.max} ms)`);
  if ((stage.sync.within3sPercent ?? 0) < 95) missed.push(`only ${stage.sync.within3sPercent} % of syncs within 3 s of their slot`);
  if (!(stage.resources.memory.maxTotalPssMb < TARGETS.memoryMb))
    missed.push(`stack memory (PSS) ${stage.resources.memory.maxTotalPssMb} MB ≥ ${TARGETS.memoryMb}`);
  return missed;
}

/** What is closest to its ceiling in a stage: the first thing to saturate as users are added. */
function saturation(resources: StageResources, sync: Awaited<ReturnType<typeof syncLag>>) {
  const signs: string[] = [];
  const cpu = resources.cpuPercentOfOneCore;
  if (resources.machine.cpuBusyPercent >= 90) signs.push(`the machine's ${os.cpus().length} cores (${resources.machine.cpuBusyPercent} % busy)`);
  if ((cpu.app ?? 0) >= 80) signs.push(`the app's single Node thread (${cpu.app} % of a core)`);
  if ((cpu.jobs ?? 0) >= 80) signs.push(`the jobs process's Node thread (${cpu.jobs} % of a core)`);
  if ((cpu["local supabase (+ bench)"] ?? 0) >= 80) signs.push(`the local Supabase's Node thread (${cpu["local supabase (+ bench)"]} % of a core)`);
  const app = resources.dbConnections.app;
  if (app && app.maxActive >= 10) signs.push(`the app's database pool (10 connections, ${app.maxActive} active at once)`);
  if ((resources.eventLoopLagMs.app?.p99Max ?? 0) >= 100)
    signs.push(`the app's event loop (p99 lag up to ${resources.eventLoopLagMs.app!.p99Max} ms)`);
  if (sync.accountsBehind > 0 || (sync.within3sPercent ?? 100) < 95)
    signs.push(`the 3 MT5 trade terminals (${sync.within3sPercent} % of syncs within 3 s of due)`);
  return signs;
}

const seeded: SeededUser[] = [];
const stages: unknown[] = [];
let firstStageMissed: string[] | null = null;
let limit: { users: number; navigation: Navigation; missed: string[]; saturated: string[] } | null = null;
try {
  for (const users of STAGES) {
    const seedStarted = performance.now();
    while (seeded.length < users) seeded.push(await seedUser(stack, owner, keyring, seeded.length + 1, TRADES));
    await owner.query("vacuum analyze public.trades, public.accounts, public.account_credentials");
    say(`stage ${users} users: seeded in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s; signing in…`);

    const stageUsers = seeded.slice(0, users);
    let stageMissed = false;
    for (const navigation of NAVIGATIONS) {
      const configFile = path.join(stack.dataDir, `users-${users}-${navigation}.json`);
      const config: VirtualUsersConfig = {
        appUrl: stack.appUrl,
        supabaseUrl: stack.supabaseUrl,
        anonKey: stack.keys.anonKey,
        users: stageUsers.map((u) => ({
          email: u.email,
          password: USER_PASSWORD,
          userId: u.userId,
          importAccountId: u.importAccountId,
          tradeIds: u.tradeIds,
        })),
        thinkMs: THINK_MS,
        importEvery: IMPORT_EVERY,
        importFile: IMPORT_FILE,
        navigation,
        reloadEvery: RELOAD_EVERY,
      };
      await writeFile(configFile, JSON.stringify(config));
      const generator = startUsers(configFile);
      const ready = await generator.next();
      if (ready.type !== "ready") throw new Error(ready.type === "failed" ? ready.message : "the load generator did not start");
      say(`stage ${users} users (${navigation}): ${ready.liveTabs} tabs live; waiting for every account's first sync…`);
      const syncWaitStarted = performance.now();
      await waitForSyncing(stageUsers);
      say(
        `stage ${users} users (${navigation}): syncing (${((performance.now() - syncWaitStarted) / 1000).toFixed(0)} s); browsing for ${STAGE_SECONDS} s…`,
      );

      const sampling = startSampling(generator.child.pid!);
      const syncStarts = watchSyncStarts(stageUsers.map((u) => u.mt5AccountId));
      const from = new Date();
      const go: ParentMessage = { type: "go", durationMs: STAGE_SECONDS * 1000, burstAtMs: (STAGE_SECONDS * 1000) / 2, burstSize: BURST };
      generator.child.send(go);
      const done = await generator.next();
      const to = new Date();
      const resources = await sampling.stop();
      if (done.type !== "done") throw new Error(done.type === "failed" ? done.message : "the load generator stopped");
      const requests = judgeRequests(done.records);
      requests.perSecond = +(requests.requests / resources.seconds).toFixed(1);
      // The app's CPU per answered request: one Node thread's capacity is about 1000 / this many requests a second.
      const appCpuMsPerRequest = Math.round(((resources.cpuPercentOfOneCore.app ?? 0) * 10 * resources.seconds) / Math.max(1, requests.requests));
      // Jobs started up to now are in pg-boss; a job due in the stage's last moments may start just after it.
      await sleep(2000);
      const sync = await syncLag(
        stageUsers.map((u) => u.mt5AccountId),
        from,
        to,
        await syncStarts.stop(),
      );
      const stopping: ParentMessage = { type: "stop" };
      generator.child.send(stopping);
      await new Promise((resolve) => generator.child.once("exit", resolve));

      // Per click (the request named after what the trader clicked), comparable across navigation modes; the burst's CPU is in both.
      const clicks = done.records.filter((r) => CLICK_NAMES.has(r.name) && !r.burst).length;
      const appCpuMsPerClick = Math.round(((resources.cpuPercentOfOneCore.app ?? 0) * 10 * resources.seconds) / Math.max(1, clicks));
      const stage = {
        users,
        navigation,
        clicks,
        appCpuMsPerClick,
        signInMs: summary(ready.signInMs),
        liveTabsAtEnd: done.liveTabsAtEnd,
        requests,
        appCpuMsPerRequest,
        sync,
        resources,
      };
      const missed = verdict(stage);
      const saturated = saturation(resources, sync);
      stages.push({ ...stage, missed, saturated });
      say(
        `stage ${users} users (${navigation}): reads p95 ${requests.reads.p95} ms, writes p95 ${requests.writes.p95} ms, ${requests.errors} errors, ` +
          `sync lag p95 ${sync.lagMs.p95} ms (max ${sync.lagMs.max}), memory PSS ${resources.memory.maxTotalPssMb} MB (RSS sum ${resources.memory.maxTotalRssMb}), ` +
          `CPU app ${resources.cpuPercentOfOneCore.app} % postgres ${resources.cpuPercentOfOneCore.postgres} % machine ${resources.machine.cpuBusyPercent} %` +
          (missed.length ? ` — missed: ${missed.join("; ")}` : " — all targets met"),
      );
      if (firstStageMissed === null) firstStageMissed = missed;
      if (missed.length && !limit) limit = { users, navigation, missed, saturated };
      if (missed.length) stageMissed = true;
    }
    if (stageMissed && !RAMP_PAST_MISS) break;
  }
} finally {
  console.log(
    JSON.stringify(
      {
        load: { atStart: loadAtStart, atEnd: loadAverage() },
        settings: {
          stages: STAGES,
          stageSeconds: STAGE_SECONDS,
          tradesPerUser: TRADES,
          thinkMs: THINK_MS,
          importEvery: IMPORT_EVERY,
          importFile: path.relative(REPO_ROOT, IMPORT_FILE),
          burst: BURST,
          navigation: NAVIGATIONS,
          reloadEvery: RELOAD_EVERY,
          cores: os.cpus().length,
        },
        targets: TARGETS,
        stages,
        limit: limit ?? `not reached up to ${Math.max(...STAGES)} users`,
        scenarioMet: firstStageMissed !== null && firstStageMissed.length === 0,
      },
      null,
      2,
    ),
  );
  stopping = true;
  jobs.kill("SIGTERM");
  await jobs;
  await owner.end();
  await stack.stop();
  await rm(path.dirname(probeBase), { recursive: true, force: true });
}
process.exit(firstStageMissed !== null && firstStageMissed.length === 0 ? 0 : 1);
