// Reads an import file from a multipart request: refuses an oversized body by
// its Content-Length before reading it, caps the body and the file part at
// 50 MB while reading, checks the file itself (empty, binary, encoding…) and
// stages it.
import { detectImportFormat } from "~/domain/imports/parse-import.ts";
import { MAX_IMPORT_BYTES } from "~/domain/imports/parse-options.ts";
import type { ImportFormat } from "~/domain/trades/types.ts";
import type { DatabaseClaims, RequestDb } from "~/lib/db.server.ts";
import { processLogger } from "~/lib/logger.server.ts";
import { readMultipartUpload } from "./multipart-upload.server.ts";
import { loadImportAccount, parseOptionsFor, planStagedFile } from "./parse-staged.server.ts";
import { keepParse, makeRoomForParse, sameFileParsed } from "./parsed-uploads.server.ts";
import { isUuid, listImportAccounts, sha256Hex, stageUpload } from "./uploads.server.ts";

type Claims = DatabaseClaims & { sub: string };

/** Room for the multipart boundaries and the other fields around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;

export type ReceiveResult = { ok: true; uploadId: string } | { ok: false; field?: "file" | "accountId"; message: string };

export function tooLargeMessage(bytes: number | null): string {
  const size = bytes === null ? "" : ` (${(bytes / (1024 * 1024)).toFixed(1)} MB)`;
  return `This file is too large${size}: the limit is ${MAX_IMPORT_BYTES / (1024 * 1024)} MB. Export a shorter period and import the files one after another.`;
}

function detect(bytes: Uint8Array): { format: ImportFormat | null; error: string | null } {
  try {
    const found = detectImportFormat(bytes);
    return found.ok ? { format: found.format, error: null } : { format: null, error: found.error.message };
  } catch (error) {
    // Detection is a convenience here; the preview parses fully and says what is wrong.
    processLogger().error({ err: error }, "import: format detection failed");
    return { format: null, error: null };
  }
}

export async function receiveUpload(db: RequestDb, claims: Claims, request: Request): Promise<ReceiveResult> {
  const declared = Number(request.headers.get("Content-Length") ?? "");
  if (Number.isFinite(declared) && declared > MAX_IMPORT_BYTES + MULTIPART_OVERHEAD) {
    return { ok: false, field: "file", message: tooLargeMessage(declared) };
  }
  const upload = await readMultipartUpload(request, { maxBodyBytes: MAX_IMPORT_BYTES + MULTIPART_OVERHEAD, maxFileBytes: MAX_IMPORT_BYTES });
  if (!upload.ok) {
    if (upload.reason === "too-large") return { ok: false, field: "file", message: tooLargeMessage(null) };
    if (upload.reason === "not-multipart")
      return { ok: false, field: "file", message: "Choose a file to import: an MT5 or MT4 report, a CSV or a JSON file." };
    return { ok: false, field: "file", message: "The upload did not arrive complete. Choose the file and try again." };
  }
  const file = upload.files.get("file");
  const accountId = upload.fields.get("accountId") ?? "";
  const accounts = await listImportAccounts(db, claims);
  if (!isUuid(accountId) || !accounts.some((a) => a.id === accountId)) {
    return { ok: false, field: "accountId", message: "Choose one of your accounts to import into." };
  }
  if (!file) {
    return { ok: false, field: "file", message: "Choose a file to import: an MT5 or MT4 report, a CSV or a JSON file." };
  }
  const { bytes } = file;
  if (bytes.byteLength === 0)
    return { ok: false, field: "file", message: `"${file.name}" is empty (0 bytes). Export the report again and upload that file.` };
  const detected = detect(bytes);
  if (detected.error) return { ok: false, field: "file", message: detected.error };
  // Parse once, and start now: the parse runs while the bytes are being staged,
  // and the preview picks it up (parsed-uploads.server.ts). The same file
  // again (a re-import) takes the parse this user's earlier upload of it made.
  const account = await loadImportAccount(db, claims.sub, accountId);
  const options = account ? parseOptionsFor(account, null) : null;
  const sha256 = sha256Hex(bytes);
  const kept = options ? sameFileParsed({ userId: claims.sub, sha256 }, options) : null;
  if (options && !kept) makeRoomForParse();
  const parsing = kept ?? (options ? planStagedFile(bytes, options) : null);
  const uploadId = await stageUpload(db, claims, { fileName: file.name, bytes, accountId, detectedFormat: detected.format, handOver: true, sha256 });
  if (options && parsing) keepParse({ userId: claims.sub, uploadId, sha256 }, options, parsing);
  return { ok: true, uploadId };
}
