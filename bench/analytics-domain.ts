// Analytics domain figures (issue 12) on 100,000 generated trades, in
// process: summarize + balanceCurve + dailyNet + dayHourHeatmap + every
// breakdown, from a fresh input (so the shared preparation is included):
// trade objects, or the analytics store's monthly chunks decoded ("input"
// is the decoding; total includes it).
// Not a timed test; target: the whole set well under 100 ms.
//   npx tsx bench/analytics-domain.ts
import os from "node:os";
import {
  balanceCurve,
  breakdown,
  dailyNet,
  dayHourHeatmap,
  summarize,
  type AnalyticsInput,
  type AnalyticsSource,
  type AnalyticsTrade,
  type BreakdownDimension,
} from "../app/domain/analytics/index.ts";
import { bootstrapMeanInterval, EXACT_BOOTSTRAP_MAX_TRADES } from "../app/domain/analytics/bootstrap.ts";
import { decodeChunk, encodeChunk, selectTrades } from "../app/domain/analytics/chunk.ts";
import { columnsOf } from "../app/domain/analytics/columns.ts";

const TRADES = Number(process.env.BENCH_TRADES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const SYMBOLS = ["EURUSD", "GBPUSD", "USDJPY", "XAUUSD", "US500", "BTCUSD"];
const SESSIONS = ["Sydney", "Tokyo", "London", "New York", null];
const DIMENSIONS: BreakdownDimension[] = ["symbol", "session", "weekday", "hour", "duration", "direction", "tag"];

let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const cents = (value: number) => (Math.round(value * 100) / 100).toFixed(2);

function generate(): AnalyticsInput {
  const start = Date.UTC(2019, 0, 1);
  const trades: AnalyticsTrade[] = [];
  for (let i = 0; i < TRADES; i++) {
    const opened = start + i * 30 * 60_000 + Math.floor(random() * 600_000);
    const closed = opened + Math.floor(random() * random() * 3 * 86_400_000);
    trades.push({
      id: `t${String(i).padStart(6, "0")}`,
      openedAt: new Date(opened),
      closedAt: new Date(closed),
      profit: cents((random() - 0.47) * 400),
      commission: cents(-random() * 7),
      swap: cents((random() - 0.6) * 3),
      fee: "0",
      initialRisk: random() < 0.8 ? cents(50 + random() * 150) : null,
      symbol: SYMBOLS[i % SYMBOLS.length]!,
      direction: random() < 0.5 ? "buy" : "sell",
      session: SESSIONS[i % SESSIONS.length]!,
      tags: random() < 0.3 ? [] : [`setup-${i % 7}`, ...(random() < 0.2 ? ["news"] : [])],
    });
  }
  return {
    trades,
    cash: [
      { id: "c1", at: new Date(start + 86_400_000 * 300), amount: "5000", kind: "deposit" },
      { id: "c2", at: new Date(start + 86_400_000 * 900), amount: "-2500.50", kind: "withdrawal" },
    ],
    startingBalance: "100000",
    dayRule: { timeZone: "America/New_York", dayStartMinutes: 1020 },
    period: { from: null, to: null },
  };
}

// The machine's speed, to compare figures across machines and loads: 1e8
// integer additions (about 40 ms on an idle core of the 2-core dev box).
function referenceMs(): string {
  const started = performance.now();
  let x = 0;
  for (let i = 0; i < 1e8; i++) x = (x + i) | 0;
  return `1e8 integer additions ${(performance.now() - started).toFixed(1)} ms${x === 1 ? "" : ""}`;
}
console.log(`reference before: ${referenceMs()}`);

const generated = generate();
// The database returns trades in close order; "any order" is also allowed
// and costs a sort (and a copy into memory order). Both are measured.
const inCloseOrder = generated.trades.slice().sort((a, b) => a.closedAt.getTime() - b.closedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
// The analytics store's form (ADR 015): the trades packed per UTC month once, then decoded and
// selected on every run, as a view of one account does after reading the chunks (ids left unread).
const asUuid = (id: string) => `00000000-0000-4000-8000-${id.slice(1).padStart(12, "0")}`;
const byMonth = new Map<number, AnalyticsTrade[]>();
for (const t of inCloseOrder) {
  const month = Date.UTC(t.closedAt.getUTCFullYear(), t.closedAt.getUTCMonth(), 1);
  byMonth.set(month, [...(byMonth.get(month) ?? []), { ...t, id: asUuid(t.id) }]);
}
const packed = [...byMonth].map(([month, trades]) => ({ month, bytes: encodeChunk(columnsOf(trades), month) }));
console.log(
  `store: ${packed.length} monthly chunks, ${(packed.reduce((total, p) => total + p.bytes.data.byteLength, 0) / 1024).toFixed(0)} KB packed`,
);
const fromStore = (): AnalyticsSource => ({
  ...generated,
  columns: selectTrades(
    packed.map((p) => decodeChunk(p.bytes.data, p.month, null, String(p.month))),
    { fromMs: 0, toMs: 8.64e15 },
    (id) => id,
  ),
});
const variants: [string, () => AnalyticsSource][] = [
  ["trades in close order (as the database returns them)", () => ({ ...generated, trades: inCloseOrder.slice() })],
  ["trades in open order (sorted by the functions)", () => ({ ...generated, trades: generated.trades.slice() })],
  ["trades decoded from the store's monthly chunks (decoding timed in total)", fromStore],
];
console.log(
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
for (const [name, make] of variants) {
  const timings: Record<string, number[]> = {
    input: [],
    summarize: [],
    balanceCurve: [],
    dailyNet: [],
    dayHourHeatmap: [],
    breakdowns: [],
    total: [],
    "total CPU time": [],
  };
  for (let run = 0; run < RUNS; run++) {
    // A fresh input object each run: nothing is memoised across runs.
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const input = make();
    const tInput = performance.now();
    const summary = summarize(input);
    const t1 = performance.now();
    const curve = balanceCurve(input);
    const t2 = performance.now();
    const days = dailyNet(input);
    const t3 = performance.now();
    const heat = dayHourHeatmap(input);
    const t4 = performance.now();
    const rows = DIMENSIONS.map((by) => {
      const started = performance.now();
      const result = breakdown(input, by);
      (timings[`  by ${by}`] ??= []).push(performance.now() - started);
      return result;
    });
    const t5 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    const t6 = performance.now();
    balanceCurve(input, { maxPoints: 2_000 });
    (timings["  balanceCurve, 2,000 points for display"] ??= []).push(performance.now() - t6);
    timings["total CPU time"]!.push((cpu.user + cpu.system) / 1000);
    timings.input!.push(tInput - t0);
    timings.summarize!.push(t1 - tInput);
    timings.balanceCurve!.push(t2 - t1);
    timings.dailyNet!.push(t3 - t2);
    timings.dayHourHeatmap!.push(t4 - t3);
    timings.breakdowns!.push(t5 - t4);
    timings.total!.push(t5 - t0);
    if (run === 0) {
      console.log(
        `\n${TRADES} ${name}: net ${summary.netTotal}, ${curve.length} curve points, ${days.length} days, ${heat.length} cells, ${rows.flat().length} breakdown rows`,
      );
    }
  }
  // The machine is shared: the fastest run is the figure least disturbed by
  // other load, and the process's CPU time (user + system, which includes the
  // garbage collector's threads) does not count time spent waiting for a core.
  for (const [figure, values] of Object.entries(timings)) {
    const ordered = [...values].sort((a, b) => a - b);
    console.log(
      `${figure.padEnd(15)} fastest ${ordered[0]!.toFixed(1)} ms, median ${ordered[Math.floor(values.length / 2)]!.toFixed(1)} ms, first run ${values[0]!.toFixed(1)} ms (${RUNS} runs)`,
    );
  }
}

// The exact resampling bootstrap at its size limit (summarize above used the
// Cornish–Fisher form of the bootstrap distribution, TRADES > limit).
const nets = new Float64Array(EXACT_BOOTSTRAP_MAX_TRADES).map(() => (random() - 0.47) * 400);
const b0 = performance.now();
bootstrapMeanInterval(nets);
console.log(`bootstrap, 10,000 resamples of ${EXACT_BOOTSTRAP_MAX_TRADES} trades: ${(performance.now() - b0).toFixed(1)} ms`);

console.log(`reference after: ${referenceMs()}`);
