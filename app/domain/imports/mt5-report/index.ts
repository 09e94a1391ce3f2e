// MT5 Trade History Report (HTML or XLSX) → ImportPlan (ParsedImport for the
// synchronous callers), plus the cheap content sniff the format detector uses
// for HTML files.
import type { ParsedImport } from "../../trades/types.ts";
import { gridCells, hiddenTexts, readHtmlTableRows } from "../html-table.ts";
import { materialise, type ImportPlan } from "../import-plan.ts";
import type { ParseOptions } from "../parse-options.ts";
import { forEachXlsxRow, forEachXlsxRowAsync, type Inflate } from "../xlsx.ts";
import { Mt5ImportBuilder } from "./build-import.ts";
import { allReportTitles } from "./languages.ts";
import { Mt5ReportReader } from "./report-reader.ts";

export { parseAccountLine } from "./build-import.ts";

/** `text` is the decoded HTML (the detector has already handled UTF-16 and the BOM). */
export function planMt5HtmlReport(text: string, options: ParseOptions): ImportPlan {
  const builder = new Mt5ImportBuilder(options, "mt5-html");
  const reader = new Mt5ReportReader(builder.row);
  const rows = readHtmlTableRows(text);
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index]!;
    const hidden = row.cells.some((cell) => cell.hidden) ? hiddenTexts(row).join(" ").trim() || null : null;
    reader.push(gridCells(row), index + 1, hidden);
  }
  const build = builder.finish(reader.finish());
  for (const fileRow of build.rowsWanted) build.provideRow(fileRow, gridCells(rows[fileRow - 1]!));
  return build.plan;
}

export function parseMt5HtmlReport(text: string, options: ParseOptions): ParsedImport {
  return materialise(planMt5HtmlReport(text, options));
}

/** Spreadsheet cells can carry stray spaces; HTML cells are already trimmed. */
function trimCells(cells: string[]): string[] {
  for (let i = 0; i < cells.length; i += 1) {
    const cell = cells[i]!;
    if (cell === "") continue;
    const first = cell.charCodeAt(0);
    const last = cell.charCodeAt(cell.length - 1);
    if (first <= 32 || last <= 32 || first === 0xa0 || last === 0xa0) cells[i] = cell.replace(/^[\s\u00a0]+|[\s\u00a0]+$/g, "");
  }
  return cells;
}

function xlsxRows(builder: Mt5ImportBuilder) {
  const reader = new Mt5ReportReader(builder.row);
  return {
    reader,
    onRow: (cells: string[], rowNumber: number) => reader.push(trimCells(cells), rowNumber),
    // The reader copies what it keeps out of a row; rows it only counts come as their gist.
    options: {
      reuseCells: true,
      light: {
        wanted: () => reader.wantsLight(),
        onRow: (first: { index: number; text: string; count: number }, rowNumber: number) => reader.pushLight(first, rowNumber),
      },
    },
  };
}

/** The second read of a workbook: only the rows still wanted are read (a report whose period starts with positions already open has a few such deals among 200 000 rows). */
const secondRead = (wanted: ReadonlySet<number>) => ({ reuseCells: true, skipRow: (rowNumber: number) => !wanted.has(rowNumber) });

export function parseMt5XlsxReport(bytes: Uint8Array, options: ParseOptions): ParsedImport {
  const builder = new Mt5ImportBuilder(options, "mt5-xlsx");
  const { reader, onRow, options: rowOptions } = xlsxRows(builder);
  forEachXlsxRow(bytes, onRow, rowOptions);
  const build = builder.finish(reader.finish());
  // Rows rejected only after matching are read again for their printed values.
  if (build.rowsWanted.size > 0) {
    forEachXlsxRow(bytes, (cells, rowNumber) => build.provideRow(rowNumber, trimCells(cells)), secondRead(build.rowsWanted));
  }
  return materialise(build.plan);
}

/** The XLSX report inflated by the caller's inflater (the server's is Node's zlib, on its own thread). */
export async function planMt5XlsxReport(bytes: Uint8Array, options: ParseOptions, inflate: Inflate): Promise<ImportPlan> {
  const builder = new Mt5ImportBuilder(options, "mt5-xlsx");
  const { reader, onRow, options: rowOptions } = xlsxRows(builder);
  await forEachXlsxRowAsync(bytes, onRow, inflate, rowOptions);
  const build = builder.finish(reader.finish());
  if (build.rowsWanted.size > 0) {
    await forEachXlsxRowAsync(bytes, (cells, rowNumber) => build.provideRow(rowNumber, trimCells(cells)), inflate, secondRead(build.rowsWanted));
  }
  return build.plan;
}

const MT4_MARKERS = /closed transactions:|<title>\s*statement:/i;
const MT5_GENERATOR = /<meta\s+name="?generator"?\s+content="?client terminal/i;

/**
 * Looks at the start of a decoded HTML file: MT4 Detailed Statements say
 * "Closed Transactions:"; MT5 reports carry the terminal's generator tag or
 * a known report title, and an account line "(USD, …, Hedge|Netting)".
 */
export function sniffMetaTraderHtml(text: string): "mt5-html" | "mt4-html" | null {
  const head = text.slice(0, 20_000);
  if (!/<t[dhr]\b/i.test(head) && !/<table\b/i.test(head)) return null;
  const lower = head.toLowerCase();
  if (MT4_MARKERS.test(head) && /ticket/i.test(text.slice(0, 60_000))) return "mt4-html";
  if (MT5_GENERATOR.test(head)) return "mt5-html";
  if (allReportTitles().some((title) => lower.includes(title))) return "mt5-html";
  if (/\d{4,}(?:&nbsp;|\s|\u00a0)*\((?:[^)]*,)[^)]*\b(?:hedge|netting|exchange)\)/i.test(head)) return "mt5-html";
  return null;
}
