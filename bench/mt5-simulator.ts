// The MT5 simulator's CPU (issue 19's load test: the bridges on the simulator
// took 69 % of a core, more than the app). Two copies of mt5/ run side by side
// in one process tree and take turns on the same requests: the simulator as it
// was (BENCH_SIM_BEFORE, a git revision, default 1a24688) and the working tree.
// Each copy runs the load test's terminals — 3 trade bridges and the market
// data bridge, on the load test's scenario (bench/load-test/seed.ts's accounts)
// — and their CPU is read from /proc per kind of work:
//  - a light sync (login, account_info, positions) of each of 20 accounts per
//    15 s round, and a full sync's reads (deals and orders since an hour ago)
//    every 4th round;
//  - the market data terminal: a refresh pass (4 symbols × 5 timeframes × 3
//    bars), MAE/MFE bar reads (M1, 5-40 minutes, within the last year: the
//    backfill of the load test's 100,000 seeded trades), and a chart backfill
//    (183 days of M30-W1 for one symbol).
// Every answer of both copies is hashed per kind; the bench fails if they
// differ (the login's elapsed_ms aside). The simulated clock is frozen and
// moved 15 s a round (sim_advance), login waits are scaled to 0: neither
// costs CPU.
//
// `npx tsx bench/mt5-simulator.ts` (BENCH_ROUNDS=12, BENCH_EXCURSIONS=150 per round)
import { createHash } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import readline from "node:readline";
import { execa, type ResultPromise } from "execa";
import { REPO_ROOT } from "../supabase/local/database.ts";
import { loadTestScenario, SIM_SERVER, SIM_SYMBOLS, simLogin, simPassword } from "./load-test/seed.ts";
import { loadAverage } from "./support/stats.ts";

const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12);
const EXCURSIONS = Number(process.env.BENCH_EXCURSIONS ?? 150);
const BEFORE = process.env.BENCH_SIM_BEFORE ?? "1a24688";
const USERS = 20;
const TICKS_PER_SECOND = 100;
// A Wednesday: FX open, as on the weekday the load test ran.
const START = "2026-12-02T12:00:00Z";

const dataDir = path.join(REPO_ROOT, ".data/bench-mt5-simulator");
await rm(dataDir, { recursive: true, force: true });
await mkdir(path.join(dataDir, "before"), { recursive: true });
await execa("sh", ["-c", `git archive ${BEFORE} mt5 | tar -x -C ${JSON.stringify(path.join(dataDir, "before"))}`], { cwd: REPO_ROOT });
const scenarioFile = path.join(dataDir, "scenario.json");
await writeFile(scenarioFile, JSON.stringify(loadTestScenario(USERS)));

interface Bridge {
  pid: number;
  request(method: string, params: object): Promise<unknown>;
  stop(): Promise<void>;
}

function startBridge(mt5Dir: string): Promise<Bridge> {
  const child: ResultPromise = execa("python3", [path.join(mt5Dir, "bridge")], {
    env: {
      RAWJOURNAL_MT5_MODULE: "simulator",
      RAWJOURNAL_SIM_SCENARIO: scenarioFile,
      RAWJOURNAL_SIM_START: START,
      RAWJOURNAL_SIM_SPEED: "0",
      RAWJOURNAL_SIM_LATENCY_SCALE: "0",
      PYTHONDONTWRITEBYTECODE: "1",
    },
    stdin: "pipe",
    stdout: "pipe",
    stderr: "ignore",
    reject: false,
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const waiting: ((line: string) => void)[] = [];
  let hello: (() => void) | null = null;
  lines.on("line", (line) => {
    if (hello) {
      hello();
      hello = null;
      return;
    }
    waiting.shift()?.(line);
  });
  let next = 0;
  const bridge: Bridge = {
    pid: child.pid!,
    request(method, params) {
      const id = ++next;
      return new Promise((resolve) => {
        waiting.push(resolve);
        child.stdin!.write(`${JSON.stringify({ id, method, params })}\n`);
      });
    },
    async stop() {
      child.stdin!.end();
      await child;
    },
  };
  return new Promise((resolve) => {
    hello = () => resolve(bridge);
  });
}

async function cpuTicks(pids: readonly number[]): Promise<number> {
  let total = 0;
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    total += Number(fields[11]) + Number(fields[12]);
  }
  return total;
}

type Kind = "light sync" | "full sync reads" | "refresh pass" | "MAE/MFE bar read" | "chart backfill (183 d, M30-W1)";

class Variant {
  readonly cpuMs = new Map<Kind, number>();
  readonly units = new Map<Kind, number>();
  /** Per kind, each bridge's answers in order (the trade bridges answer concurrently). */
  readonly answers = new Map<Kind, string[][]>();
  constructor(
    readonly name: string,
    readonly trade: Bridge[],
    readonly market: Bridge,
  ) {}

  /** Runs work on the given bridges, charging their CPU to the kind. */
  async measure(
    kind: Kind,
    bridges: readonly Bridge[],
    units: number,
    work: (ask: (b: Bridge, method: string, params: object) => Promise<unknown>) => Promise<void>,
  ) {
    const answers = this.answers.get(kind) ?? [[], [], [], []];
    this.answers.set(kind, answers);
    const ask = async (bridge: Bridge, method: string, params: object) => {
      const answer = (await bridge.request(method, params)) as string;
      const slot = bridge === this.market ? 3 : this.trade.indexOf(bridge);
      answers[slot]!.push(
        createHash("sha256")
          .update(answer.replace(/"elapsed_ms":\d+,/, "").replace(/^\{"id":\d+,/, "{"))
          .digest("hex"),
      );
      return JSON.parse(answer) as unknown;
    };
    const pids = bridges.map((bridge) => bridge.pid);
    const before = await cpuTicks(pids);
    await work(ask);
    const used = ((await cpuTicks(pids)) - before) * (1000 / TICKS_PER_SECOND);
    this.cpuMs.set(kind, (this.cpuMs.get(kind) ?? 0) + used);
    this.units.set(kind, (this.units.get(kind) ?? 0) + units);
  }
}

async function startVariant(name: string, mt5Dir: string): Promise<Variant> {
  const trade = await Promise.all([0, 1, 2].map(() => startBridge(mt5Dir)));
  const market = await startBridge(mt5Dir);
  const login = (index: number) => ({ login: simLogin(index), password: simPassword(index), server: SIM_SERVER, timeout_ms: 60_000 });
  await market.request("login", login(0));
  return new Variant(name, trade, market);
}

const variants = [await startVariant("before", path.join(dataDir, "before/mt5")), await startVariant("after", path.join(REPO_ROOT, "mt5"))];
say(`before = ${BEFORE}, after = the working tree; ${ROUNDS} rounds of 15 s, ${EXCURSIONS} MAE/MFE reads a round; load ${loadAverage()}`);
const startLoad = loadAverage();

const serverNow = Date.parse(START) / 1000 + 2 * 3600; // NY+7 in December: GMT+2
for (let round = 0; round < ROUNDS; round++) {
  const now = serverNow + round * 15;
  // Same requests for both, in alternating order so neither always runs first.
  for (const variant of round % 2 ? [...variants].reverse() : variants) {
    await variant.measure("light sync", variant.trade, USERS, async (ask) => {
      await Promise.all(
        variant.trade.map(async (bridge, t) => {
          for (let user = 1 + t; user <= USERS; user += variant.trade.length) {
            await ask(bridge, "login", { login: simLogin(user), password: simPassword(user), server: SIM_SERVER, timeout_ms: 60_000 });
            await ask(bridge, "account_info", {});
            await ask(bridge, "positions", {});
          }
        }),
      );
    });
    if (round % 4 === 0) {
      await variant.measure("full sync reads", variant.trade, USERS, async (ask) => {
        await Promise.all(
          variant.trade.map(async (bridge, t) => {
            for (let user = 1 + t; user <= USERS; user += variant.trade.length) {
              await ask(bridge, "login", { login: simLogin(user), password: simPassword(user), server: SIM_SERVER, timeout_ms: 60_000 });
              await ask(bridge, "deals", { from: now - 3600, to: now + 2 * 86_400 });
              await ask(bridge, "orders", { from: now - 3600, to: now + 2 * 86_400 });
            }
          }),
        );
      });
    }
    await variant.measure("refresh pass", [variant.market], 1, async (ask) => {
      for (const symbol of SIM_SYMBOLS)
        for (const timeframe of ["M30", "H1", "H4", "D1", "W1"]) await ask(variant.market, "rates", { symbol, timeframe, count: 3 });
    });
    await variant.measure("MAE/MFE bar read", [variant.market], EXCURSIONS, async (ask) => {
      for (let i = 0; i < EXCURSIONS; i++) {
        // Deterministic per (round, i): both copies read the same windows.
        const seed = (round * 7919 + i * 104_729) % 1_000_003;
        const from = now - 3 * 86_400 - ((seed * 6_700_417) % (362 * 86_400));
        await ask(variant.market, "rates", {
          symbol: SIM_SYMBOLS[seed % SIM_SYMBOLS.length],
          timeframe: "M1",
          from,
          to: from + (5 + (seed % 36)) * 60,
        });
      }
    });
    if (round % 4 === 1) {
      await variant.measure("chart backfill (183 d, M30-W1)", [variant.market], 1, async (ask) => {
        for (const timeframe of ["M30", "H1", "H4", "D1", "W1"])
          await ask(variant.market, "rates", {
            symbol: SIM_SYMBOLS[(round >> 2) % SIM_SYMBOLS.length],
            timeframe,
            from: now - 183 * 86_400,
            to: now,
          });
      });
    }
  }
  for (const variant of variants) for (const bridge of [...variant.trade, variant.market]) await bridge.request("sim_advance", { seconds: 15 });
}

const [before, after] = variants as [Variant, Variant];
const rows: string[] = [];
let differ = false;
for (const kind of before.cpuMs.keys()) {
  const same = JSON.stringify(before.answers.get(kind)) === JSON.stringify(after.answers.get(kind));
  if (!same) differ = true;
  const per = (variant: Variant) => variant.cpuMs.get(kind)! / variant.units.get(kind)!;
  rows.push(
    `| ${kind} | ${before.units.get(kind)} | ${per(before).toFixed(2)} ms | ${per(after).toFixed(2)} ms | ${(per(before) / Math.max(per(after), 0.001)).toFixed(2)} x | ${same ? "same" : "DIFFERENT"} |`,
  );
}
const total = (variant: Variant) => [...variant.cpuMs.values()].reduce((sum, ms) => sum + ms, 0);
console.log(`\nMT5 simulator CPU, before (${BEFORE}) and after (working tree), one run; load ${startLoad} → ${loadAverage()}\n`);
console.log("| work | count | CPU each, before | after | before / after | answers |");
console.log("|---|---|---|---|---|---|");
for (const row of rows) console.log(row);
console.log(
  `| all of it (${ROUNDS} rounds of 15 s) | | ${(total(before) / 1000).toFixed(2)} s | ${(total(after) / 1000).toFixed(2)} s | ${(total(before) / total(after)).toFixed(2)} x | |`,
);

for (const variant of variants) for (const bridge of [...variant.trade, variant.market]) await bridge.stop();
if (differ) {
  console.error("the two copies answered differently");
  process.exit(1);
}
