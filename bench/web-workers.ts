// One web process against two (WEB_CONCURRENCY, docs/decisions/022), in one
// run so the machine's load is the same for both: the bench stack's app
// server (scripts/serve.ts, one process) and a second server entry with 2
// workers on the same build, database and Auth. Traders with 5,000 trades
// each (the load test's seed); rounds of a burst of 50 concurrent reads —
// dashboard, trade list, a trade, analytics documents, as the load test's
// burst — sent to one server then the other, alternating which goes first.
// Per burst: p50/p95/max latency, wall time, and the server's CPU (the
// process and its workers, from /proc) per request. Then the same requests
// one at a time, for the CPU a request costs without two running at once.
//
//   npm run bench web-workers      (BENCH_ROUNDS=6, BENCH_USERS=10, BENCH_TRADES=5000)
import { randomBytes } from "node:crypto";
import path from "node:path";
import { execa } from "execa";
import pg from "pg";
import { parseEncryptionKeys } from "../app/lib/credential-crypto.server.ts";
import { REPO_ROOT } from "../supabase/local/database.ts";
import { freePort } from "../supabase/local/free-port.ts";
import { sampleGroups } from "./load-test/process-stats.ts";
import { seedUser, USER_PASSWORD, userEmail, type SeededUser } from "./load-test/seed.ts";
import { startBenchStack } from "./support/app-stack.ts";
import { loadAverage, percentile, summary } from "./support/stats.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const USERS = Number(process.env.BENCH_USERS ?? 10);
const TRADES = Number(process.env.BENCH_TRADES ?? 5000);
const BURST = 50;
const say = (text: string) => console.error(`[web-workers] ${text}`);

const loadAtStart = loadAverage();
const encryptionKeys = `legacy:${randomBytes(32).toString("base64")}`;
say("starting PostgreSQL, the local Supabase and the app (one process; building it)…");
const stack = await startBenchStack("web-workers", { fast: true, env: { WEB_CONCURRENCY: "1" } });
const owner = new pg.Client({ connectionString: stack.databaseUrl });
await owner.connect();
// Every sign-in comes from 127.0.0.1.
await owner.query("update public.rate_limit_rules set max_hits = 1000000 where name like '%-address'");

const port = await freePort();
const clusterUrl = `http://localhost:${port}`;
const clustered = execa(process.execPath, [path.join(REPO_ROOT, "scripts/serve.ts"), path.join(stack.dataDir, "build/index.js")], {
  cwd: REPO_ROOT,
  env: {
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    SITE_URL: clusterUrl,
    SUPABASE_URL: stack.supabaseUrl,
    SUPABASE_ANON_KEY: stack.keys.anonKey,
    SUPABASE_JWT_SECRET: stack.keys.jwtSecret,
    APP_DATABASE_URL: stack.webDatabaseUrl,
    WEB_CONCURRENCY: "2",
  },
  stdout: "ignore",
  stderr: "inherit",
  reject: false,
});
for (let i = 0; ; i++) {
  const up = await fetch(`${clusterUrl}/healthz`).then(
    (r) => r.ok,
    () => false,
  );
  if (up) break;
  if (i > 300) throw new Error("the 2-worker server did not start");
  await new Promise((resolve) => setTimeout(resolve, 100));
}

say(`seeding ${USERS} traders with ${TRADES} trades each…`);
const keyring = parseEncryptionKeys(encryptionKeys);
const users: SeededUser[] = [];
for (let i = 0; i < USERS; i++) users.push(await seedUser(stack, owner, keyring, i, TRADES));
await owner.query("analyze");
const cookies = await Promise.all(users.map((u) => stack.signIn(userEmail(u.index), USER_PASSWORD)));

const servers = [
  { name: "1 process", url: stack.appUrl, pid: stack.serverPid },
  { name: "2 workers", url: clusterUrl, pid: clustered.pid! },
];

/** The server's CPU seconds: the process and its workers. */
const cpuOf = async (pid: number) => (await sampleGroups([{ name: "s", pid, members: "tree" }])).s!.cpuSeconds;

/** The burst's 50 reads: dashboard, trade list, a trade, analytics, over the traders. */
const burstRequests = () =>
  Array.from({ length: BURST }, (_, i) => {
    const user = users[i % users.length]!;
    const pathname = ["/dashboard", "/trades", `/trades/${user.tradeIds[i % user.tradeIds.length]}`, "/analytics"][i % 4]!;
    return { pathname, cookie: cookies[i % users.length]! };
  });

async function read(url: string, { pathname, cookie }: { pathname: string; cookie: string }): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}${pathname}`, {
    headers: { cookie, accept: "text/html", "accept-encoding": "gzip, deflate, br" },
    redirect: "manual",
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${pathname}: ${response.status}`);
  return performance.now() - started;
}

async function burst(url: string): Promise<number[]> {
  return await Promise.all(burstRequests().map((request) => read(url, request)));
}

async function burstOneByOne(url: string): Promise<number[]> {
  const ms = [];
  for (const request of burstRequests()) ms.push(await read(url, request));
  return ms;
}

interface BurstResult {
  p50: number;
  p95: number;
  max: number;
  wallMs: number;
  cpuMsPerRequest: number;
}
const results: Record<string, BurstResult[]> = { "1 process": [], "2 workers": [] };

say("warming both servers…");
for (const server of servers) for (let i = 0; i < 2; i++) await burst(server.url);

for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? servers : [...servers].reverse();
  for (const server of order) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const cpuBefore = await cpuOf(server.pid);
    const started = performance.now();
    const ms = await burst(server.url);
    const wallMs = performance.now() - started;
    const cpuMs = ((await cpuOf(server.pid)) - cpuBefore) * 1000;
    const one = {
      p50: Math.round(percentile(ms, 50)),
      p95: Math.round(percentile(ms, 95)),
      max: Math.round(Math.max(...ms)),
      wallMs: Math.round(wallMs),
      cpuMsPerRequest: Math.round(cpuMs / BURST),
    };
    results[server.name]!.push(one);
    say(`round ${round + 1}, ${server.name}: p50 ${one.p50} ms, p95 ${one.p95} ms, wall ${one.wallMs} ms, CPU ${one.cpuMsPerRequest} ms a request`);
  }
}

// The same requests one at a time: the CPU a request costs when the server's processes do not run at once.
const sequential: Record<string, { p50: number; cpuMsPerRequest: number }> = {};
for (const server of servers) {
  const cpuBefore = await cpuOf(server.pid);
  const ms = [];
  for (let i = 0; i < 2; i++) ms.push(...(await burstOneByOne(server.url)));
  sequential[server.name] = {
    p50: Math.round(percentile(ms, 50)),
    cpuMsPerRequest: Math.round((((await cpuOf(server.pid)) - cpuBefore) * 1000) / ms.length),
  };
  say(`one at a time, ${server.name}: p50 ${sequential[server.name]!.p50} ms, CPU ${sequential[server.name]!.cpuMsPerRequest} ms a request`);
}

const median = (values: number[]) => Math.round(percentile(values, 50));
const of = (name: string) => ({
  p95: summary(results[name]!.map((r) => r.p95)),
  medianP50: median(results[name]!.map((r) => r.p50)),
  medianWallMs: median(results[name]!.map((r) => r.wallMs)),
  medianCpuMsPerRequest: median(results[name]!.map((r) => r.cpuMsPerRequest)),
});
const ratios = results["2 workers"]!.map((r, i) => r.p95 / results["1 process"]![i]!.p95);
console.log(
  JSON.stringify(
    {
      load: { atStart: loadAtStart, atEnd: loadAverage() },
      settings: { rounds: ROUNDS, users: USERS, tradesPerUser: TRADES, burst: BURST },
      oneProcess: of("1 process"),
      twoWorkers: of("2 workers"),
      oneAtATime: sequential,
      burstP95RatioTwoWorkersToOne: { median: Number(percentile(ratios, 50).toFixed(2)), each: ratios.map((r) => Number(r.toFixed(2))) },
      rounds: results,
    },
    null,
    2,
  ),
);

await owner.end();
clustered.kill("SIGTERM");
await clustered;
await stack.stop();
