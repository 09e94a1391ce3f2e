// What planning the bench's 100,000-position MT5 XLSX report costs in this
// process: CPU time (process.cpuUsage, every thread, Node's zlib included)
// and peak RSS, for the plan the preview waits on and then for building every
// trade in chunks as the confirm does. CPU time and peak memory, not wall
// time: the figures mean something on a shared machine.
// `npx tsx --expose-gc bench/xlsx-parse.ts [positions]` (default 100000).
import { loadavg } from "node:os";
import { planImportFile } from "../app/domain/imports/parse-import.ts";
import { inflateWithZlib } from "../app/models/imports/node-inflate.server.ts";
import { benchReport } from "./support/bench-report.ts";

const POSITIONS = Number(process.argv[2] ?? 100_000);
const bytes = await benchReport(POSITIONS);
const options = { serverTimeZone: "NY+7", marginMode: "hedging" as const, accountCurrency: "USD" };
const megabytes = (bytes: number) => Math.round(bytes / 1e6);
const cpuMs = (usage: NodeJS.CpuUsage) => Math.round((usage.user + usage.system) / 1000);

global.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const rssBefore = process.memoryUsage().rss;
let started = process.cpuUsage();
const wallStarted = performance.now();
const outcome = await planImportFile(bytes, options, { inflate: inflateWithZlib });
const planWallMs = Math.round(performance.now() - wallStarted);
const planCpu = process.cpuUsage(started);
const planPeakRss = process.resourceUsage().maxRSS * 1024;
if (!outcome.ok) throw new Error(outcome.error.message);
const { plan } = outcome;
if (plan.tradeCount !== POSITIONS) throw new Error(`planned ${plan.tradeCount} trades, not ${POSITIONS}`);
global.gc?.();
const planHeap = process.memoryUsage().heapUsed - heapBefore;
started = process.cpuUsage();
let built = 0;
for (const chunk of plan.tradeChunks(5000)) built += chunk.length;
const buildCpu = process.cpuUsage(started);
console.log(
  JSON.stringify({
    positions: POSITIONS,
    planCpuMs: cpuMs(planCpu),
    planWallMs,
    planPeakRssMB: megabytes(planPeakRss),
    keptPlanHeapMB: global.gc ? megabytes(planHeap) : null,
    buildCpuMs: cpuMs(buildCpu),
    built,
    peakRssMB: megabytes(process.resourceUsage().maxRSS * 1024),
    rssBeforeMB: megabytes(rssBefore),
    load: loadavg()[0].toFixed(2),
  }),
);
