// Import figures (issue 5), end to end through the built app on remix-serve
// over HTTP with a real session cookie:
//  - an MT5 report with 100,000 positions (generateMt5Report, XLSX): upload
//    (multipart POST /trades/import → staged) + confirm (POST
//    /trades/import/$id: parse, validate, dedupe, store in one transaction)
//    — target < 8 s, and < 400 MB peak RSS of the app server process
//    (VmHWM from /proc/<pid>/status, reset before each run via clear_refs);
//  - the preview (GET /trades/import/$id: parse + duplicate count), reported
//    beside it because a person sees it between the two steps;
//  - a re-import of the same file (all duplicates) — target < 4 s.
//
// PostgreSQL runs as it does for real: durable (fsync, synchronous commit and
// full-page writes on). BENCH_IMPORT_DURABILITY=off runs the same with them
// off (the test clusters' setting), for comparison only. The machine's load
// average is sampled during each run and printed beside the figures (the
// machine is shared: wall-clock figures move with it, peak memory does not).
//
// Beside the wall-clock figures it prints the CPU PostgreSQL spent during the
// confirm (all the cluster's processes, from /proc), where the first import's
// time goes. BENCH_IMPORT_WITHOUT_LIST_INDEXES=1 drops the trade list's 14
// (user_id, column, id) indexes first — a diagnostic of what they cost an
// import, never a figure to quote as the import's.
//
// `npx tsx bench/import.ts [positions]` (default 100000);
// BENCH_IMPORT_FORMAT=json uses our JSON format instead of the XLSX report.
import { readdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startBenchStack } from "./support/app-stack.ts";
import { benchReport } from "./support/bench-report.ts";

const POSITIONS = Number(process.argv[2] ?? 100_000);
const FORMAT = process.env.BENCH_IMPORT_FORMAT === "json" ? "json" : "xlsx";
const DURABLE = process.env.BENCH_IMPORT_DURABILITY !== "off";

// The file first, before any server runs, so its generation is not measured.
async function reportFile(): Promise<{ name: string; bytes: Uint8Array }> {
  if (FORMAT === "xlsx") return { name: "ReportHistory-bench.xlsx", bytes: await benchReport(POSITIONS) };
  const start = Date.UTC(2024, 0, 2, 8);
  const trades = Array.from({ length: POSITIONS }, (_, i) => {
    const open = new Date(start + i * 300_000).toISOString();
    const close = new Date(start + i * 300_000 + 120_000).toISOString();
    return {
      positionId: String(10_000_000 + i),
      symbol: i % 3 ? "EURUSD" : "XAUUSD",
      side: i % 2 ? "sell" : "buy",
      openTime: open,
      closeTime: close,
      volume: "0.1",
      openPrice: "1.08250",
      closePrice: "1.08310",
      profit: "6.00",
      commission: "-0.70",
      swap: "0",
      fee: "0",
    };
  });
  return { name: "bench.json", bytes: new TextEncoder().encode(JSON.stringify(trades)) };
}
const generateStarted = performance.now();
const file = await reportFile();
const generateMs = performance.now() - generateStarted;

const stack = await startBenchStack("import", { fast: !DURABLE });
const { appUrl } = stack;

const LIST_INDEXES = [
  "closed",
  "opened",
  "symbol",
  "status",
  "session",
  "net_profit",
  "direction",
  "volume",
  "entry_price",
  "exit_price",
  "pips",
  "duration",
  "account_closed",
  "result",
].map((column) => `public.trades_user_${column}_idx`);
const withoutListIndexes = process.env.BENCH_IMPORT_WITHOUT_LIST_INDEXES === "1";
if (withoutListIndexes) {
  const owner = new pg.Client({ connectionString: stack.databaseUrl });
  await owner.connect();
  await owner.query(`drop index ${LIST_INDEXES.join(", ")}`);
  await owner.end();
}

/** CPU (ms) used so far by the cluster's processes: the postmaster and its children. */
async function postgresCpuMs(): Promise<number> {
  const postmaster = Number((await readFile(path.join(stack.dataDir, "postgres", "postmaster.pid"), "utf8")).split("\n")[0]);
  const ticks = 100; // USER_HZ
  let total = 0;
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(entry) !== postmaster && Number(fields[1]) !== postmaster) continue;
    total += ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks;
  }
  return total;
}

// A Pro trader (no monthly limit) with one account, signed in through the form.
const email = "bench@example.test";
const password = "bench-password-1";
const userId = await stack.createUser(email, password, "pro");
const owner = new pg.Client({ connectionString: stack.databaseUrl });
await owner.connect();
const { rows: accountRows } = await owner.query<{ id: string }>(
  "insert into public.accounts (user_id, name, server_time_zone) values ($1, 'Bench', 'NY+7') returning id",
  [userId],
);
const accountId = accountRows[0]!.id;
const cookie = await stack.signIn(email, password);

const { serverPid } = stack;
const status = async () => await readFile(`/proc/${serverPid}/status`, "utf8");
const kb = (text: string, field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(text)?.[1] ?? NaN);
/** Resets the peak RSS of the app server (Linux: writing 5 to clear_refs). */
const resetPeak = () => writeFile(`/proc/${serverPid}/clear_refs`, "5").catch(() => {});
const mb = (kilobytes: number) => +(kilobytes / 1024).toFixed(1);

async function upload(): Promise<string> {
  const form = new FormData();
  form.set("accountId", accountId);
  form.set("file", new Blob([file.bytes as Uint8Array<ArrayBuffer>]), file.name);
  const response = await fetch(`${appUrl}/trades/import`, { method: "POST", body: form, headers: { cookie, Origin: appUrl }, redirect: "manual" });
  const location = response.headers.get("location") ?? "";
  if (response.status !== 302 || !/\/trades\/import\/[0-9a-f-]{36}$/.test(location)) {
    const html = await response.text();
    const alert = /role="alert"[^>]*>([^<]*)/.exec(html)?.[1] ?? html.slice(0, 300);
    throw new Error(`upload answered ${response.status} ${location}: ${alert}`);
  }
  return location.split("/").pop()!;
}

async function preview(uploadId: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${appUrl}/trades/import/${uploadId}.data`, { headers: { cookie } });
  const body = await response.text();
  if (response.status !== 200 || !body.includes("ready")) throw new Error(`preview answered ${response.status}: ${body.slice(0, 500)}`);
  return performance.now() - started;
}

let lastTiming: Record<string, number> = {};
async function confirm(uploadId: string): Promise<string> {
  const response = await fetch(`${appUrl}/trades/import/${uploadId}`, {
    method: "POST",
    body: new URLSearchParams({ intent: "import", accountId }),
    headers: { cookie, Origin: appUrl },
    redirect: "manual",
  });
  const location = response.headers.get("location") ?? "";
  if (response.status !== 302 || !location.includes("/trades/imports/")) {
    const html = await response.text();
    const alert = /role="alert"[^>]*>([^<]*)/.exec(html)?.[1] ?? html.slice(0, 300);
    throw new Error(`confirm answered ${response.status} ${location}: ${alert}`);
  }
  const timing = response.headers.get("server-timing") ?? "";
  lastTiming = Object.fromEntries([...timing.matchAll(/(\w+);dur=(\d+)/g)].map((m) => [`${m[1]}Ms`, Number(m[2])]));
  return location.split("/").pop()!;
}

/** The machine's load average while `work` runs (sampled every second; other engineers share the machine). */
async function underLoad<T>(work: () => Promise<T>): Promise<{ result: T; load: { start: number; min: number; max: number; end: number } }> {
  const samples = [os.loadavg()[0]!];
  const sampler = setInterval(() => samples.push(os.loadavg()[0]!), 1000);
  try {
    const result = await work();
    samples.push(os.loadavg()[0]!);
    return { result, load: { start: samples[0]!, min: Math.min(...samples), max: Math.max(...samples), end: samples.at(-1)! } };
  } finally {
    clearInterval(sampler);
  }
}

async function run(label: string) {
  await resetPeak();
  const before = kb(await status(), "VmRSS");
  const started = performance.now();
  const uploadId = await upload();
  const uploadedMs = performance.now() - started;
  const postgresBefore = await postgresCpuMs();
  const confirmStarted = performance.now();
  const batchId = await confirm(uploadId);
  const confirmMs = performance.now() - confirmStarted;
  const postgresConfirmCpuMs = Math.round((await postgresCpuMs()) - postgresBefore);
  const totalMs = performance.now() - started;
  const peak = kb(await status(), "VmHWM");
  const { rows } = await owner.query("select imported_count, duplicate_count, rejected_count, cash_count from public.import_batches where id = $1", [
    batchId,
  ]);
  // The preview of a fresh upload of the same file, measured on its own.
  const previewMs = await preview(await upload());
  return {
    label,
    uploadMs: +uploadedMs.toFixed(0),
    confirmMs: +confirmMs.toFixed(0),
    confirmServerTiming: lastTiming,
    postgresConfirmCpuMs,
    uploadAndConfirmMs: +totalMs.toFixed(0),
    previewMs: +previewMs.toFixed(0),
    serverRssBeforeMb: mb(before),
    serverPeakRssMb: mb(peak),
    batch: rows[0],
  };
}

const { result: first, load: firstLoad } = await underLoad(() => run("first import"));
const { result: again, load: againLoad } = await underLoad(() => run("re-import (all duplicates)"));
const trades = (await owner.query("select count(*)::int as n from public.trades where user_id = $1", [userId])).rows[0].n;

console.log(
  JSON.stringify(
    {
      positions: POSITIONS,
      format: FORMAT,
      ...(withoutListIndexes ? { diagnostic: "WITHOUT the trade list's 14 indexes: not the import's figure" } : {}),
      postgres: DURABLE ? "durable (fsync, synchronous_commit, full_page_writes on)" : "fsync, synchronous_commit and full_page_writes OFF",
      loadAverage: { firstImport: firstLoad, reimport: againLoad, cores: os.cpus().length },
      fileMb: +(file.bytes.byteLength / 1024 / 1024).toFixed(1),
      generateMs: +generateMs.toFixed(0),
      first,
      again,
      tradesStored: trades,
      targets: { firstImportMs: 8000, peakRssMb: 400, reimportMs: 4000 },
      met: first.uploadAndConfirmMs < 8000 && first.serverPeakRssMb < 400 && again.uploadAndConfirmMs < 4000,
    },
    null,
    2,
  ),
);

await owner.end();
await stack.stop();
