// What a file parser answers: the parsed import, or an error a person can act
// on. Every parser and parse-import.ts share these types, so they live in a
// module that imports nothing from the parsers (only the two leaf modules of
// options and plans), and the parsers never import parse-import.ts back.
import type { ParsedImport, ImportFormat } from "../trades/types.ts";
import type { ImportPlan } from "./import-plan.ts";
import type { ColumnMapping } from "./parse-options.ts";

export type ImportErrorCode =
  | "empty"
  | "too-large"
  | "binary"
  | "encoding"
  | "truncated"
  | "unknown-format"
  | "duplicate-headers"
  | "no-trades"
  | "invalid-json"
  | "needs-mapping";

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

export type ParseFailure =
  /** Generic CSV without a (complete) options.columnMapping. */
  | { ok: false; error: ImportFileError & { code: "needs-mapping" }; format: "generic-csv"; mapping: MappingRequest }
  | { ok: false; error: ImportFileError; format?: ImportFormat };

export type ParseOutcome = { ok: true; parsed: ParsedImport } | ParseFailure;

/** The same, with the trades built on demand (import-plan.ts): what the server imports from. */
export type PlanOutcome = { ok: true; plan: ImportPlan } | ParseFailure;
