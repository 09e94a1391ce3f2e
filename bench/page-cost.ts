// What each page the load test browses costs the app server (issue 19): the
// dashboard, the trade list, a trade and analytics, each as a full document
// and as the `.data` request a client navigation makes (the page's own loader:
// `_routes=routes/…`), for one 5,000-trade trader seeded as the load test
// seeds them, requests one at a time with a real session cookie.
//
// Measured per case: the app process's CPU per request (utime + stime from
// /proc/<pid>/stat over blocks of sequential requests; CPU time moves far less
// with the shared machine's load than wall time does) and wall p50 / p95.
// Cases go in rounds (a block of each case per round) so the load is shared.
//
// BENCH_BEFORE_SOURCE=<dir> (a `git worktree` of an older commit) measures
// that tree's app first, on its own stack with the same seed, then this one:
// a before → after comparison in one run. BENCH_PROFILE=1 also profiles the
// app (the inspector's sampling profiler) under a loop of every case and
// prints the functions and files with the most self time (BENCH_PROFILE=<text>:
// only the cases whose names hold it). BENCH_SCREENSHOTS=<dir> saves each page
// at 375 and 1280 px there, to look at.
//
// `npx tsx bench/page-cost.ts` (BENCH_ROUNDS=8, BENCH_BLOCK=10, BENCH_TRADES=5000,
// BENCH_ACCEPT_ENCODING="gzip, deflate, br").
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { parseEncryptionKeys } from "../app/lib/credential-crypto.server.ts";
import { freePort } from "../supabase/local/free-port.ts";
import { seedUser, USER_PASSWORD } from "./load-test/seed.ts";
import { startBenchStack } from "./support/app-stack.ts";
import { launchChromium, signedInPage } from "./support/browser.ts";
import { loadAverage, summary } from "./support/stats.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const BLOCK = Number(process.env.BENCH_BLOCK ?? 10);
const TRADES = Number(process.env.BENCH_TRADES ?? 5000);
/** "1": profile every case; other text: only the cases whose names hold it ("trade list document"). */
const PROFILE = process.env.BENCH_PROFILE;
const SCREENSHOTS = process.env.BENCH_SCREENSHOTS;
const TICK_MS = 10; // USER_HZ = 100
/** What the client accepts (Chromium's by default; "identity" or "gzip" to see what brotli costs). */
const ACCEPT_ENCODING = process.env.BENCH_ACCEPT_ENCODING ?? "gzip, deflate, br";

const say = (line: string) => process.stderr.write(`[page-cost] ${line}\n`);

async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) * TICK_MS;
}

interface PageCase {
  name: string;
  path: string;
}

function cases(tradeId: string): PageCase[] {
  const pages: [string, string, string][] = [
    ["dashboard", "/dashboard", "routes/_app.dashboard"],
    ["trade list", "/trades", "routes/_app.trades._index"],
    ["trade detail", `/trades/${tradeId}`, "routes/_app.trades.$tradeId"],
    ["analytics", "/analytics", "routes/_app.analytics"],
  ];
  return pages.flatMap(([name, path, route]) => [
    { name: `${name} document`, path },
    { name: `${name} .data`, path: `${path}.data?_routes=${encodeURIComponent(route)}` },
  ]);
}

async function get(appUrl: string, path: string, cookie: string): Promise<number> {
  const started = performance.now();
  // As Chromium asks: the compression is part of the server's work.
  const response = await fetch(`${appUrl}${path}`, { headers: { cookie, "accept-encoding": ACCEPT_ENCODING }, redirect: "manual" });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
  return performance.now() - started;
}

/** Top self time by function and by file from the inspector's sampling profiler while `load` runs. */
async function profile(inspectorPort: number, load: () => Promise<void>) {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const socket = new WebSocket(targets[0]!.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => ((socket.onopen = resolve), (socket.onerror = reject)));
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  socket.onmessage = (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id) pending.get(message.id)?.(message.result);
  };
  const send = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve as (result: unknown) => void);
      socket.send(JSON.stringify({ id, method, params }));
    });
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 200 });
  await send("Profiler.start");
  await load();
  type Frame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
  const { profile: cpu } = await send<{
    profile: { nodes: { id: number; callFrame: Frame }[]; samples: number[]; timeDeltas: number[] };
  }>("Profiler.stop");
  socket.close();
  const frameById = new Map(cpu.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  cpu.samples.forEach((id, i) => {
    const frame = frameById.get(id)!;
    const ms = (cpu.timeDeltas[i] ?? 0) / 1000;
    if (frame.functionName === "(idle)") return;
    total += ms;
    const file = frame.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/(build|app)\//, "$1/") || "(native)";
    const key = `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    const module =
      file.startsWith("build/") || !frame.url.includes("node_modules/")
        ? file
        : file
            .split("/")
            .slice(0, file.startsWith("@") ? 2 : 1)
            .join("/");
    byFile.set(module, (byFile.get(module) ?? 0) + ms);
  });
  const top = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([key, ms]) => `${ms.toFixed(0).padStart(6)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${key}`);
  console.log(
    `\nprofile: ${total.toFixed(0)} ms busy\n-- by package or file --\n${top(byFile, 25).join("\n")}\n-- by function --\n${top(byFunction, 40).join("\n")}`,
  );
}

/** Each page at a phone's and a laptop's width, whole, as PNGs named `<prefix>-<page>-<width>.png`: to look at. */
async function screenshotPages(appUrl: string, cookie: string, tradeId: string, prefix: string) {
  const browser = await launchChromium();
  try {
    for (const width of [375, 1280]) {
      const { context, page } = await signedInPage(browser, appUrl, cookie, { width, height: 900 });
      for (const [name, path] of [
        ["dashboard", "/dashboard"],
        ["trades", "/trades"],
        ["trade", `/trades/${tradeId}`],
        ["analytics", "/analytics"],
      ]) {
        await page.goto(`${appUrl}${path}`, { waitUntil: "networkidle" });
        await page.screenshot({ path: `${prefix}-${name}-${width}.png`, fullPage: true });
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  say(`screenshots: ${prefix}-*.png`);
}

async function measure(label: string, sourceDir: string | undefined) {
  const encryptionKeys = `legacy:${randomBytes(32).toString("base64")}`;
  const pair = generateKeyPairSync("x25519").privateKey.export({ format: "jwk" });
  const inspectorPort = await freePort();
  say(`${label}: starting PostgreSQL, the local Supabase and the app (building ${sourceDir ?? "the working tree"})…`);
  const stack = await startBenchStack(`page-cost-${label}`, {
    fast: true,
    sourceDir,
    env: {
      // One app process: its CPU is the figure.
      WEB_CONCURRENCY: "1",
      ENCRYPTION_KEYS: encryptionKeys,
      CREDENTIALS_PUBLIC_KEYS: `sealed:${Buffer.from(pair.x!, "base64url").toString("base64")}`,
      ...(PROFILE ? { NODE_OPTIONS: `--inspect=127.0.0.1:${inspectorPort}` } : {}),
    },
  });
  try {
    const owner = new pg.Client({ connectionString: stack.databaseUrl });
    await owner.connect();
    const user = await seedUser(stack, owner, parseEncryptionKeys(encryptionKeys), 1, TRADES);
    await owner.query("vacuum analyze public.trades");
    await owner.end();
    const cookie = await stack.signIn(user.email, USER_PASSWORD);
    const all = cases(user.tradeIds[0]!);
    for (const c of all) for (let i = 0; i < 5; i++) await get(stack.appUrl, c.path, cookie);
    const walls = new Map<string, number[]>(all.map((c) => [c.name, []]));
    const cpu = new Map<string, number>(all.map((c) => [c.name, 0]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of all) {
        const before = await cpuMs(stack.serverPid);
        for (let i = 0; i < BLOCK; i++) walls.get(c.name)!.push(await get(stack.appUrl, c.path, cookie));
        cpu.set(c.name, cpu.get(c.name)! + (await cpuMs(stack.serverPid)) - before);
      }
    }
    console.log(
      `\n${label} (${sourceDir ?? "working tree"}; load ${loadAverage()}; ${ROUNDS} × ${BLOCK} requests a case; accepts ${ACCEPT_ENCODING})`,
    );
    console.log("| case | app CPU per request | wall p50 | wall p95 |\n|---|---|---|---|");
    for (const c of all) {
      const wall = summary(walls.get(c.name)!);
      console.log(`| ${c.name} | ${(cpu.get(c.name)! / (ROUNDS * BLOCK)).toFixed(1)} ms | ${wall.p50} ms | ${wall.p95} ms |`);
    }
    if (SCREENSHOTS) await screenshotPages(stack.appUrl, cookie, user.tradeIds[0]!, `${SCREENSHOTS}/${label.replace(/\W+/g, "-")}`);
    if (PROFILE) {
      const profiled = all.filter((c) => PROFILE === "1" || c.name.includes(PROFILE));
      console.log(`\nprofiled: ${profiled.map((c) => c.name).join(", ")}`);
      await profile(inspectorPort, async () => {
        for (let round = 0; round < ROUNDS; round++)
          for (const c of profiled) for (let i = 0; i < BLOCK / 2; i++) await get(stack.appUrl, c.path, cookie);
      });
    }
  } finally {
    await stack.stop();
  }
}

if (process.env.BENCH_BEFORE_SOURCE) await measure("before", process.env.BENCH_BEFORE_SOURCE);
await measure(process.env.BENCH_BEFORE_SOURCE ? "after" : "this tree", undefined);
