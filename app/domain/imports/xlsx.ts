// Reads the first worksheet of an XLSX file as rows of cell texts, without a
// DOM: the zip's central directory is read directly, the sheet is inflated in
// slices (fflate's streaming Inflate) and its XML is scanned row by row as it
// arrives, so a 100 000-position report never exists as one giant string.
//
// MT5 writes its XML parts as UTF-16LE with a BOM and its times as text; other
// writers use UTF-8. Cells come back as the text the file holds: shared and
// inline strings resolved, numbers as written ("1.12895"), gaps in cell
// references filled with "".
import { Inflate, inflateSync } from "fflate";

export class XlsxError extends Error {
  override name = "XlsxError";
}

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

/** Picks the decoder from the BOM; UTF-16 without BOM is recognised by "<\0". */
function decoderFor(head: Uint8Array): TextDecoder {
  if (head[0] === 0xff && head[1] === 0xfe) return new TextDecoder("utf-16le");
  if (head[0] === 0xfe && head[1] === 0xff) return new TextDecoder("utf-16be");
  if (head[0] === 0x3c && head[1] === 0x00) return new TextDecoder("utf-16le");
  if (head[0] === 0x00 && head[1] === 0x3c) return new TextDecoder("utf-16be");
  return new TextDecoder("utf-8");
}

const SLICE = 1 << 16;

/** Inflates one entry and hands its decoded text to `onText` piece by piece. */
function streamEntryText(bytes: Uint8Array, entry: ZipEntry, onText: (text: string) => void): void {
  // TextDecoder's UTF-16 path measured faster than compacting ASCII by hand.
  let decoder: TextDecoder | null = null;
  const emit = (chunk: Uint8Array, final: boolean) => {
    if (!decoder) {
      if (chunk.length === 0 && !final) return;
      decoder = decoderFor(chunk);
    }
    const text = decoder.decode(chunk, { stream: !final });
    if (text) onText(text);
  };
  const data = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  if (entry.method === 0) {
    emit(data, true);
    return;
  }
  if (entry.method !== 8) throw new XlsxError(`The XLSX part ${entry.name} uses an unsupported compression method.`);
  // Decoding waits for the first bytes, which carry the BOM.
  let pendingHead: Uint8Array | null = null;
  const inflater = new Inflate((output, final) => {
    let chunk: Uint8Array = output;
    if (!decoder && chunk.length < 2 && !final) {
      pendingHead = pendingHead ? concat(pendingHead, chunk) : chunk;
      return;
    }
    if (pendingHead) {
      chunk = concat(pendingHead, chunk);
      pendingHead = null;
    }
    emit(chunk, final);
  });
  try {
    for (let at = 0; at < data.length; at += SLICE) {
      const end = Math.min(at + SLICE, data.length);
      inflater.push(data.subarray(at, end), end === data.length);
    }
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (error) {
    throw new XlsxError(`The XLSX part ${entry.name} cannot be decompressed (${(error as Error).message}); the file is damaged or truncated.`);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function readEntryText(bytes: Uint8Array, entry: ZipEntry): string {
  const data = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  let raw: Uint8Array;
  try {
    raw = entry.method === 0 ? data : inflateSync(data);
  } catch (error) {
    throw new XlsxError(`The XLSX part ${entry.name} cannot be decompressed (${(error as Error).message}).`);
  }
  return decoderFor(raw).decode(raw);
}

export function decodeXmlText(text: string): string {
  let out = text;
  if (out.includes("&")) {
    out = out.replace(/&(#[xX][0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (whole, body: string) => {
      switch (body) {
        case "amp": return "&";
        case "lt": return "<";
        case "gt": return ">";
        case "quot": return '"';
        case "apos": return "'";
        default: {
          const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
          return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
        }
      }
    });
  }
  if (out.includes("_x")) out = out.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return out;
}

const TEXT_RUN = /<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g;

function stringItemText(inner: string): string {
  const source = inner.includes("<rPh") ? inner.replace(/<rPh\b[\s\S]*?<\/rPh>/g, "") : inner;
  let text = "";
  TEXT_RUN.lastIndex = 0;
  for (let match = TEXT_RUN.exec(source); match; match = TEXT_RUN.exec(source)) text += match[1] ?? "";
  return decodeXmlText(text);
}

function readSharedStrings(xml: string): string[] {
  const strings: string[] = [];
  const item = /<si>([\s\S]*?)<\/si>|<si\/>/g;
  for (let match = item.exec(xml); match; match = item.exec(xml)) strings.push(match[1] ? stringItemText(match[1]) : "");
  return strings;
}

function firstSheetPath(bytes: Uint8Array, entries: Map<string, ZipEntry>): string {
  const workbook = entries.get("xl/workbook.xml");
  const rels = entries.get("xl/_rels/workbook.xml.rels");
  if (workbook && rels) {
    const sheet = /<sheet\b[^>]*?\br:id="([^"]+)"/.exec(readEntryText(bytes, workbook));
    if (sheet) {
      const relsXml = readEntryText(bytes, rels);
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

function columnIndex(reference: string): number {
  let index = 0;
  for (let i = 0; i < reference.length; i += 1) {
    const code = reference.charCodeAt(i);
    if (code < 65 || code > 90) break;
    index = index * 26 + (code - 64);
  }
  return index - 1;
}

function attribute(source: string, name: string): string | null {
  const at = source.indexOf(` ${name}="`);
  if (at < 0) return null;
  const start = at + name.length + 3;
  return source.slice(start, source.indexOf('"', start));
}

const ROW = /<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g;
const CELL = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g;

function cellValue(type: string | null, inner: string | undefined, shared: string[]): string {
  if (!inner) return "";
  if (type === "inlineStr") {
    const inline = /<is>([\s\S]*?)<\/is>/.exec(inner);
    return inline ? stringItemText(inline[1]!) : "";
  }
  const start = inner.indexOf("<v>");
  if (start < 0) return "";
  const raw = inner.slice(start + 3, inner.indexOf("</v>", start));
  if (type === "s") return shared[Number(raw)] ?? "";
  if (type === "b") return raw === "1" ? "TRUE" : "FALSE";
  return decodeXmlText(raw);
}

/**
 * Calls `onRow` for every row of the first worksheet, in order. `rowNumber`
 * is the spreadsheet's own 1-based row number.
 */
export function forEachXlsxRow(bytes: Uint8Array, onRow: (cells: string[], rowNumber: number) => void): void {
  const entries = readZipDirectory(bytes);
  const sharedEntry = entries.get("xl/sharedStrings.xml");
  const shared = sharedEntry ? readSharedStrings(readEntryText(bytes, sharedEntry)) : [];
  const sheetPath = firstSheetPath(bytes, entries);
  let pending = "";
  let nextRowNumber = 1;

  const consume = (xml: string) => {
    ROW.lastIndex = 0;
    for (let row = ROW.exec(xml); row; row = ROW.exec(xml)) {
      const reference = attribute(row[1]!, "r");
      const rowNumber = reference ? Number(reference) : nextRowNumber;
      nextRowNumber = rowNumber + 1;
      const cells: string[] = [];
      const inner = row[2];
      if (inner) {
        CELL.lastIndex = 0;
        for (let cell = CELL.exec(inner); cell; cell = CELL.exec(inner)) {
          const attributes = cell[1]!;
          const cellReference = attribute(attributes, "r");
          const column = cellReference ? columnIndex(cellReference) : cells.length;
          while (cells.length < column) cells.push("");
          cells[column] = cellValue(attribute(attributes, "t"), cell[2], shared);
        }
      }
      onRow(cells, rowNumber);
    }
  };

  streamEntryText(bytes, entries.get(sheetPath)!, (text) => {
    pending += text;
    const cut = pending.lastIndexOf("</row>");
    if (cut < 0) return;
    const complete = pending.slice(0, cut + 6);
    pending = pending.slice(cut + 6);
    consume(complete);
  });
  if (pending) consume(pending);
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
