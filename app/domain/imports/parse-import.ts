// Entry point for every import file: checks size and encoding, detects the
// format from the content (never the file name), and hands the file to its
// parser. Checks run cheapest first, so a 60 MB upload is refused before a
// single byte is decoded.
import type { ImportFormat } from "../trades/types.ts";
import { parseCtraderCsv } from "./csv/ctrader-csv.ts";
import { parseGenericCsv, parseGenericTable } from "./csv/generic-csv.ts";
import { parsePositionsCsv } from "./csv/positions-csv.ts";
import { decodeText, htmlTruncationError } from "./decode-text.ts";
import { detectTextFormat, detectZipFormat, isZip } from "./detect-format.ts";
import { planJsonTrades } from "./json/parse-json.ts";
import { parseMt4Statement } from "./mt4-statement/index.ts";
import { materialise, planOf, type ImportPlan } from "./import-plan.ts";
import { parseMt5XlsxReport, planMt5HtmlReport, planMt5XlsxReport } from "./mt5-report/index.ts";
import { reportTitleLanguage, sectionOf } from "./mt5-report/languages.ts";
import { TradeAccountReportError } from "./mt5-report/trade-account-report.ts";
import { inflateInPieces, readXlsxRows, readXlsxRowsAsync, type Inflate, type XlsxRow } from "./xlsx.ts";
import type { ImportFileError, ParseFailure, ParseOutcome, PlanOutcome } from "./outcome.ts";
import { MAX_IMPORT_BYTES, type ParseOptions } from "./parse-options.ts";

// The shared result types live in outcome.ts; callers outside the folder keep importing them from here.
export type { ImportErrorCode, ImportFileError, MappingRequest, ParseOutcome, PlanOutcome } from "./outcome.ts";

const MEGABYTE = 1024 * 1024;

function sizeError(bytes: Uint8Array): ImportFileError | null {
  if (bytes.length > MAX_IMPORT_BYTES) {
    const megabytes = (bytes.length / MEGABYTE).toFixed(1);
    return {
      code: "too-large",
      message: `The file is ${megabytes} MB; the limit is ${MAX_IMPORT_BYTES / MEGABYTE} MB. Export a shorter period (for example one year at a time) and import the files one after another.`,
    };
  }
  if (bytes.length === 0) return { code: "empty", message: "The file is empty (0 bytes). Export the report again and upload the saved file." };
  return null;
}

type TextStage =
  | { ok: true; kind: "xlsx" }
  | { ok: true; kind: "text"; text: string; format: ImportFormat; warnings: string[] }
  | { ok: false; error: ImportFileError };

/** Size → empty → ZIP/XLSX → text decoding → format from content → HTML completeness. */
function prepare(bytes: Uint8Array): TextStage {
  const early = sizeError(bytes);
  if (early) return { ok: false, error: early };
  if (isZip(bytes)) {
    const zip = detectZipFormat(bytes);
    return zip.ok ? { ok: true, kind: "xlsx" } : zip;
  }
  const decoded = decodeText(bytes);
  if (!decoded.ok) return decoded;
  if (decoded.text.trim() === "") {
    return {
      ok: false,
      error: {
        code: "empty",
        message: `The file holds only blank space (${bytes.length} bytes, no text). Export the report again and upload the saved file.`,
      },
    };
  }
  const detected = detectTextFormat(decoded.text);
  if (!detected.ok) return detected;
  if (detected.format === "mt5-html" || detected.format === "mt4-html") {
    const truncated = htmlTruncationError(decoded.text);
    if (truncated) return { ok: false, error: truncated };
  }
  return { ok: true, kind: "text", text: decoded.text, format: detected.format, warnings: decoded.warnings };
}

/** Cheap detection for the upload step (no full parse). */
export function detectImportFormat(bytes: Uint8Array): { ok: true; format: ImportFormat } | { ok: false; error: ImportFileError } {
  const stage = prepare(bytes);
  if (!stage.ok) return stage;
  return { ok: true, format: stage.kind === "xlsx" ? "mt5-xlsx" : stage.format };
}

/** A report parser's refusal as a user-facing error; programming errors stay errors. */
function reportParseFailure(format: ImportFormat, error: unknown): ParseOutcome {
  if (error instanceof TypeError || error instanceof ReferenceError) throw error;
  const detail = error instanceof Error ? error.message : String(error);
  // A report of another kind (the Trade Account Report) says what it is and what to export, as it stands.
  if (error instanceof TradeAccountReportError) return { ok: false, format, error: { code: "unknown-format", message: `${detail}.` } };
  const truncated = /unexpected end|truncat|incomplete|invalid (?:zip|block)|cut off/i.test(detail);
  return {
    ok: false,
    format,
    error: truncated
      ? {
          code: "truncated",
          message: `The report is cut off and could not be read to the end (${detail}). Export it again and upload the complete file.`,
        }
      : {
          code: "unknown-format",
          message: `The file looks like ${format === "mt5-xlsx" ? "an MT5 XLSX report" : format === "mt4-html" ? "an MT4 statement" : "an MT5 report"} but could not be read: ${detail}.`,
        },
  };
}

function withWarnings(outcome: PlanOutcome, warnings: string[]): PlanOutcome {
  if (!outcome.ok || warnings.length === 0) return outcome;
  return { ok: true, plan: { ...outcome.plan, warnings: [...warnings, ...outcome.plan.warnings] } };
}

const NOTHING_IN_REPORT =
  "The report contains no positions, deals or balance rows. If it is a MetaTrader report, widen the period in the History tab (right-click → Custom Period) and export again; if it is another spreadsheet, save it as CSV and import that.";
const NOTHING_IN_FILE = "The file has its header but no trade or balance rows below it, so there is nothing to import.";

/** A parse that found not a single row is an error, not an empty success. */
function requireRows(outcome: PlanOutcome, format: ImportFormat, message: string): PlanOutcome {
  if (!outcome.ok) return outcome;
  const { tradeCount, cash, rejected } = outcome.plan;
  if (tradeCount === 0 && cash.length === 0 && rejected.length === 0) return { ok: false, format, error: { code: "no-trades", message } };
  return outcome;
}

const planned = (outcome: ParseOutcome): PlanOutcome => (outcome.ok ? { ok: true, plan: planOf(outcome.parsed) } : outcome);

async function reportOutcome(format: ImportFormat, parse: () => ImportPlan | Promise<ImportPlan>): Promise<PlanOutcome> {
  try {
    return requireRows({ ok: true, plan: await parse() }, format, NOTHING_IN_REPORT);
  } catch (error) {
    return reportParseFailure(format, error) as ParseFailure;
  }
}

/**
 * A workbook that yields nothing as an MT5 report and carries no report title
 * is some other spreadsheet of trades: it goes through the generic column
 * mapping like a CSV.
 */
async function planWorkbook(bytes: Uint8Array, options: ParseOptions, inflate: Inflate): Promise<PlanOutcome> {
  const report = await reportOutcome("mt5-xlsx", () => planMt5XlsxReport(bytes, options, inflate));
  if (report.ok || report.error.code !== "no-trades") return report;
  let rows: XlsxRow[];
  try {
    rows = await readXlsxRowsAsync(bytes, inflate);
  } catch {
    return report;
  }
  return workbookAsTable(report, rows, options);
}

/** The workbook's rows as a generic table, unless they look like a report (then the report's own outcome stands). */
function workbookAsTable(report: PlanOutcome, read: XlsxRow[], options: ParseOptions): PlanOutcome {
  const rows: string[][] = [];
  for (const row of read) rows[row.rowNumber - 1] = row.cells;
  for (let index = 0; index < rows.length; index++) rows[index] ??= [];
  const isReport = rows.some((cells, index) =>
    cells.some((cell) => cell !== "" && ((index < 10 && reportTitleLanguage(cell) !== null) || sectionOf(cell) !== null)),
  );
  if (isReport || rows.filter((cells) => cells.filter((cell) => cell.trim() !== "").length >= 2).length < 2) return report;
  return requireRows(planned(parseGenericTable(rows, options, { delimiter: ";", excelSerialDates: true })), "generic-csv", NOTHING_IN_FILE);
}

/** The formats read from decoded text and parsed whole. */
function textFormat(text: string, format: ImportFormat, warnings: string[], options: ParseOptions): PlanOutcome {
  switch (format) {
    case "mt4-html":
      return withWarnings(
        reportOutcomeSync(format, () => planOf(parseMt4Statement(text, options))),
        warnings,
      );
    case "mt5-positions-csv":
      return withWarnings(requireRows(planned(parsePositionsCsv(text, options)), format, NOTHING_IN_FILE), warnings);
    case "ctrader-csv":
      return withWarnings(requireRows(planned(parseCtraderCsv(text, options)), format, NOTHING_IN_FILE), warnings);
    case "json":
      return withWarnings(planJsonTrades(text, options), warnings);
    case "mt5-html":
    case "generic-csv":
    case "mt5-xlsx":
      return withWarnings(requireRows(planned(parseGenericCsv(text, options)), "generic-csv", NOTHING_IN_FILE), warnings);
  }
}

export interface PlanImportOptions {
  /** How XLSX parts are inflated; the server passes Node's zlib. Default: fflate, in this thread. */
  inflate?: Inflate;
}

/**
 * The file as an import plan: size and encoding checks, the format from the
 * content, then its parser. An MT5 report's trades are built on demand; the
 * other formats are parsed whole and wrapped.
 */
export async function planImportFile(
  bytes: Uint8Array,
  options: ParseOptions,
  { inflate = inflateInPieces }: PlanImportOptions = {},
): Promise<PlanOutcome> {
  const stage = prepare(bytes);
  if (!stage.ok) return stage;
  if (stage.kind === "xlsx") return planWorkbook(bytes, options, inflate);
  const { text, format, warnings } = stage;
  if (format === "mt5-html") return withWarnings(await reportOutcome(format, () => planMt5HtmlReport(text, options)), warnings);
  return textFormat(text, format, warnings, options);
}

/** Every trade of a plan outcome at once. */
function materialised(outcome: PlanOutcome): ParseOutcome {
  return outcome.ok ? { ok: true, parsed: materialise(outcome.plan) } : outcome;
}

function reportOutcomeSync(format: ImportFormat, parse: () => ImportPlan): PlanOutcome {
  try {
    return requireRows({ ok: true, plan: parse() }, format, NOTHING_IN_REPORT);
  } catch (error) {
    return reportParseFailure(format, error) as ParseFailure;
  }
}

function parseWorkbook(bytes: Uint8Array, options: ParseOptions): PlanOutcome {
  const report = reportOutcomeSync("mt5-xlsx", () => planOf(parseMt5XlsxReport(bytes, options)));
  if (report.ok || report.error.code !== "no-trades") return report;
  let rows: XlsxRow[];
  try {
    rows = readXlsxRows(bytes);
  } catch {
    return report;
  }
  return workbookAsTable(report, rows, options);
}

/**
 * planImportFile synchronously, every trade built at once (fflate inflates
 * XLSX parts in this thread): for tests and callers without a server.
 */
export function parseImportFile(bytes: Uint8Array, options: ParseOptions): ParseOutcome {
  const stage = prepare(bytes);
  if (!stage.ok) return stage;
  if (stage.kind === "xlsx") return materialised(parseWorkbook(bytes, options));
  const { text, format, warnings } = stage;
  if (format === "mt5-html")
    return materialised(
      withWarnings(
        reportOutcomeSync(format, () => planMt5HtmlReport(text, options)),
        warnings,
      ),
    );
  return materialised(textFormat(text, format, warnings, options));
}
