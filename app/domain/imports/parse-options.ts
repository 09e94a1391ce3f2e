// What every file parser needs to know besides the file itself.
import type { MarginMode } from "../trades/types.ts";

/** Generic CSV: which source column feeds which trade field (keys are field names from generic-csv). */
export type ColumnMapping = Record<string, string | null>;

export interface ParseOptions {
  /** The account's broker server clock: IANA zone or 'NY+7'. Times in files are read in it. */
  serverTimeZone: string;
  /** The account's margin mode; a report header that states it wins. */
  marginMode: MarginMode;
  /** The account currency, for formats that do not state it. */
  accountCurrency: string;
  /** Generic CSV only: the column mapping the user confirmed. */
  columnMapping?: ColumnMapping;
}

/** Files above this size are refused before parsing. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
