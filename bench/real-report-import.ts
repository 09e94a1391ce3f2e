// The largest real report in the corpus (issue 17: metaquotes-bg-en
// ReportHistory-70358000.html, 1.3 MB of HTML, 658 closed + 85 open
// positions, 1,402 deal rows) imported end to end through the import page's
// model functions: format detection, stageUpload, runImport (parse, match,
// dedupe, store, reconcile) into a fresh account — target < 1 s. Then a
// re-import of the same file into the same account (all duplicates).
// PostgreSQL runs durable (fsync and synchronous commit on), as it does for real.
//
// `npx tsx bench/real-report-import.ts [rounds]` (default 10).
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { detectImportFormat } from "../app/domain/imports/parse-import.ts";
import { withRlsTransaction } from "../app/lib/db.server.ts";
import { runImport } from "../app/models/imports/run-import.server.ts";
import { stageUpload } from "../app/models/imports/uploads.server.ts";
import { REPO_ROOT, runBootstrap } from "../supabase/local/database.ts";
import { freePort } from "../supabase/local/free-port.ts";
import { startLocalPostgres } from "../supabase/local/postgres.ts";
import { migrate } from "../supabase/migrate.ts";
import { createAccount, createUser } from "../tests/support/fixtures.ts";
import { loadAverage, summary } from "./support/stats.ts";

const ROUNDS = Number(process.argv[2] ?? 10);
const FILE = path.join(REPO_ROOT, "tests/fixtures/real/public/metaquotes-bg-en/ReportHistory-70358000.html");
const TARGET_MS = 1000;

const bytes = new Uint8Array(await readFile(FILE));
const dataDir = path.join(REPO_ROOT, ".data/bench-real-report-import");
await rm(dataDir, { recursive: true, force: true });
const cluster = await startLocalPostgres({ dataDir: path.join(dataDir, "postgres"), port: await freePort(), fast: false });
const owner = new pg.Pool({ connectionString: cluster.url, max: 2 });
const appUrl = new URL(cluster.url);
appUrl.username = "authenticator";
const appPool = new pg.Pool({ connectionString: appUrl.toString(), max: 4 });

try {
  await runBootstrap(cluster.url);
  await migrate(cluster.url);
  const userId = await createUser(owner, { tier: "elite" });
  const claims = { role: "authenticated", sub: userId, aud: "authenticated" };

  async function importInto(accountId: string) {
    const started = performance.now();
    const detected = detectImportFormat(bytes);
    if (!detected.ok) throw new Error(detected.error.message);
    const uploadId = await withRlsTransaction(appPool, claims, (db) =>
      stageUpload(db, claims, { fileName: "ReportHistory-70358000.html", bytes, accountId, detectedFormat: detected.format }),
    );
    const outcome = await runImport(appPool, claims, { uploadId, accountId });
    return { ms: performance.now() - started, outcome };
  }

  const first: number[] = [];
  const parse: number[] = [];
  const store: number[] = [];
  const again: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const accountId = await createAccount(owner, userId, { name: `Bench ${round}`, currency: "EUR" });
    const run = await importInto(accountId);
    if (run.outcome.result.inserted !== 743) throw new Error(`expected 743 trades, stored ${run.outcome.result.inserted}`);
    const rerun = await importInto(accountId);
    if (rerun.outcome.result.inserted !== 0) throw new Error(`re-import stored ${rerun.outcome.result.inserted}`);
    if (round === 0) continue; // warm-up: module and plan caches
    first.push(run.ms);
    parse.push(run.outcome.timings.parseMs);
    store.push(run.outcome.timings.storeMs);
    again.push(rerun.ms);
  }
  const line = (label: string, values: number[]) => {
    const s = summary(values);
    console.log(
      `${label.padEnd(34)} p50 ${s.p50.toFixed(0).padStart(4)} ms  p95 ${s.p95.toFixed(0).padStart(4)} ms  max ${s.max.toFixed(0).padStart(4)} ms`,
    );
  };
  console.log(`real report import: ${(bytes.length / 1024 / 1024).toFixed(2)} MB HTML, 743 positions, ${ROUNDS} rounds, load ${loadAverage()}`);
  line("first import, end to end", first);
  line("  of which parse", parse);
  line("  of which store", store);
  line("re-import (all duplicates)", again);
  const worst = summary(first).p95;
  console.log(worst < TARGET_MS ? `✓ p95 ${worst.toFixed(0)} ms < ${TARGET_MS} ms` : `✗ p95 ${worst.toFixed(0)} ms ≥ ${TARGET_MS} ms`);
  if (worst >= TARGET_MS) process.exitCode = 1;
} finally {
  await appPool.end();
  await owner.end();
  await cluster.stop();
}
