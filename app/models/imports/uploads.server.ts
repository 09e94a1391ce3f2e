// Staged uploads: the file bytes wait in public.import_uploads (for a day)
// between the upload and the confirm step, read and written as the user.
import { createHash } from "node:crypto";
import type { DatabaseClaims } from "~/lib/db.server.ts";
import type { RequestDb } from "~/lib/db.server.ts";
import type { ImportFormat } from "~/domain/trades/types.ts";
import type { ColumnMapping } from "~/domain/imports/parse-options.ts";
import { handOverUploadBytes, hasKeptParse, takeUploadBytes } from "./parsed-uploads.server.ts";
import type { ImportAccountOption } from "./types.ts";

type Claims = DatabaseClaims & { sub: string };

export interface StagedUpload {
  id: string;
  accountId: string | null;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  /** The file, when loaded; null when not asked for, not read yet (see hasBytes) or gone. */
  bytes: Uint8Array | null;
  /** Whether the staged file still has its bytes (the import has not consumed them). */
  hasBytes: boolean;
  detectedFormat: ImportFormat | null;
  columnMapping: ColumnMapping | null;
  batchId: string | null;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Keeps the name a person recognises, without paths or control characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  // eslint-disable-next-line no-control-regex
  const controls = /[\u0000-\u001f\u007f]/g;
  const clean = base.replace(controls, "").trim().slice(0, 255);
  return clean || "upload";
}

export async function stageUpload(
  db: RequestDb,
  claims: Claims,
  upload: {
    fileName: string;
    bytes: Uint8Array;
    accountId: string | null;
    detectedFormat: ImportFormat | null;
    /** Keep the bytes in this process for the preview too, so it need not read them back (parsed-uploads.server.ts). */
    handOver?: boolean;
    /** The bytes' SHA-256, when the caller has it already. */
    sha256?: string;
  },
): Promise<string> {
  const sha256 = upload.sha256 ?? sha256Hex(upload.bytes);
  // Expired uploads of this user go first: nobody can confirm them any more.
  await db.query("delete from public.import_uploads where user_id = $1 and expires_at < now()", [claims.sub]);
  const { rows } = await db.query<{ id: string }>(
    `insert into public.import_uploads (user_id, account_id, file_name, size_bytes, sha256, bytes, detected_format)
     values ($1, $2, $3, $4, $5, $6, $7) returning id`,
    [
      claims.sub,
      upload.accountId,
      cleanFileName(upload.fileName),
      upload.bytes.byteLength,
      sha256,
      Buffer.from(upload.bytes.buffer, upload.bytes.byteOffset, upload.bytes.byteLength),
      upload.detectedFormat,
    ],
  );
  const id = rows[0]!.id;
  if (upload.handOver) handOverUploadBytes({ userId: claims.sub, uploadId: id, sha256 }, upload.bytes);
  return id;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string | undefined | null): value is string {
  return !!value && UUID.test(value);
}

/** Bytes per slice when a staged file is read back. */
const SLICE_BYTES = 8 * 1024 * 1024;

/**
 * The staged file, read in slices into one buffer of its own (never a slice
 * of Node's shared Buffer pool), so releaseUploadBytes can free it at once.
 * Slices travel as base64 text: bytea's own text form (hex) is twice the
 * size and slower to decode, and the whole file as one value would be a
 * 100 MB string.
 */
async function readStagedBytes(db: Pick<RequestDb, "query">, uploadId: string, size: number): Promise<Uint8Array> {
  const bytes = Buffer.from(new ArrayBuffer(size));
  let filled = 0;
  while (filled < size) {
    const { rows } = await db.query<{ part: string | null }>(
      "select encode(substring(bytes from $2 for $3), 'base64') as part from public.import_uploads where id = $1",
      [uploadId, filled + 1, Math.min(SLICE_BYTES, size - filled)],
    );
    const part = rows[0]?.part;
    if (!part) break;
    // Node's decoder skips the line breaks PostgreSQL puts in base64.
    const written = bytes.write(part, filled, "base64");
    if (written === 0) break;
    filled += written;
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, filled);
}

/** The staged file's bytes, read now if loadUpload left them (a kept parse did not fit after all). */
export async function ensureUploadBytes(db: Pick<RequestDb, "query">, upload: StagedUpload): Promise<Uint8Array | null> {
  if (!upload.bytes && upload.hasBytes) upload.bytes = await readStagedBytes(db, upload.id, upload.sizeBytes);
  return upload.bytes;
}

/**
 * Frees a loaded file's memory now rather than at the next full garbage
 * collection (a 40 MB report would otherwise sit beside the whole import):
 * the buffer is detached, so the bytes must not be used afterwards.
 */
export function releaseUploadBytes(upload: StagedUpload): void {
  const bytes = upload.bytes;
  upload.bytes = null;
  const buffer = bytes?.buffer as (ArrayBuffer & { transfer?: (length: number) => ArrayBuffer }) | undefined;
  // Only a buffer the bytes fill alone: never Node's shared pool.
  if (bytes && buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && buffer.byteLength === bytes.byteLength) buffer.transfer?.(0);
}

export async function loadUpload(db: RequestDb, claims: Claims, uploadId: string, { withBytes = true } = {}): Promise<StagedUpload | null> {
  if (!isUuid(uploadId)) return null;
  const { rows } = await db.query(
    `select id, account_id, file_name, size_bytes, sha256, bytes is not null as has_bytes, detected_format, column_mapping, batch_id
       from public.import_uploads where id = $1 and expires_at > now()`,
    [uploadId],
  );
  const row = rows[0];
  if (!row) return null;
  const owner = { userId: claims.sub, uploadId: row.id, sha256: row.sha256 };
  // Handed over by this process's upload, or not needed yet: a parse of the file is kept (parseUpload reads them on a miss).
  const bytes =
    withBytes && row.has_bytes ? (takeUploadBytes(owner) ?? (hasKeptParse(owner) ? null : await readStagedBytes(db, row.id, row.size_bytes))) : null;
  return {
    id: row.id,
    accountId: row.account_id,
    fileName: row.file_name,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    bytes,
    hasBytes: row.has_bytes,
    detectedFormat: row.detected_format,
    columnMapping: row.column_mapping,
    batchId: row.batch_id,
  };
}

/** Remembers a generic-CSV mapping for this file and for every later file with the same header row. */
export async function saveColumnMapping(
  db: RequestDb,
  claims: Claims,
  uploadId: string,
  headerSignature: string,
  mapping: ColumnMapping,
): Promise<void> {
  await db.query("update public.import_uploads set column_mapping = $2 where id = $1", [uploadId, JSON.stringify(mapping)]);
  await db.query(
    `insert into public.import_column_mappings (user_id, header_signature, mapping) values ($1, $2, $3)
     on conflict (user_id, header_signature) do update set mapping = excluded.mapping`,
    [claims.sub, headerSignature.slice(0, 128), JSON.stringify(mapping)],
  );
}

export async function rememberedMapping(db: RequestDb, claims: Claims, headerSignature: string): Promise<ColumnMapping | null> {
  const { rows } = await db.query<{ mapping: ColumnMapping }>(
    "select mapping from public.import_column_mappings where user_id = $1 and header_signature = $2",
    [claims.sub, headerSignature.slice(0, 128)],
  );
  return rows[0]?.mapping ?? null;
}

export async function listImportAccounts(db: RequestDb, claims: Claims): Promise<ImportAccountOption[]> {
  const { rows } = await db.query<{ id: string; name: string; currency: string; mt5_login: string | null; server_time_zone: string }>(
    "select id, name, currency, mt5_login::text, server_time_zone from public.accounts where user_id = $1 order by created_at, name",
    [claims.sub],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, currency: r.currency, mt5Login: r.mt5_login, serverTimeZone: r.server_time_zone }));
}

/** The file-clock choice on the preview: the account's broker server zone, confirmed by the user. */
export async function setAccountServerTimeZone(db: RequestDb, claims: Claims, accountId: string, zone: string): Promise<boolean> {
  const { rowCount } = await db.query(
    "update public.accounts set server_time_zone = $3, server_time_zone_confirmed = true where id = $1 and user_id = $2",
    [accountId, claims.sub, zone],
  );
  return (rowCount ?? 0) > 0;
}

/** The zone the user reads times in (Settings → Profile). */
export async function userTimeZone(db: RequestDb, claims: Claims): Promise<string> {
  const { rows } = await db.query<{ time_zone: string }>("select time_zone from public.user_settings where user_id = $1", [claims.sub]);
  return rows[0]?.time_zone ?? "UTC";
}
