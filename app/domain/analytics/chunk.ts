// One account-month of closed trades packed as bytes (the analytics store's
// unit, app/models/analytics/store.server.ts), and the selection of a
// view's trades from several of them. Every integer column is written as
// 32-bit integers when all its values fit, else as 64-bit floats (exact
// integers below 2^53 either way), or not at all when every trade of the
// month has the same value (a fee of 0), so a month of cent amounts and
// sub-month holds takes 26–38 bytes a trade, plus 2 a tag; the trades' ids
// (16 bytes each) are kept apart.
import { Dictionary } from "./columns.ts";
import type { TradeColumns } from "./types.ts";

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

const HEX_CODES = Array.from("0123456789abcdef", (digit) => digit.charCodeAt(0));
const UUID_CODES: number[] = Array.from("00000000-0000-0000-0000-000000000000", (c) => c.charCodeAt(0));
/** Where each byte's two digits go in the canonical text. */
const UUID_DIGIT_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/**
 * The canonical text of the uuid at bytes[at, at + 16), built from character
 * codes in one piece: appending 20 parts made a chain of partial strings per
 * id, flattened (and left as garbage) on first use — a curve names 2,000.
 */
function readUuid(bytes: Uint8Array, at: number): string {
  for (let b = 0; b < 16; b++) {
    const byte = bytes[at + b]!;
    UUID_CODES[UUID_DIGIT_AT[b]!] = HEX_CODES[byte >> 4]!;
    UUID_CODES[UUID_DIGIT_AT[b]! + 1] = HEX_CODES[byte & 15]!;
  }
  return String.fromCharCode.apply(null, UUID_CODES);
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
 * A month's columns as stored: views over the packed bytes (never copied or
 * written to), a number where every trade shares the value. selectTrades
 * copies them straight into a view's columns, so reading a month allocates
 * nothing a trade (a profile found decoding into float columns first, then
 * copying again, a good part of an uncached load's garbage).
 */
export interface PackedColumns {
  count: number;
  monthStartMs: number;
  closeOffset: IntegerView;
  held: IntegerView;
  net: IntegerView;
  commission: IntegerView;
  swap: IntegerView;
  fee: IntegerView;
  decimals: Uint8Array;
  amountBound: number;
  boundDecimals: number;
  risk: Float64Array;
  symbol: Uint16Array;
  symbols: string[];
  session: Uint8Array;
  sessions: (string | null)[];
  buy: Uint8Array;
  /** Null when no trade of the month has a tag. */
  tagStart: Uint32Array | null;
  tagCode: Uint16Array;
  /** The tag codes name tag ids. */
  tagIds: string[];
}

type IntegerView = Int32Array | Uint32Array | Float64Array | number;

const valueAt = (column: IntegerView, i: number): number => (typeof column === "number" ? column : column[i]!);

/** column[0 .. n) into target[at ..), as 64-bit floats (exact: every stored value is an integer below 2^53). */
function copyInteger(column: IntegerView, target: Float64Array, at: number, n: number): void {
  if (typeof column === "number") target.fill(column, at, at + n);
  else target.set(column, at);
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
  /** The columns as TradeColumns (built on first use; selectTrades reads `packed`). */
  readonly columns: TradeColumns;
  packed: PackedColumns;
  ids: Uint8Array | null;
}

/** Stands in for an id not read yet: trade `index` of the chunk named `chunk` (never a uuid). */
export function pendingId(chunk: string, index: number): string {
  return `pending:${chunk}:${index}`;
}

export function parsePendingId(text: string): { chunk: string; index: number } | null {
  if (!text.startsWith("pending:")) return null; // a read id (most of them): no pattern to run
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
  const integer = (c: IntegerColumn): IntegerView => {
    const width = header.widths[c];
    if (typeof width === "number") return width;
    const at = base + take(n * ARRAYS[width].BYTES_PER_ELEMENT);
    return width === "i32" ? new Int32Array(buffer, at, n) : width === "u32" ? new Uint32Array(buffer, at, n) : new Float64Array(buffer, at, n);
  };
  const closeOffset = integer("closeOffset");
  const held = integer("held");
  const net = integer("net");
  const commission = integer("commission");
  const swap = integer("swap");
  const fee = integer("fee");
  const risk = new Float64Array(buffer, base + take(n * 8), n);
  const symbol = new Uint16Array(buffer, base + take(n * 2), n);
  const session = new Uint8Array(buffer, base + take(n), n);
  const buy = new Uint8Array(buffer, base + take(n), n);
  const decimals = new Uint8Array(buffer, base + take(n), n);
  const tagCounts = new Uint8Array(buffer, base + take(n), n);
  let tags = 0;
  for (let i = 0; i < n; i++) tags += tagCounts[i]!;
  let tagStart: Uint32Array | null = null;
  if (tags) {
    tagStart = new Uint32Array(n + 1);
    for (let i = 0; i < n; i++) tagStart[i + 1] = tagStart[i]! + tagCounts[i]!;
  }
  const tagCode = new Uint16Array(buffer, base + take(tags * 2), tags);
  const columns: PackedColumns = {
    count: n,
    monthStartMs,
    closeOffset,
    held,
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
    tagIds: header.tagIds,
  };
  let unpacked: TradeColumns | null = null;
  return {
    name,
    ids,
    packed: columns,
    get columns() {
      return (unpacked ??= unpack(columns, ids, name));
    },
  };
}

/** A chunk's packed columns as TradeColumns (new arrays; tag codes naming tag ids). */
function unpack(p: PackedColumns, ids: Uint8Array | null, name: string): TradeColumns {
  const n = p.count;
  const float = (column: IntegerView) => {
    const values = new Float64Array(n);
    copyInteger(column, values, 0, n);
    return values;
  };
  const closeMs = float(p.closeOffset);
  for (let i = 0; i < n; i++) closeMs[i] = closeMs[i]! + p.monthStartMs;
  const openMs = float(p.held);
  for (let i = 0; i < n; i++) openMs[i] = closeMs[i]! - openMs[i]!;
  const widen = <T extends Uint32Array>(target: T, source: Uint8Array | Uint16Array) => (target.set(source), target);
  return {
    count: n,
    id: ids ? (i) => readUuid(ids, i * 16) : (i) => pendingId(name, i),
    compareIds: ids ? (a, b) => compareUuids(ids, a, b) : (a, b) => a - b,
    openMs,
    closeMs,
    net: float(p.net),
    commission: float(p.commission),
    swap: float(p.swap),
    fee: float(p.fee),
    decimals: p.decimals,
    amountBound: p.amountBound,
    boundDecimals: p.boundDecimals,
    risk: p.risk,
    symbol: widen(new Uint32Array(n), p.symbol),
    symbols: p.symbols,
    session: widen(new Uint32Array(n), p.session),
    sessions: p.sessions,
    buy: p.buy,
    tagStart: p.tagStart ?? new Uint32Array(n + 1),
    tagCode: widen(new Uint32Array(p.tagCode.length), p.tagCode),
    tagNames: p.tagIds,
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
  const kept: (Int32Array | null)[] = chunks.map(({ packed: c }) => {
    const narrowed = where.symbol || where.session || where.direction || where.tagId;
    const closeAt = (i: number) => c.monthStartMs + valueAt(c.closeOffset, i);
    if (!narrowed && (c.count === 0 || (closeAt(0) >= where.fromMs && closeAt(c.count - 1) < where.toMs && isSorted(c.closeOffset)))) return null;
    const symbolCode = where.symbol ? c.symbols.indexOf(where.symbol) : -1;
    const sessionCode = where.session ? c.sessions.indexOf(where.session) : -1;
    const tagCode = where.tagId ? c.tagIds.indexOf(where.tagId) : -1;
    if ((where.symbol && symbolCode < 0) || (where.session && sessionCode < 0) || (where.tagId && tagCode < 0)) return new Int32Array(0);
    const buy = where.direction ? (where.direction === "buy" ? 1 : 0) : -1;
    const indices = new Int32Array(c.count);
    let length = 0;
    for (let i = 0; i < c.count; i++) {
      const ms = closeAt(i);
      if (ms < where.fromMs || ms >= where.toMs) continue;
      if (symbolCode >= 0 && c.symbol[i] !== symbolCode) continue;
      if (sessionCode >= 0 && c.session[i] !== sessionCode) continue;
      if (buy >= 0 && c.buy[i] !== buy) continue;
      if (tagCode >= 0) {
        let tagged = false;
        // tagCode >= 0 means the chunk has tags, so tagStart is there.
        for (let j = c.tagStart![i]!; j < c.tagStart![i + 1]! && !tagged; j++) tagged = c.tagCode[j] === tagCode;
        if (!tagged) continue;
      }
      indices[length++] = i;
    }
    return indices.subarray(0, length);
  });
  const n = kept.reduce((total, indices, k) => total + (indices ? indices.length : chunks[k]!.packed.count), 0);
  // Ids: copied when every chunk has them read, else where each trade came from.
  const withIds = chunks.every((chunk) => chunk.ids !== null);
  const ids = new Uint8Array(withIds ? n * 16 : 0);
  // Without ids, trade i of the result is trade (i − starts[k]) of chunk k's selection: found by search, for the few ids a view names.
  const starts = new Int32Array(chunks.length + 1);
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
  for (const chunk of chunks) boundDecimals = Math.max(boundDecimals, chunk.packed.boundDecimals);
  let out = 0;
  chunks.forEach((chunk, k) => {
    const indices = kept[k]!;
    const c = chunk.packed;
    starts[k] = out;
    starts[k + 1] = out;
    if (indices?.length === 0 || c.count === 0) return;
    starts[k + 1] = out + (indices ? indices.length : c.count);
    // A chunk's bound covers all its trades, so it bounds any selection of them.
    amountBound += c.amountBound * 10 ** (boundDecimals - c.boundDecimals);
    const symbolCodes = c.symbols.map((s) => symbols.code(s));
    const sessionCodes = c.sessions.map((s) => sessions.code(s));
    const tagCodesOf = c.tagIds.map((id) => tagNames.code(tagName(id)));
    if (tagLength + c.tagCode.length > tagCodes.length) {
      const grown = new Uint32Array(Math.max(tagCodes.length * 2, tagLength + c.tagCode.length));
      grown.set(tagCodes);
      tagCodes = grown;
    }
    const copyTags = (i: number) => {
      const first = tagLength;
      if (c.tagStart) {
        for (let j = c.tagStart[i]!; j < c.tagStart[i + 1]!; j++) {
          const code = tagCodesOf[c.tagCode[j]!]!;
          let seen = false; // two tags of one name count once
          for (let x = first; x < tagLength && !seen; x++) seen = tagCodes[x] === code;
          if (!seen) tagCodes[tagLength++] = code;
        }
      }
      tagStart[++out] = tagLength;
    };
    if (indices === null) {
      // Every trade: whole columns at once.
      const start = out;
      const count = c.count;
      if (withIds) ids.set(chunk.ids!, start * 16);
      copyInteger(c.closeOffset, closeMs, start, count);
      copyInteger(c.held, openMs, start, count);
      for (let i = start; i < start + count; i++) {
        closeMs[i] = closeMs[i]! + c.monthStartMs;
        openMs[i] = closeMs[i]! - openMs[i]!;
      }
      copyInteger(c.net, net, start, count);
      copyInteger(c.commission, commission, start, count);
      copyInteger(c.swap, swap, start, count);
      copyInteger(c.fee, fee, start, count);
      decimals.set(c.decimals, start);
      risk.set(c.risk, start);
      buy.set(c.buy, start);
      for (let i = 0; i < count; i++) {
        symbol[start + i] = symbolCodes[c.symbol[i]!]!;
        session[start + i] = sessionCodes[c.session[i]!]!;
      }
      if (c.tagStart === null) {
        tagStart.fill(tagLength, start + 1, start + count + 1);
        out += count;
      } else {
        for (let i = 0; i < count; i++) copyTags(i);
      }
      return;
    }
    for (const i of indices) {
      if (withIds) ids.set(chunk.ids!.subarray(i * 16, i * 16 + 16), out * 16);
      const closeAt = c.monthStartMs + valueAt(c.closeOffset, i);
      closeMs[out] = closeAt;
      openMs[out] = closeAt - valueAt(c.held, i);
      net[out] = valueAt(c.net, i);
      commission[out] = valueAt(c.commission, i);
      swap[out] = valueAt(c.swap, i);
      fee[out] = valueAt(c.fee, i);
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
          // The last chunk starting at or before i that holds trades.
          let low = 0;
          let high = chunks.length - 1;
          while (low < high) {
            const middle = (low + high + 1) >> 1;
            if (starts[middle]! <= i) low = middle;
            else high = middle - 1;
          }
          while (starts[low + 1]! <= i) low++; // skip chunks that gave no trades
          const indices = kept[low];
          const index = indices ? indices[i - starts[low]!]! : i - starts[low]!;
          const source = chunks[low]!.ids;
          return source ? readUuid(source, index * 16) : pendingId(chunks[low]!.name, index);
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

/** Constant columns are sorted. */
function isSorted(values: IntegerView): boolean {
  if (typeof values === "number") return true;
  for (let i = 1; i < values.length; i++) if (values[i - 1]! > values[i]!) return false;
  return true;
}
