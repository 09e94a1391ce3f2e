// MT5 Trade History Report (HTML or XLSX) → ParsedImport, plus the cheap
// content sniff the format detector uses for HTML files.
import type { ParsedImport } from "../../trades/types.ts";
import { gridCells, hiddenTexts, readHtmlTableRows } from "../html-table.ts";
import type { ParseOptions } from "../parse-options.ts";
import { forEachXlsxRow } from "../xlsx.ts";
import { buildMt5Import } from "./build-import.ts";
import { allReportTitles } from "./languages.ts";
import { Mt5ReportReader } from "./report-reader.ts";

export { buildMt5Import, parseAccountLine } from "./build-import.ts";

/** `text` is the decoded HTML (the detector has already handled UTF-16 and the BOM). */
export function parseMt5HtmlReport(text: string, options: ParseOptions): ParsedImport {
  const reader = new Mt5ReportReader();
  const rows = readHtmlTableRows(text);
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index]!;
    const hidden = row.cells.some((cell) => cell.hidden) ? hiddenTexts(row).join(" ").trim() || null : null;
    reader.push(gridCells(row), index + 1, hidden);
  }
  return buildMt5Import(reader.finish(), options, "mt5-html");
}

export function parseMt5XlsxReport(bytes: Uint8Array, options: ParseOptions): ParsedImport {
  const reader = new Mt5ReportReader();
  forEachXlsxRow(bytes, (cells, rowNumber) => {
    // Spreadsheet cells can carry stray spaces; HTML cells are already trimmed.
    for (let i = 0; i < cells.length; i += 1) {
      const cell = cells[i]!;
      if (cell !== "" && (cell.charCodeAt(0) <= 32 || cell.charCodeAt(cell.length - 1) <= 32 || cell.includes("\u00a0"))) {
        cells[i] = cell.replace(/^[\s\u00a0]+|[\s\u00a0]+$/g, "");
      }
    }
    reader.push(cells, rowNumber);
  });
  return buildMt5Import(reader.finish(), options, "mt5-xlsx");
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
