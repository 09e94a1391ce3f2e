// CSV text → rows of cells with papaparse. The delimiter is sniffed from the
// first lines (comma, semicolon, tab, pipe); the decimal separator from the
// numbers themselves, because European exports write "1.234,56" in `;` files.
import Papa from "papaparse";
import type { ImportFileError } from "../outcome.ts";

export type Delimiter = "," | ";" | "\t" | "|";
export type DecimalSeparator = "." | ",";

export interface CsvTable {
  delimiter: Delimiter;
  /** Every record, blank lines included, so index + 1 is the row number a spreadsheet shows. */
  rows: string[][];
}

const DELIMITERS: Delimiter[] = [",", ";", "\t", "|"];

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (char === delimiter && !quoted) count++;
  }
  return count;
}

/**
 * The delimiter that splits the sample lines most consistently: the one whose
 * most common per-line count is highest and appears on most lines.
 */
export function sniffDelimiter(text: string): Delimiter {
  const lines = text
    .split(/\r\n|\n|\r/, 40)
    .filter((line) => line.trim() !== "")
    .slice(0, 30);
  let best: Delimiter = ",";
  let bestScore = 0;
  for (const delimiter of DELIMITERS) {
    const counts = lines.map((line) => countOutsideQuotes(line, delimiter));
    const frequency = new Map<number, number>();
    for (const count of counts) if (count > 0) frequency.set(count, (frequency.get(count) ?? 0) + 1);
    let score = 0;
    for (const [count, lineCount] of frequency) score = Math.max(score, lineCount * 1000 + count);
    if (score > bestScore) {
      bestScore = score;
      best = delimiter;
    }
  }
  return best;
}

export type ReadCsvResult = { ok: true; table: CsvTable } | { ok: false; error: ImportFileError };

// Excel writes "sep=;" as the first line of some CSVs to name the delimiter.
const EXCEL_SEPARATOR_HINT = /^sep=([,;\t|])\r?\n/i;

/** Splits CSV text into records; a quote left open at the end means the file is cut off. */
export function readCsv(text: string, delimiter?: Delimiter): ReadCsvResult {
  let source = text.startsWith("\ufeff") ? text.slice(1) : text;
  const hint = EXCEL_SEPARATOR_HINT.exec(source);
  if (hint) {
    // The hint line stays as a blank row so row numbers still match the file.
    source = (hint[0].endsWith("\r\n") ? "\r\n" : "\n") + source.slice(hint[0].length);
    delimiter ??= hint[1] as Delimiter;
  }
  delimiter ??= sniffDelimiter(source);
  const result = Papa.parse<string[]>(source, { delimiter, skipEmptyLines: false, header: false });
  const rows = result.data;
  // A final newline leaves one empty record behind.
  while (rows.length > 0 && rows[rows.length - 1]!.every((cell) => cell.trim() === "")) rows.pop();
  const missingQuote = result.errors.find((error) => error.code === "MissingQuotes");
  if (missingQuote) {
    const row = (missingQuote.row ?? rows.length - 1) + 1;
    const atEnd = row >= rows.length;
    return {
      ok: false,
      error: atEnd
        ? {
            code: "truncated",
            message: `The CSV ends inside a quoted field (row ${row} opens a quote that never closes), so the file is cut off. Export it again and upload the complete file.`,
          }
        : {
            code: "unknown-format",
            message: `Row ${row} opens a quoted field that never closes, so the columns after it cannot be read. Fix the quotes in that row or export the file again.`,
          },
    };
  }
  return { ok: true, table: { delimiter, rows } };
}

const COMMA_DECIMAL = /^[-+−]?\s?\d{1,3}(?:[.\s\u00a0\u202f]\d{3})*,\d+$|^[-+−]?\d+,\d+$/;
const DOT_DECIMAL = /^[-+−]?\s?\d{1,3}(?:[,\s\u00a0\u202f]\d{3})*\.\d+$|^[-+−]?\d+\.\d+$/;
const DOT_THOUSANDS_ONLY = /^[-+−]?\d{1,3}(?:\.\d{3})+$/;

/**
 * "," when the numbers in a `;`- or tab-separated file are written with
 * decimal commas ("1,08500", "-2,50"); "." otherwise. A comma-separated file
 * cannot hold unquoted decimal commas, so it is always ".".
 */
export function sniffDecimalSeparator(rows: string[][], delimiter: Delimiter): DecimalSeparator {
  if (delimiter === ",") return ".";
  let commaVotes = 0;
  let dotVotes = 0;
  for (const row of rows.slice(0, 200)) {
    for (const raw of row) {
      const cell = raw.trim();
      if (/^\d{4}[.\-/]\d{2}[.\-/]\d{2}/.test(cell) || /^\d{1,2}[./]\d{1,2}[./]\d{2,4}/.test(cell)) continue;
      if (COMMA_DECIMAL.test(cell)) commaVotes++;
      else if (DOT_DECIMAL.test(cell)) dotVotes++;
      else if (DOT_THOUSANDS_ONLY.test(cell)) commaVotes += 0.5;
    }
  }
  return commaVotes > dotVotes ? "," : ".";
}
