// Entry point for every import file: checks size and encoding, detects the
// format from the content (never the file name), and hands the file to its
// parser. OWNED BY the CSV/JSON/detection work; this is the agreed signature.
import type { ImportFormat, ParsedImport } from "../trades/types.ts";
import type { ColumnMapping, ParseOptions } from "./parse-options.ts";

export type ImportErrorCode =
  | "empty" | "too-large" | "binary" | "encoding" | "truncated" | "unknown-format"
  | "duplicate-headers" | "no-trades" | "invalid-json" | "needs-mapping";

export interface ImportFileError {
  code: ImportErrorCode;
  /** A sentence the user can act on: what is wrong and what to do. */
  message: string;
}

/** What the column-mapping screen needs for a generic CSV. */
export interface MappingRequest {
  headers: string[];
  /** The first rows as text, for the preview beside each column. */
  sampleRows: string[][];
  /** Stable id of this header row (import_column_mappings.header_signature, ≤ 128 chars). */
  headerSignature: string;
  /** A mapping guessed from the header names (or the user's remembered one, when the caller passes it back). */
  suggested: ColumnMapping;
  /** The trade fields a column can map to. */
  fields: { name: string; label: string; required: boolean }[];
}

export type ParseOutcome =
  | { ok: true; parsed: ParsedImport }
  /** Generic CSV without a (complete) options.columnMapping. */
  | { ok: false; error: ImportFileError & { code: "needs-mapping" }; format: "generic-csv"; mapping: MappingRequest }
  | { ok: false; error: ImportFileError; format?: ImportFormat };

/** Cheap detection for the upload step (no full parse). */
export function detectImportFormat(_bytes: Uint8Array): { ok: true; format: ImportFormat } | { ok: false; error: ImportFileError } {
  throw new Error("detectImportFormat: not implemented yet");
}

export function parseImportFile(_bytes: Uint8Array, _options: ParseOptions): ParseOutcome {
  throw new Error("parseImportFile: not implemented yet");
}
