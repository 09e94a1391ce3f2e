// Confirming an import: parse the staged file again (the bytes are the source
// of truth, not what the browser saw), then write the batch row, trades, legs
// and cash in ONE transaction as the user. Any failure rolls all of it back:
// no partial batch, nothing already saved touched. Progress goes to the
// upload row over other connections so the page can show it meanwhile.
//
// The trades are built chunk by chunk from the parse (import-plan.ts) while
// the previous chunk is written, so a 100 000-trade file never holds all its
// TradeInputs at once.
//
// This is the one user path that does not use the request's transaction
// (requireUserDb, ADR 002): the store must not hold the action's snapshot
// across a minutes-long parse, and its progress must commit on other
// connections while the store's own transaction is still open.
import type pg from "pg";
import { PLANS } from "~/domain/entitlements.ts";
import { AppError } from "~/lib/app-error.ts";
import { plural } from "~/lib/format.ts";
import { withRlsTransaction, type DatabaseClaims, type RequestDb } from "~/lib/db.server.ts";
import { processLogger } from "~/lib/logger.server.ts";
import { countExistingTrades, storeTradeChunks, type StoreResult } from "../trade-store.server.ts";
import { monthlyAllowance } from "./allowance.server.ts";
import { loadImportAccount, planStagedFile, type ParseFile, type PlanFile } from "./parse-staged.server.ts";
import { parseUpload } from "./preview.server.ts";
import { uploadStored } from "./parsed-uploads.server.ts";
import { createProgressReporter } from "./progress.server.ts";
import { storeReconciliation } from "./reconciliation.server.ts";
import { loadUpload, releaseUploadBytes } from "./uploads.server.ts";

type Claims = DatabaseClaims & { sub: string };

/** Trades built from the parse at a time while storing (the store gathers them into statements). */
const TRADES_PER_BUILD = 250;

export interface ImportOutcome {
  batchId: string;
  result: StoreResult;
  rejected: number;
  /** True when this upload had been imported already (a repeated confirm). */
  repeated: boolean;
  /** Where the time went, for the Server-Timing header (milliseconds): loading the staged file, parsing, storing, and settling after. */
  timings: ImportTimings;
}

export interface ImportTimings {
  loadMs: number;
  parseMs: number;
  storeMs: number;
  finishMs: number;
}

const NO_TIMINGS: ImportTimings = { loadMs: 0, parseMs: 0, storeMs: 0, finishMs: 0 };

export interface RunImportOptions {
  uploadId: string;
  accountId: string;
  parse?: ParseFile | PlanFile;
  /** Pool for progress writes; defaults to `pool` (a different connection either way). */
  progressPool?: pg.Pool;
}

function pgCode(error: unknown): string | undefined {
  return (error as { code?: string } | null)?.code;
}

/** Each statement in a short transaction of its own: the parse between them holds no connection. */
function statementAtATime(pool: pg.Pool, claims: Claims): RequestDb {
  return { query: (text, values) => withRlsTransaction(pool, claims, (db) => db.query(text, values)) };
}

async function existingBatchFor(pool: pg.Pool, claims: Claims, uploadId: string): Promise<string | null> {
  return withRlsTransaction(pool, claims, async (db) => {
    const { rows } = await db.query<{ id: string }>("select id from public.import_batches where upload_id = $1", [uploadId]);
    return rows[0]?.id ?? null;
  });
}

export async function runImport(pool: pg.Pool, claims: Claims, options: RunImportOptions): Promise<ImportOutcome> {
  const { uploadId, accountId, parse = planStagedFile } = options;
  const loadStarted = performance.now();
  const upload = await withRlsTransaction(pool, claims, (db) => loadUpload(db, claims, uploadId));
  if (!upload) throw new AppError("not_found", "This upload has expired. Upload the file again.");
  const already = upload.batchId ?? (await existingBatchFor(pool, claims, uploadId));
  if (already)
    return {
      batchId: already,
      result: { inserted: 0, duplicates: 0, updated: 0, cashInserted: 0, cashDuplicates: 0 },
      rejected: 0,
      repeated: true,
      timings: NO_TIMINGS,
    };

  const progress = createProgressReporter(options.progressPool ?? pool, claims, uploadId);
  progress.report({ phase: "parsing", done: 0, total: 0 });

  const account = await withRlsTransaction(pool, claims, (db) => loadImportAccount(db, claims.sub, accountId));
  if (!account) throw new AppError("bad_request", "Choose one of your accounts to import into.");
  const parseStarted = performance.now();
  const loadMs = parseStarted - loadStarted;
  const outcome = await parseUpload(statementAtATime(pool, claims), claims, upload, account, parse);
  const parseMs = performance.now() - parseStarted;
  // The file is parsed (the plan keeps nothing of its bytes): free them before the store.
  releaseUploadBytes(upload);
  if (!outcome.ok) {
    await progress.settle({ phase: "failed", error: outcome.error.message });
    throw new AppError("bad_request", outcome.error.message);
  }
  const parsed = outcome.plan;
  if (parsed.tradeCount + parsed.cash.length === 0) {
    const message = "This file has no trades or balance rows to import.";
    await progress.settle({ phase: "failed", error: message });
    throw new AppError("bad_request", message);
  }
  const total = parsed.tradeCount + parsed.cash.length;
  progress.report({ phase: "storing", done: 0, total });

  let batchId: string;
  let result: StoreResult;
  const storeStarted = performance.now();
  try {
    ({ batchId, result } = await withRlsTransaction(pool, claims, async (db) => {
      const { rows } = await db.query<{ id: string }>(
        `insert into public.import_batches (user_id, account_id, format, file_name, file_sha256, file_size_bytes, language, upload_id, rejected_count, rejected_rows)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
        [
          claims.sub,
          account.id,
          parsed.format,
          upload.fileName,
          upload.sha256,
          upload.sizeBytes,
          parsed.language,
          uploadId,
          parsed.rejected.length,
          JSON.stringify(parsed.rejected),
        ],
      );
      const id = rows[0]!.id;
      const stored = await storeTradeChunks(
        db,
        { userId: claims.sub, accountId: account.id, source: "file", importBatchId: id },
        // Small chunks: each one's TradeInputs are serialised and dropped before the next is built.
        // Positions already stored and settled are not even built (a re-import).
        {
          chunks: (settled) => parsed.tradeChunks(TRADES_PER_BUILD, settled),
          tradeCount: parsed.tradeCount,
          positionIds: parsed.positionIds,
          cash: parsed.cash,
        },
        (p) => progress.report({ phase: "storing", done: p.done, total: p.total }),
      );
      await storeReconciliation(db, id, account.id, parsed);
      await db.query(
        `update public.import_batches
            set status = 'completed', completed_at = now(), imported_count = $2, duplicate_count = $3, updated_count = $4,
                cash_count = $5, cash_duplicate_count = $6
          where id = $1`,
        [id, stored.inserted, stored.duplicates, stored.updated, stored.cashInserted, stored.cashDuplicates],
      );
      return { batchId: id, result: stored };
    }));
  } catch (error) {
    // A confirm sent twice: the other request imported it while this one waited.
    if (pgCode(error) === "23505" && /upload_id/.test(String((error as { constraint?: string }).constraint ?? error))) {
      const existing = await existingBatchFor(pool, claims, uploadId);
      if (existing) await progress.settle({ phase: "done", done: total, total, batchId: existing });
      if (existing)
        return {
          batchId: existing,
          result: { inserted: 0, duplicates: 0, updated: 0, cashInserted: 0, cashDuplicates: 0 },
          rejected: 0,
          repeated: true,
          timings: NO_TIMINGS,
        };
    }
    if (pgCode(error) === "RJ005") {
      // An account kept read-only after a downgrade (billing migration): the database names it.
      const message = (error as { detail?: string }).detail ?? "This account is read-only on your plan. Upgrade to add trades to it.";
      await progress.settle({ phase: "failed", error: message });
      throw new AppError("forbidden", message, { hint: "upgrade", cause: error });
    }
    if (pgCode(error) === "RJ001") {
      const message = await freePlanRefusal(pool, claims, account.id, parsed.positionIds);
      await progress.settle({ phase: "failed", error: message });
      throw new AppError("forbidden", message, { hint: "upgrade", cause: error });
    }
    processLogger().error({ err: error, uploadId }, "import: upload failed");
    // A row the database refused (a check or constraint) names the rule it broke.
    const rule = (error as { constraint?: string }).constraint;
    const message =
      "The import failed and nothing was saved" +
      (rule ? `: the database refused a row of this file (${rule}).` : ".") +
      " Try again; if it keeps failing, send us the file.";
    await progress.settle({ phase: "failed", error: message });
    throw new AppError("internal", message, { cause: error });
  }
  const finishStarted = performance.now();
  const storeMs = finishStarted - storeStarted;
  uploadStored(uploadId);
  await progress.settle({ phase: "done", done: total, total, batchId });
  // The bytes are not needed any more; the batch keeps the file's name, size and hash.
  await withRlsTransaction(pool, claims, (db) => db.query("update public.import_uploads set bytes = null where id = $1", [uploadId]));
  const finishMs = performance.now() - finishStarted;
  return { batchId, result, rejected: parsed.rejected.length, repeated: false, timings: { loadMs, parseMs, storeMs, finishMs } };
}

async function freePlanRefusal(pool: pg.Pool, claims: Claims, accountId: string, positionIds: string[]): Promise<string> {
  const { fresh, left } = await withRlsTransaction(pool, claims, async (db) => ({
    fresh: positionIds.length - (await countExistingTrades(db, accountId, positionIds)),
    left: (await monthlyAllowance(db, claims.sub)).left ?? 0,
  }));
  return (
    `This file has ${plural(fresh, "new trade")}, and the free plan allows ${PLANS.free.monthlyTradeLimit} trades a month: you have ${plural(left, "trade")} left this month. ` +
    "Nothing was imported. Upgrade to Pro for unlimited trades, then import the file again."
  );
}
