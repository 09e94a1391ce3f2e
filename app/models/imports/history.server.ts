// Import history, one batch's result, undo, and the rejected rows as CSV.
import type { RejectedRow } from "~/domain/trades/types.ts";
import type { DatabaseClaims, RequestDb } from "~/lib/db.server.ts";
import type { ImportBatchSummary } from "./types.ts";
import { isUuid } from "./uploads.server.ts";

type Claims = DatabaseClaims & { sub: string };

const SUMMARY_COLUMNS = `
  b.id, b.created_at, b.file_name, b.format, b.account_id, a.name as account_name, b.status,
  b.imported_count, b.duplicate_count, b.updated_count, b.rejected_count, b.cash_count, b.undone_at`;

function toSummary(row: Record<string, unknown>): ImportBatchSummary {
  return {
    id: row.id as string,
    createdAt: (row.created_at as Date).toISOString(),
    fileName: row.file_name as string | null,
    format: row.format as ImportBatchSummary["format"],
    accountId: row.account_id as string,
    accountName: row.account_name as string,
    status: row.status as ImportBatchSummary["status"],
    imported: row.imported_count as number,
    duplicates: row.duplicate_count as number,
    updated: row.updated_count as number,
    rejected: row.rejected_count as number,
    cashImported: row.cash_count as number,
    undoneAt: row.undone_at ? (row.undone_at as Date).toISOString() : null,
  };
}

export async function listImportBatches(db: RequestDb, claims: Claims, limit = 100): Promise<ImportBatchSummary[]> {
  const { rows } = await db.query(
    `select ${SUMMARY_COLUMNS} from public.import_batches b join public.accounts a on a.id = b.account_id
      where b.user_id = $1 order by b.created_at desc limit $2`,
    [claims.sub, limit],
  );
  return rows.map(toSummary);
}

export async function loadImportBatch(db: RequestDb, claims: Claims, batchId: string): Promise<ImportBatchSummary | null> {
  if (!isUuid(batchId)) return Promise.resolve(null);
  const { rows } = await db.query(
    `select ${SUMMARY_COLUMNS} from public.import_batches b join public.accounts a on a.id = b.account_id where b.id = $1`,
    [batchId],
  );
  return rows[0] ? toSummary(rows[0]) : null;
}

/** Deletes the batch's trades (legs and journals cascade) and cash rows; a second undo changes nothing. */
export async function undoImportBatch(
  db: RequestDb,
  claims: Claims,
  batchId: string,
): Promise<{ tradesDeleted: number; cashDeleted: number } | null> {
  if (!isUuid(batchId)) return Promise.resolve(null);
  const visible = await db.query("select 1 from public.import_batches where id = $1", [batchId]);
  if (!visible.rowCount) return null;
  const { rows } = await db.query<{ trades_deleted: number; cash_deleted: number }>(
    "select trades_deleted, cash_deleted from public.undo_import_batch($1)",
    [batchId],
  );
  return { tradesDeleted: rows[0]?.trades_deleted ?? 0, cashDeleted: rows[0]?.cash_deleted ?? 0 };
}

export async function loadRejectedRows(
  db: RequestDb,
  claims: Claims,
  batchId: string,
): Promise<{ fileName: string | null; rows: RejectedRow[] } | null> {
  if (!isUuid(batchId)) return Promise.resolve(null);
  const { rows } = await db.query<{ file_name: string | null; rejected_rows: RejectedRow[] }>(
    "select file_name, rejected_rows from public.import_batches where id = $1",
    [batchId],
  );
  return rows[0] ? { fileName: rows[0].file_name, rows: rows[0].rejected_rows } : null;
}
