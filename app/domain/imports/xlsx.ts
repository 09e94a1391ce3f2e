// Reads the first worksheet of an XLSX file as rows of cell texts, without a
// DOM: the zip's central directory is read directly, each part is inflated in
// pieces and its tags are scanned as code units while they arrive
// (xlsx-scanners.ts), so a 100 000-position report never exists as one giant
// string — only the cell values become strings.
//
// MT5 writes its XML parts as UTF-16LE with a BOM and its times as text; other
// writers use UTF-8. Cells come back as the text the file holds: shared and
// inline strings resolved, numbers as written ("1.12895"), gaps in cell
// references filled with "".
//
// Inflating is the caller's choice (`Inflate`): the synchronous functions use
// fflate's streaming inflater (pure JavaScript, runs anywhere); the server
// hands the async ones Node's zlib, which is several times faster and works
// on a thread of its own while the scanner reads the previous piece.
import { Inflate as StreamingInflate } from "fflate";
import { sharedStringsScanner, worksheetScanner, type LightRows } from "./xlsx-scanners.ts";

export type { LightRows } from "./xlsx-scanners.ts";
import { XmlUnits } from "./xml-units.ts";
import { SharedStrings } from "./xlsx-shared-strings.ts";

export { decodeXmlText } from "./xml-text.ts";

export class XlsxError extends Error {
  override name = "XlsxError";
}

/**
 * Inflates raw DEFLATE data, handing the output on in pieces (in order).
 * May work synchronously or return a promise.
 */
export type Inflate = (compressed: Uint8Array, onPiece: (piece: Uint8Array) => void) => void | Promise<void>;

const SLICE = 1 << 16;

/** fflate's streaming inflater, 64 KB of input at a time. */
export const inflateInPieces: Inflate = (compressed, onPiece) => {
  const inflater = new StreamingInflate((piece) => onPiece(piece));
  for (let at = 0; at < compressed.length; at += SLICE) {
    const end = Math.min(at + SLICE, compressed.length);
    inflater.push(compressed.subarray(at, end), end === compressed.length);
  }
  if (compressed.length === 0) inflater.push(new Uint8Array(0), true);
};

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  dataOffset: number;
}

function readUint16(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8);
}

function readUint32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

const nameDecoder = new TextDecoder("utf-8");

function readZipDirectory(bytes: Uint8Array): Map<string, ZipEntry> {
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 65_557); at -= 1) {
    if (readUint32(bytes, at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new XlsxError("The file is not a complete XLSX (zip) archive: its directory is missing, so it is probably truncated.");
  const count = readUint16(bytes, end + 10);
  let at = readUint32(bytes, end + 16);
  const entries = new Map<string, ZipEntry>();
  for (let index = 0; index < count; index += 1) {
    if (at + 46 > bytes.length || readUint32(bytes, at) !== 0x02014b50) {
      throw new XlsxError("The XLSX archive directory is damaged.");
    }
    const method = readUint16(bytes, at + 10);
    const compressedSize = readUint32(bytes, at + 20);
    const nameLength = readUint16(bytes, at + 28);
    const extraLength = readUint16(bytes, at + 30);
    const commentLength = readUint16(bytes, at + 32);
    const localOffset = readUint32(bytes, at + 42);
    const name = nameDecoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    if (localOffset + 30 > bytes.length || readUint32(bytes, localOffset) !== 0x04034b50) {
      throw new XlsxError(`The XLSX archive is damaged (entry ${name}).`);
    }
    const dataOffset = localOffset + 30 + readUint16(bytes, localOffset + 26) + readUint16(bytes, localOffset + 28);
    if (dataOffset + compressedSize > bytes.length) throw new XlsxError("The XLSX file is truncated.");
    entries.set(name, { name, method, compressedSize, dataOffset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function decompressionError(entry: ZipEntry, error: unknown): XlsxError {
  if (error instanceof XlsxError) return error;
  // A scanner's own failure is a bug, not a damaged file.
  if (error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError) throw error;
  return new XlsxError(`The XLSX part ${entry.name} cannot be decompressed (${(error as Error).message}); the file is damaged or truncated.`);
}

/** Streams one part's bytes into `units` (sync when `inflate` is). */
function streamPart(bytes: Uint8Array, entry: ZipEntry, units: XmlUnits, inflate: Inflate): void | Promise<void> {
  const data = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  if (entry.method === 0) {
    units.push(data);
    units.end();
    return;
  }
  if (entry.method !== 8) throw new XlsxError(`The XLSX part ${entry.name} uses an unsupported compression method.`);
  let running: void | Promise<void>;
  try {
    running = inflate(data, (piece) => units.push(piece));
  } catch (error) {
    throw decompressionError(entry, error);
  }
  if (running instanceof Promise) {
    return running.then(
      () => units.end(),
      (error: unknown) => {
        throw decompressionError(entry, error);
      },
    );
  }
  units.end();
}

/** A small part (workbook, relationships) as text. */
function readSmallPart(bytes: Uint8Array, entry: ZipEntry): string {
  const pieces: string[] = [];
  // Decoded once, whole: a multi-byte character may straddle two pieces.
  const units: XmlUnits = new XmlUnits((window, end, final) => {
    if (!final) return 0;
    pieces.push(units.text(window, 0, end));
    return end;
  });
  streamPart(bytes, entry, units, inflateInPieces);
  return pieces.join("");
}

function firstSheetPath(bytes: Uint8Array, entries: Map<string, ZipEntry>): string {
  const workbook = entries.get("xl/workbook.xml");
  const rels = entries.get("xl/_rels/workbook.xml.rels");
  if (workbook && rels) {
    const sheet = /<sheet\b[^>]*?\br:id="([^"]+)"/.exec(readSmallPart(bytes, workbook));
    if (sheet) {
      const relsXml = readSmallPart(bytes, rels);
      const relation = new RegExp(`<Relationship\\b[^>]*?Id="${sheet[1]!.replace(/[^\w]/g, "")}"[^>]*>`).exec(relsXml);
      const target = relation ? /Target="([^"]+)"/.exec(relation[0]) : null;
      if (target) {
        const path = target[1]!.startsWith("/") ? target[1]!.slice(1) : `xl/${target[1]!}`;
        if (entries.has(path)) return path;
      }
    }
  }
  const fallback = [...entries.keys()].filter((name) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name)).sort()[0];
  if (!fallback) throw new XlsxError("The XLSX file has no worksheet.");
  return fallback;
}

type OnRow = (cells: string[], rowNumber: number) => void;

interface Workbook {
  entries: Map<string, ZipEntry>;
  sheet: ZipEntry;
  shared: ZipEntry | undefined;
}

function openWorkbook(bytes: Uint8Array): Workbook {
  const entries = readZipDirectory(bytes);
  const sheet = entries.get(firstSheetPath(bytes, entries))!;
  return { entries, sheet, shared: entries.get("xl/sharedStrings.xml") };
}

function sharedStringsReader(strings: SharedStrings): XmlUnits {
  const units: XmlUnits = new XmlUnits(sharedStringsScanner({ units: () => units }, strings));
  return units;
}

function sheetReader(shared: SharedStrings, onRow: OnRow, { reuseCells = false, light, skipRow }: RowOptions): XmlUnits {
  const units: XmlUnits = new XmlUnits(
    worksheetScanner({ units: () => units, shared, reuseCells, ...(light ? { light } : {}), ...(skipRow ? { skipRow } : {}) }, onRow),
  );
  return units;
}

export interface RowOptions {
  /** Hand every row in the same array (refilled): for callers that do not keep it. */
  reuseCells?: boolean;
  /** Rows the caller needs only the gist of, and where that goes (xlsx-scanners.ts). */
  light?: LightRows;
  /**
   * Rows passed over unread (only their end is looked for): a second read
   * that wants a few known rows pays for little more than the inflating.
   */
  skipRow?: (rowNumber: number) => boolean;
}

/**
 * Calls `onRow` for every row of the first worksheet, in order. `rowNumber`
 * is the spreadsheet's own 1-based row number.
 */
export function forEachXlsxRow(bytes: Uint8Array, onRow: OnRow, options: RowOptions = {}): void {
  const workbook = openWorkbook(bytes);
  const shared = new SharedStrings();
  if (workbook.shared) streamPart(bytes, workbook.shared, sharedStringsReader(shared), inflateInPieces);
  streamPart(bytes, workbook.sheet, sheetReader(shared, onRow, options), inflateInPieces);
}

/** forEachXlsxRow with an inflater of the caller's (the server passes Node's zlib). */
export async function forEachXlsxRowAsync(bytes: Uint8Array, onRow: OnRow, inflate: Inflate, options: RowOptions = {}): Promise<void> {
  const workbook = openWorkbook(bytes);
  const shared = new SharedStrings();
  if (workbook.shared) await streamPart(bytes, workbook.shared, sharedStringsReader(shared), inflate);
  await streamPart(bytes, workbook.sheet, sheetReader(shared, onRow, options), inflate);
}

export interface XlsxRow {
  rowNumber: number;
  cells: string[];
}

export function readXlsxRows(bytes: Uint8Array): XlsxRow[] {
  const rows: XlsxRow[] = [];
  forEachXlsxRow(bytes, (cells, rowNumber) => rows.push({ rowNumber, cells }));
  return rows;
}

export async function readXlsxRowsAsync(bytes: Uint8Array, inflate: Inflate): Promise<XlsxRow[]> {
  const rows: XlsxRow[] = [];
  await forEachXlsxRowAsync(bytes, (cells, rowNumber) => rows.push({ rowNumber, cells }), inflate);
  return rows;
}
