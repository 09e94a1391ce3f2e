// A report's second read (app/domain/imports/mt5-report/index.ts): when some
// deals match no position — the usual report whose period starts with
// positions already open — their printed values are read again from the
// file for the rejected-rows download. The second read skips every other row
// (xlsx.ts `skipRow`); this compares it, in one process and alternating, with
// reading every row in full as it used to, and with the whole first read.
// `npx tsx bench/xlsx-second-read.ts [positions]` (default 100000).
import { planMt5XlsxReport } from "../app/domain/imports/mt5-report/index.ts";
import { forEachXlsxRowAsync } from "../app/domain/imports/xlsx.ts";
import { inflateWithZlib } from "../app/models/imports/node-inflate.server.ts";
import { loadAverage, percentile } from "./support/stats.ts";
import { benchReport } from "./support/bench-report.ts";

const POSITIONS = Number(process.argv[2] ?? 100_000);
const ROUNDS = 5;
const bytes = await benchReport(POSITIONS);
const options = { serverTimeZone: "NY+7", marginMode: "hedging" as const, accountCurrency: "USD" };

// Three rows spread over the Deals section, as a few orphan deals would be.
let rows = 0;
await forEachXlsxRowAsync(bytes, (_, rowNumber) => void (rows = rowNumber), inflateWithZlib, { reuseCells: true });
const wanted = new Set([Math.round(rows * 0.6), Math.round(rows * 0.8), rows - 300]);

const times: Record<"plan" | "every row" | "skipping", number[]> = { plan: [], "every row": [], skipping: [] };
for (let round = 0; round < ROUNDS; round++) {
  let started = performance.now();
  await planMt5XlsxReport(bytes, options, inflateWithZlib);
  times.plan.push(performance.now() - started);
  started = performance.now();
  let found = 0;
  await forEachXlsxRowAsync(bytes, (_, rowNumber) => void (wanted.has(rowNumber) && found++), inflateWithZlib);
  times["every row"].push(performance.now() - started);
  started = performance.now();
  let skippedFound = 0;
  await forEachXlsxRowAsync(bytes, () => void skippedFound++, inflateWithZlib, { reuseCells: true, skipRow: (rowNumber) => !wanted.has(rowNumber) });
  times.skipping.push(performance.now() - started);
  if (found !== wanted.size || skippedFound !== wanted.size) throw new Error(`expected ${wanted.size} rows, read ${found} and ${skippedFound}`);
}
console.log(`${POSITIONS} positions, ${rows} worksheet rows, ${ROUNDS} rounds, medians (load ${loadAverage()}):`);
console.log(`  first read (the whole plan):          ${percentile(times.plan, 50).toFixed(0)} ms`);
console.log(`  second read, every row read:          ${percentile(times["every row"], 50).toFixed(0)} ms`);
console.log(`  second read, other rows skipped:      ${percentile(times.skipping, 50).toFixed(0)} ms`);
