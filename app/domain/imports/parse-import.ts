// Entry point for every import file: checks size and encoding, detects the
// format from the content (never the file name), and hands the file to its
// parser. OWNED BY the CSV/JSON/detection work; this is the agreed signature.
import type { ImportFormat, ParsedImport } from "../trades/types.ts";
import type { ParseOptions } from "./parse-options.ts";

export type ImportErrorCode =
  | "empty" | "too-large" | "binary" | "encoding" | "truncated" | "unknown-format"
  | "duplicate-headers" | "no-trades" | "invalid-json" | "needs-mapping";

export interface ImportFileError {
  code: ImportErrorCode;
  /** A sentence the user can act on: what is wrong and what to do. */
  message: string;
}

export type ParseOutcome =
  | { ok: true; parsed: ParsedImport }
  | { ok: false; error: ImportFileError; format?: ImportFormat };

/** Cheap detection for the upload step (no full parse). */
export function detectImportFormat(_bytes: Uint8Array): { ok: true; format: ImportFormat } | { ok: false; error: ImportFileError } {
  throw new Error("detectImportFormat: not implemented yet");
}

export function parseImportFile(_bytes: Uint8Array, _options: ParseOptions): ParseOutcome {
  throw new Error("parseImportFile: not implemented yet");
}
