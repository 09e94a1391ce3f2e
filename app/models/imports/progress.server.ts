// Import progress, written on its own short transactions (not the import's):
// the import transaction is invisible until it commits, so the browser polls
// this row instead. Writes are throttled and never block the import.
import type pg from "pg";
import { withRlsTransaction, type DatabaseClaims, type RequestDb } from "~/lib/db.server.ts";
import { processLogger } from "~/lib/logger.server.ts";
import { isUuid } from "./uploads.server.ts";
import type { ImportProgress } from "./types.ts";

type Claims = DatabaseClaims & { sub: string };

export async function writeProgress(
  pool: pg.Pool,
  claims: Claims,
  uploadId: string,
  progress: Partial<ImportProgress> & { phase: ImportProgress["phase"] },
): Promise<void> {
  await withRlsTransaction(pool, claims, (db) =>
    db.query(
      `update public.import_uploads
          set phase = $2, progress_done = coalesce($3, progress_done), progress_total = coalesce($4, progress_total),
              progress_error = $5, batch_id = coalesce($6, batch_id), progress_updated_at = now()
        where id = $1`,
      [uploadId, progress.phase, progress.done ?? null, progress.total ?? null, progress.error ?? null, progress.batchId ?? null],
    ),
  );
}

export async function readProgress(db: RequestDb, uploadId: string): Promise<ImportProgress | null> {
  if (!isUuid(uploadId)) return null;
  const { rows } = await db.query("select phase, progress_done, progress_total, progress_error, batch_id from public.import_uploads where id = $1", [
    uploadId,
  ]);
  const row = rows[0];
  if (!row) return null;
  return { phase: row.phase, done: row.progress_done, total: row.progress_total, error: row.progress_error, batchId: row.batch_id };
}

/** A reporter for one import: at most one write in flight and one every `intervalMs`; the last value always lands. */
export function createProgressReporter(pool: pg.Pool, claims: Claims, uploadId: string, intervalMs = 200) {
  let pending: (Partial<ImportProgress> & { phase: ImportProgress["phase"] }) | null = null;
  let inFlight: Promise<void> | null = null;
  let lastWrite = 0;

  const flush = (): Promise<void> => {
    if (inFlight || !pending) return inFlight ?? Promise.resolve();
    const next = pending;
    pending = null;
    lastWrite = Date.now();
    inFlight = writeProgress(pool, claims, uploadId, next)
      .catch((error: unknown) => processLogger().error({ err: error }, "import: progress write failed"))
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };

  return {
    report(progress: Partial<ImportProgress> & { phase: ImportProgress["phase"] }): void {
      pending = progress;
      if (Date.now() - lastWrite >= intervalMs) void flush();
    },
    /** Waits for writes in flight, then writes the latest value. */
    async settle(progress?: Partial<ImportProgress> & { phase: ImportProgress["phase"] }): Promise<void> {
      if (progress) pending = progress;
      while (inFlight) await inFlight;
      await flush();
      while (inFlight) await inFlight;
    },
  };
}
