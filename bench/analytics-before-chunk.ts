// The analytics store's chunk.ts as it was before its reads stopped decoding
// each month into float columns (commit e3ae291), kept only so
// bench/analytics.ts can measure both in one run. Not used by the app.
// One account-month of closed trades packed as bytes (the analytics store's
// unit, app/models/analytics/store.server.ts), and the selection of a
// view's trades from several of them. Every integer column is written as
// 32-bit integers when all its values fit, else as 64-bit floats (exact
// integers below 2^53 either way), or not at all when every trade of the
// month has the same value (a fee of 0), so a month of cent amounts and
// sub-month holds takes 26–38 bytes a trade, plus 2 a tag; the trades' ids
// (16 bytes each) are kept apart.
import { Dictionary } from "../app/domain/analytics/columns.ts";
import type { TradeColumns } from "../app/domain/analytics/types.ts";

const FORMAT = 1;

interface ChunkHeader {
  format: number;
  count: number;
  symbols: string[];
  sessions: (string | null)[];
  /** The chunk's tag codes name tag ids. */
  tagIds: string[];
  amountBound: number;
  boundDecimals: number;
  /** How each integer column is stored: a number is the one value of every trade (nothing stored). */
  widths: Record<IntegerColumn, Width | number>;
}

type IntegerColumn = "closeOffset" | "held" | "net" | "commission" | "swap" | "fee";
const INTEGER_COLUMNS: IntegerColumn[] = ["closeOffset", "held", "net", "commission", "swap", "fee"];

type Width = "i32" | "u32" | "f64";
const ARRAYS = { i32: Int32Array, u32: Uint32Array, f64: Float64Array };

/** The one value of every trade (a fee of 0, a flat commission), else the narrowest array type that holds every value exactly. */
function widthOf(values: Float64Array): Width | number {
  if (values.length && values.every((v) => Object.is(v, values[0]))) return values[0]!;
  if (values.every((v) => v === (v | 0))) return "i32";
  if (values.every((v) => v === v >>> 0)) return "u32";
  return "f64";
}

/** Canonical uuid text → 16 bytes at out[at]. */
function writeUuid(id: string, out: Uint8Array, at: number): void {
  const hex = id.replace(/-/g, "");
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error(`not a lowercase uuid: ${id}`);
  for (let b = 0; b < 16; b++) out[at + b] = parseInt(hex.slice(b * 2, b * 2 + 2), 16);
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

function readUuid(bytes: Uint8Array, at: number): string {
  let text = "";
  for (let b = 0; b < 16; b++) text += (b === 4 || b === 6 || b === 8 || b === 10 ? "-" : "") + HEX[bytes[at + b]!];
  return text;
}

/** Bytes in order: a uuid's canonical text sorts the same way. */
function compareUuids(bytes: Uint8Array, a: number, b: number): number {
  for (let k = 0; k < 16; k++) {
    const d = bytes[a * 16 + k]! - bytes[b * 16 + k]!;
    if (d) return d;
  }
  return 0;
}

class Writer {
  private parts: Uint8Array[] = [];
  length = 0;

  bytes(part: Uint8Array): void {
    this.parts.push(part);
    this.length += part.byteLength;
    const pad = (8 - (this.length % 8)) % 8; // every section starts 8-aligned
    if (pad) this.bytes(new Uint8Array(pad));
  }

  typed(view: ArrayBufferView): void {
    this.bytes(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  }

  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.byteLength;
    }
    return out;
  }
}

/** A month packed: its columns, and its trades' ids (16 bytes each, in the same order) apart, since a view needs few of them. */
export interface PackedChunk {
  data: Uint8Array;
  ids: Uint8Array;
}

/**
 * A chunk of `columns` (tag codes naming tag ids, trades with uuid ids in
 * close order, then id) whose close times fall at or after monthStartMs.
 */
export function encodeChunk(columns: TradeColumns, monthStartMs: number): PackedChunk {
  const n = columns.count;
  const integers: Record<IntegerColumn, Float64Array> = {
    closeOffset: columns.closeMs.map((ms) => ms - monthStartMs),
    held: columns.closeMs.map((ms, i) => ms - columns.openMs[i]!),
    net: columns.net,
    commission: columns.commission,
    swap: columns.swap,
    fee: columns.fee,
  };
  const widths = Object.fromEntries(INTEGER_COLUMNS.map((c) => [c, widthOf(integers[c])])) as ChunkHeader["widths"];
  const header: ChunkHeader = {
    format: FORMAT,
    count: n,
    symbols: columns.symbols,
    sessions: columns.sessions,
    tagIds: columns.tagNames,
    amountBound: columns.amountBound,
    boundDecimals: columns.boundDecimals,
    widths,
  };
  const writer = new Writer();
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  writer.typed(Uint32Array.of(headerBytes.byteLength));
  writer.bytes(headerBytes);
  for (const c of INTEGER_COLUMNS) {
    const width = widths[c];
    if (typeof width === "string") writer.typed(ARRAYS[width].from(integers[c]));
  }
  writer.typed(columns.risk);
  const ids = new Uint8Array(n * 16);
  for (let i = 0; i < n; i++) writeUuid(columns.id(i), ids, i * 16);
  if (columns.symbols.length > 65_536 || columns.sessions.length > 256 || columns.tagNames.length > 65_536) {
    throw new RangeError("too many distinct symbols, sessions or tags for one chunk");
  }
  writer.typed(Uint16Array.from(columns.symbol));
  writer.typed(Uint8Array.from(columns.session));
  writer.typed(columns.buy);
  writer.typed(columns.decimals);
  const tagCounts = new Uint8Array(n);
  for (let i = 0; i < n; i++) tagCounts[i] = Math.min(255, columns.tagStart[i + 1]! - columns.tagStart[i]!);
  if (tagCounts.some((count, i) => count !== columns.tagStart[i + 1]! - columns.tagStart[i]!)) throw new RangeError("more than 255 tags on a trade");
  writer.typed(tagCounts);
  writer.typed(Uint16Array.from(columns.tagCode));
  return { data: writer.concat(), ids };
}

/**
 * A decoded chunk: its columns with tag codes naming tag ids, and the ids'
 * bytes — or null when they were not read: the columns then name trade i by
 * pendingId(i) and order ties by position (their trades are in close order,
 * then id, already).
 */
export interface Chunk {
  /** Names the chunk in pending ids (the store: its account, month and version). */
  name: string;
  columns: TradeColumns;
  ids: Uint8Array | null;
}

/** Stands in for an id not read yet: trade `index` of the chunk named `chunk` (never a uuid). */
export function pendingId(chunk: string, index: number): string {
  return `pending:${chunk}:${index}`;
}

export function parsePendingId(text: string): { chunk: string; index: number } | null {
  const match = /^pending:(.*):(\d+)$/.exec(text);
  return match ? { chunk: match[1]!, index: Number(match[2]) } : null;
}

/** Reads encodeChunk's data (and ids, when given); `packed` should start 8-aligned in its buffer (else it is copied). */
export function decodeChunk(packed: Uint8Array, monthStartMs: number, ids: Uint8Array | null, name = ""): Chunk {
  const bytes = packed.byteOffset % 8 === 0 ? packed : new Uint8Array(packed); // a copy, at offset 0
  const buffer = bytes.buffer;
  let at = 0;
  const take = (length: number) => {
    const start = at;
    at += length + ((8 - (length % 8)) % 8);
    return start;
  };
  const base = bytes.byteOffset;
  const headerLength = new Uint32Array(buffer, base + take(4), 1)[0]!;
  const headerStart = take(headerLength);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(headerStart, headerStart + headerLength))) as ChunkHeader;
  if (header.format !== FORMAT) throw new Error(`unknown analytics chunk format ${header.format}`);
  const n = header.count;
  // Always a copy: the packed bytes are left as they are (they may be stored after reading).
  const integer = (c: IntegerColumn): Float64Array => {
    const width = header.widths[c];
    if (typeof width === "number") return new Float64Array(n).fill(width);
    const start = take(n * ARRAYS[width].BYTES_PER_ELEMENT);
    const at = base + start;
    return Float64Array.from(
      width === "i32" ? new Int32Array(buffer, at, n) : width === "u32" ? new Uint32Array(buffer, at, n) : new Float64Array(buffer, at, n),
    );
  };
  const closeMs = integer("closeOffset");
  for (let i = 0; i < n; i++) closeMs[i] = closeMs[i]! + monthStartMs;
  const openMs = integer("held");
  for (let i = 0; i < n; i++) openMs[i] = closeMs[i]! - openMs[i]!;
  const net = integer("net");
  const commission = integer("commission");
  const swap = integer("swap");
  const fee = integer("fee");
  const risk = new Float64Array(buffer, base + take(n * 8), n);
  const symbol = Uint32Array.from(new Uint16Array(buffer, base + take(n * 2), n));
  const session = Uint32Array.from(new Uint8Array(buffer, base + take(n), n));
  const buy = new Uint8Array(buffer, base + take(n), n);
  const decimals = new Uint8Array(buffer, base + take(n), n);
  const tagCounts = new Uint8Array(buffer, base + take(n), n);
  const tagStart = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) tagStart[i + 1] = tagStart[i]! + tagCounts[i]!;
  const tagCode = Uint32Array.from(new Uint16Array(buffer, base + take(tagStart[n]! * 2), tagStart[n]!));
  return {
    name,
    ids,
    columns: {
      count: n,
      id: ids ? (i) => readUuid(ids, i * 16) : (i) => pendingId(name, i),
      compareIds: ids ? (a, b) => compareUuids(ids, a, b) : (a, b) => a - b,
      openMs,
      closeMs,
      net,
      commission,
      swap,
      fee,
      decimals,
      amountBound: header.amountBound,
      boundDecimals: header.boundDecimals,
      risk,
      symbol,
      symbols: header.symbols,
      session,
      sessions: header.sessions,
      buy,
      tagStart,
      tagCode,
      tagNames: header.tagIds,
    },
  };
}

/** Which trades of the chunks a view takes: closed in [fromMs, toMs), and the narrowing filters. */
export interface ChunkSelection {
  fromMs: number;
  toMs: number;
  symbol?: string | null;
  session?: string | null;
  direction?: "buy" | "sell" | null;
  /** A tag id the trade must carry. */
  tagId?: string | null;
}

/**
 * The selected trades of several chunks as one set of columns, tag codes
 * naming tags (tagName maps an id; ids of one name share a code). Chunks
 * may come in any order; the columns keep each chunk's order, and
 * prepare() orders the whole when they interleave (several accounts: read
 * their ids, prepare() orders ties by them). A trade of a chunk without ids
 * is named pendingId(its chunk's name, its index there).
 */
export function selectTrades(chunks: readonly Chunk[], where: ChunkSelection, tagName: (id: string) => string): TradeColumns {
  // Per chunk: null = every trade, else the kept indices.
  const kept: (Int32Array | null)[] = chunks.map((chunk) => {
    const c = chunk.columns;
    const narrowed = where.symbol || where.session || where.direction || where.tagId;
    if (!narrowed && (c.count === 0 || (c.closeMs[0]! >= where.fromMs && c.closeMs[c.count - 1]! < where.toMs && isSorted(c.closeMs)))) return null;
    const symbolCode = where.symbol ? c.symbols.indexOf(where.symbol) : -1;
    const sessionCode = where.session ? c.sessions.indexOf(where.session) : -1;
    const tagCode = where.tagId ? c.tagNames.indexOf(where.tagId) : -1;
    if ((where.symbol && symbolCode < 0) || (where.session && sessionCode < 0) || (where.tagId && tagCode < 0)) return new Int32Array(0);
    const buy = where.direction ? (where.direction === "buy" ? 1 : 0) : -1;
    const indices = new Int32Array(c.count);
    let length = 0;
    for (let i = 0; i < c.count; i++) {
      const ms = c.closeMs[i]!;
      if (ms < where.fromMs || ms >= where.toMs) continue;
      if (symbolCode >= 0 && c.symbol[i] !== symbolCode) continue;
      if (sessionCode >= 0 && c.session[i] !== sessionCode) continue;
      if (buy >= 0 && c.buy[i] !== buy) continue;
      if (tagCode >= 0) {
        let tagged = false;
        for (let j = c.tagStart[i]!; j < c.tagStart[i + 1]! && !tagged; j++) tagged = c.tagCode[j] === tagCode;
        if (!tagged) continue;
      }
      indices[length++] = i;
    }
    return indices.subarray(0, length);
  });
  const n = kept.reduce((total, indices, k) => total + (indices ? indices.length : chunks[k]!.columns.count), 0);
  // Ids: copied when every chunk has them read, else where each trade came from.
  const withIds = chunks.every((chunk) => chunk.ids !== null);
  const ids = new Uint8Array(withIds ? n * 16 : 0);
  const fromChunk = new Int32Array(withIds ? 0 : n);
  const fromIndex = new Int32Array(withIds ? 0 : n);
  const openMs = new Float64Array(n);
  const closeMs = new Float64Array(n);
  const net = new Float64Array(n);
  const commission = new Float64Array(n);
  const swap = new Float64Array(n);
  const fee = new Float64Array(n);
  const decimals = new Uint8Array(n);
  const risk = new Float64Array(n);
  const symbol = new Uint32Array(n);
  const session = new Uint32Array(n);
  const buy = new Uint8Array(n);
  const tagStart = new Uint32Array(n + 1);
  let tagCodes = new Uint32Array(1024);
  let tagLength = 0;
  const symbols = new Dictionary<string>();
  const sessions = new Dictionary<string | null>();
  const tagNames = new Dictionary<string>();
  let amountBound = 0;
  let boundDecimals = 0;
  for (const chunk of chunks) boundDecimals = Math.max(boundDecimals, chunk.columns.boundDecimals);
  let out = 0;
  chunks.forEach((chunk, k) => {
    const indices = kept[k]!;
    const c = chunk.columns;
    if (indices?.length === 0 || c.count === 0) return;
    // A chunk's bound covers all its trades, so it bounds any selection of them.
    amountBound += c.amountBound * 10 ** (boundDecimals - c.boundDecimals);
    const symbolCodes = c.symbols.map((s) => symbols.code(s));
    const sessionCodes = c.sessions.map((s) => sessions.code(s));
    const tagCodesOf = c.tagNames.map((id) => tagNames.code(tagName(id)));
    if (tagLength + c.tagCode.length > tagCodes.length) {
      const grown = new Uint32Array(Math.max(tagCodes.length * 2, tagLength + c.tagCode.length));
      grown.set(tagCodes);
      tagCodes = grown;
    }
    const copyTags = (i: number) => {
      const first = tagLength;
      for (let j = c.tagStart[i]!; j < c.tagStart[i + 1]!; j++) {
        const code = tagCodesOf[c.tagCode[j]!]!;
        let seen = false; // two tags of one name count once
        for (let x = first; x < tagLength && !seen; x++) seen = tagCodes[x] === code;
        if (!seen) tagCodes[tagLength++] = code;
      }
      tagStart[++out] = tagLength;
    };
    if (indices === null) {
      // Every trade: whole columns at once.
      if (withIds) ids.set(chunk.ids!, out * 16);
      else {
        fromChunk.fill(k, out, out + c.count);
        for (let i = 0; i < c.count; i++) fromIndex[out + i] = i;
      }
      openMs.set(c.openMs, out);
      closeMs.set(c.closeMs, out);
      net.set(c.net, out);
      commission.set(c.commission, out);
      swap.set(c.swap, out);
      fee.set(c.fee, out);
      decimals.set(c.decimals, out);
      risk.set(c.risk, out);
      buy.set(c.buy, out);
      const start = out;
      for (let i = 0; i < c.count; i++) {
        symbol[start + i] = symbolCodes[c.symbol[i]!]!;
        session[start + i] = sessionCodes[c.session[i]!]!;
      }
      if (c.tagCode.length === 0) {
        tagStart.fill(tagLength, start + 1, start + c.count + 1);
        out += c.count;
      } else {
        for (let i = 0; i < c.count; i++) copyTags(i);
      }
      return;
    }
    for (const i of indices) {
      if (withIds) ids.set(chunk.ids!.subarray(i * 16, i * 16 + 16), out * 16);
      else {
        fromChunk[out] = k;
        fromIndex[out] = i;
      }
      openMs[out] = c.openMs[i]!;
      closeMs[out] = c.closeMs[i]!;
      net[out] = c.net[i]!;
      commission[out] = c.commission[i]!;
      swap[out] = c.swap[i]!;
      fee[out] = c.fee[i]!;
      decimals[out] = c.decimals[i]!;
      risk[out] = c.risk[i]!;
      symbol[out] = symbolCodes[c.symbol[i]!]!;
      session[out] = sessionCodes[c.session[i]!]!;
      buy[out] = c.buy[i]!;
      copyTags(i);
    }
  });
  return {
    count: n,
    id: withIds
      ? (i) => readUuid(ids, i * 16)
      : (i) => {
          const source = chunks[fromChunk[i]!]!.ids;
          return source ? readUuid(source, fromIndex[i]! * 16) : pendingId(chunks[fromChunk[i]!]!.name, fromIndex[i]!);
        },
    // Without ids the chunks hold one account's trades in close order, then id (see Chunk).
    compareIds: withIds ? (a, b) => compareUuids(ids, a, b) : (a, b) => a - b,
    openMs,
    closeMs,
    net,
    commission,
    swap,
    fee,
    decimals,
    amountBound,
    boundDecimals,
    risk,
    symbol,
    symbols: symbols.values,
    session,
    sessions: sessions.values,
    buy,
    tagStart,
    tagCode: tagCodes.slice(0, tagLength),
    tagNames: tagNames.values,
  };
}

function isSorted(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if (values[i - 1]! > values[i]!) return false;
  return true;
}
