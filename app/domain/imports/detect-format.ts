// Which format a file is, from its content only (never its name): a ZIP with
// xl/workbook.xml is an XLSX report, HTML goes to the MetaTrader sniff, text
// starting with [ or { is JSON, and a table is a known CSV layout by its
// header row or else a generic CSV that needs a column mapping.
import type { ImportFormat } from "../trades/types.ts";
import { isCtraderHeader } from "./csv/ctrader-csv.ts";
import { normaliseHeader } from "./csv/headers.ts";
import { isPositionsCsvHeader } from "./csv/positions-csv.ts";
import { readCsv } from "./csv/read-csv.ts";
import { sniffMetaTraderHtml } from "./mt5-report/index.ts";
import type { ImportFileError } from "./outcome.ts";

export type FormatDetection = { ok: true; format: ImportFormat } | { ok: false; error: ImportFileError };

const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY_ARCHIVE = [0x50, 0x4b, 0x05, 0x06];

export function isZip(bytes: Uint8Array): boolean {
  return [ZIP_LOCAL_HEADER, ZIP_EMPTY_ARCHIVE].some((signature) => signature.every((value, index) => bytes[index] === value));
}

const readUint16 = (bytes: Uint8Array, at: number) => bytes[at]! | (bytes[at + 1]! << 8);
const readUint32 = (bytes: Uint8Array, at: number) => (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;

const TRUNCATED_ZIP: ImportFileError = {
  code: "truncated",
  message:
    "The XLSX file is cut off: its ZIP directory (which Excel writes at the very end) is missing or incomplete. Export the report again and upload the complete file.",
};

/** Names in a ZIP's central directory, or an error when the archive is cut off. */
export function zipEntryNames(bytes: Uint8Array): { ok: true; names: string[] } | { ok: false; error: ImportFileError } {
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 65_557); at--) {
    if (readUint32(bytes, at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) return { ok: false, error: TRUNCATED_ZIP };
  const count = readUint16(bytes, end + 10);
  const size = readUint32(bytes, end + 12);
  const offset = readUint32(bytes, end + 16);
  if (offset + size > end) return { ok: false, error: TRUNCATED_ZIP };
  const names: string[] = [];
  const decoder = new TextDecoder("utf-8");
  let at = offset;
  for (let index = 0; index < count; index++) {
    if (at + 46 > end || readUint32(bytes, at) !== 0x02014b50) return { ok: false, error: TRUNCATED_ZIP };
    const nameLength = readUint16(bytes, at + 28);
    const extraLength = readUint16(bytes, at + 30);
    const commentLength = readUint16(bytes, at + 32);
    const localOffset = readUint32(bytes, at + 42);
    const compressedSize = readUint32(bytes, at + 20);
    if (localOffset + 30 + compressedSize > offset) return { ok: false, error: TRUNCATED_ZIP };
    names.push(decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return { ok: true, names };
}

/** XLSX (a ZIP holding xl/workbook.xml), or why this ZIP cannot be imported. */
export function detectZipFormat(bytes: Uint8Array): FormatDetection {
  const entries = zipEntryNames(bytes);
  if (!entries.ok) return entries;
  if (entries.names.some((name) => name.toLowerCase() === "xl/workbook.xml")) return { ok: true, format: "mt5-xlsx" };
  const listed = entries.names.slice(0, 3).join(", ");
  const kind = entries.names.some((name) => name.startsWith("word/")) ? "a Word document" : "a ZIP archive";
  return {
    ok: false,
    error: {
      code: "unknown-format",
      message: `This is ${kind}${listed ? ` (${listed}${entries.names.length > 3 ? ", …" : ""})` : ""}, not an Excel workbook. Unzip it and upload the report inside, or export the history from MetaTrader as XLSX or HTML.`,
    },
  };
}

const HTML_START = /^\s*(?:<!doctype html|<html|<head|<body|<table|<meta|<title|<!--)/i;

export function looksLikeHtml(text: string): boolean {
  return HTML_START.test(text.slice(0, 2048));
}

/** The start of a large text, cut at a line end, for cheap header sniffing. */
function headOf(text: string, limit = 65_536): string {
  if (text.length <= limit) return text;
  const cut = text.lastIndexOf("\n", limit);
  return text.slice(0, cut > 0 ? cut : limit);
}

/** Format of decoded text. */
export function detectTextFormat(text: string): FormatDetection {
  const start = text.trimStart().slice(0, 1);
  if (start === "[" || start === "{") return { ok: true, format: "json" };
  if (looksLikeHtml(text)) {
    const sniffed = sniffMetaTraderHtml(text);
    if (sniffed) return { ok: true, format: sniffed };
    return {
      ok: false,
      error: {
        code: "unknown-format",
        message:
          "This is an HTML page but not a MetaTrader report: it has neither an MT5 Trade History Report nor an MT4 Detailed Statement layout. In MetaTrader, right-click the History tab → Report → HTML, and upload that file.",
      },
    };
  }
  const head = headOf(text);
  const read = readCsv(head);
  if (!read.ok) {
    // A quote left open in the whole file is its cut-off end; in a head slice
    // it may just be a multi-line cell crossing the cut.
    return head === text ? read : { ok: true, format: "generic-csv" };
  }
  const rows = read.table.rows;
  const headerRows = rows.slice(0, 30).map((cells) => cells.map(normaliseHeader));
  if (headerRows.some(isPositionsCsvHeader)) return { ok: true, format: "mt5-positions-csv" };
  if (headerRows.some(isCtraderHeader)) return { ok: true, format: "ctrader-csv" };
  const tabular = rows.filter((cells) => cells.filter((cell) => cell.trim() !== "").length >= 2).length;
  if (tabular >= 1) return { ok: true, format: "generic-csv" };
  return {
    ok: false,
    error: {
      code: "unknown-format",
      message:
        "The file is text but not a table, a MetaTrader report or JSON, so no trades can be read from it. Upload an MT5/MT4 report (HTML or XLSX), a CSV with one trade per row, or our JSON.",
    },
  };
}
