// Rows in PostgreSQL's binary COPY format, written straight into a Buffer:
// the bulk path stages imported and synced rows with
// `COPY … FROM STDIN (FORMAT binary)` (app/models/staged-copy.server.ts). In
// binary no value is ever escaped or quoted — a comment holding tabs,
// newlines, backslashes or "\N" is sent as its UTF-8 bytes — and the server
// decodes each value without parsing text.
//
// The format (PostgreSQL's documentation, COPY, "Binary Format"): the
// signature PGCOPY\n\377\r\n\0, a 32-bit flags field and a 32-bit header
// extension length (both 0); per row a 16-bit field count, then per field a
// 32-bit length (-1 for NULL) and the value; a 16-bit -1 ends the data.
// Values as the types' *_send/*_recv functions write them: bool 1 byte; uuid
// 16 bytes; text UTF-8; int2 2 bytes; int8 8 bytes; timestamptz microseconds
// since 2000-01-01 UTC, 8 bytes; jsonb version 1 then the JSON text; numeric
// digit count, weight, sign, display scale, then base-10000 digits (the
// display scale keeps "1.50" as 1.50, as text input does).
import Big from "big.js";

export type CopyType = "bool" | "uuid" | "text" | "int2" | "int8" | "timestamptz" | "numeric" | "jsonb";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
/** The signature, then the flags and the header extension's length (both 0). */
const COPY_HEADER = Buffer.concat([SIGNATURE, Buffer.alloc(8)]);
const HEADER = COPY_HEADER.length;
const COPY_TRAILER = Buffer.from([0xff, 0xff]);
/** 2000-01-01T00:00:00Z in Unix milliseconds. */
const POSTGRES_EPOCH_MS = 946_684_800_000;
const TWO_32 = 2 ** 32;
const PLAIN_DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const HEX = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

const isPlainDecimal = (text: string) => PLAIN_DECIMAL.test(text);

/** "1e-7" and the like as plain decimal text (what numeric's text input would read); refuses anything else. */
function plainDecimal(text: string): string {
  try {
    return new Big(text.trim()).toFixed();
  } catch {
    throw new Error(`"${text}" is not a decimal number`);
  }
}

export type CopyValue = string | number | boolean | Date | null | undefined;

/**
 * One column of a COPY: its name, its type, and how a row gives its value — a
 * string (or number, for int2; boolean, for bool) in the column's type, a
 * Date for a timestamptz, or null. `id` is whatever the caller adds the row
 * with (the store: the trade id a row is written under).
 */
export type CopyColumn<Row> = readonly [name: string, type: CopyType, value: (row: Row, id: string) => CopyValue];

/**
 * One COPY stream of the rows of several BinaryCopyRows of the same columns,
 * in order: one header, their rows, one trailer (views, no copying).
 */
export function copyStreamOf<Row>(parts: readonly BinaryCopyRows<Row>[]): Buffer[] {
  if (parts.length === 1) return [parts[0]!.data()];
  return [COPY_HEADER, ...parts.map((part) => part.rowData()), COPY_TRAILER];
}

/**
 * The rows of one COPY, appended a row at a time. `data()` is the whole COPY
 * stream (header, rows, trailer); `reset()` empties it for the next rows,
 * keeping the buffer.
 */
export class BinaryCopyRows<Row> {
  private buffer = Buffer.allocUnsafe(256 * 1024);
  private at = HEADER;
  private rows = 0;

  constructor(readonly columns: readonly CopyColumn<Row>[]) {
    COPY_HEADER.copy(this.buffer, 0);
  }

  get count(): number {
    return this.rows;
  }

  /** Empties the rows, keeping the buffer (the last data() view is overwritten by the next rows). */
  reset(): this {
    this.at = HEADER;
    this.rows = 0;
    return this;
  }

  /** The column names, in the order the rows hold them (for the COPY statement). */
  names(): string[] {
    return this.columns.map(([name]) => name);
  }

  /** Appends one row. */
  add(row: Row, id: string): void {
    const { columns } = this;
    this.reserve(2);
    this.buffer.writeInt16BE(columns.length, this.at);
    this.at += 2;
    for (let i = 0; i < columns.length; i++) {
      const [, type, value] = columns[i]!;
      this.push(type, value(row, id));
    }
    this.rows++;
  }

  /** The COPY data for the rows so far: a view of the buffer, valid until the next add or reset. */
  data(): Buffer {
    this.reserve(2);
    this.buffer.writeInt16BE(-1, this.at);
    return this.buffer.subarray(0, this.at + 2);
  }

  /** The rows alone (no header, no trailer): a view of the buffer, valid until the next add or reset. */
  rowData(): Buffer {
    return this.buffer.subarray(HEADER, this.at);
  }

  private reserve(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.at + bytes) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buffer.copy(grown, 0, 0, this.at);
    this.buffer = grown;
  }

  private push(type: CopyType, value: CopyValue): void {
    if (value === null || value === undefined) {
      this.reserve(4);
      this.buffer.writeInt32BE(-1, this.at);
      this.at += 4;
      return;
    }
    switch (type) {
      case "text":
        return this.writeText(String(value), 0);
      case "jsonb":
        return this.writeText(String(value), 1);
      case "uuid":
        return this.writeUuid(String(value));
      case "bool":
        return this.writeBool(Boolean(value));
      case "int2":
        return this.writeInt2(Number(value));
      case "int8":
        return this.writeInt8(String(value));
      case "numeric":
        return this.writeNumeric(String(value));
      case "timestamptz":
        if (!(value instanceof Date)) throw new Error(`a timestamptz is written from a Date, not ${typeof value}`);
        return this.writeTime(value);
    }
  }

  private writeTime(at: Date): void {
    const ms = at.getTime();
    if (!Number.isFinite(ms)) throw new Error("an invalid date cannot be stored");
    this.reserve(12);
    const micros = (ms - POSTGRES_EPOCH_MS) * 1000;
    const high = Math.floor(micros / TWO_32);
    this.buffer.writeInt32BE(8, this.at);
    this.buffer.writeInt32BE(high, this.at + 4);
    this.buffer.writeUInt32BE(micros - high * TWO_32, this.at + 8);
    this.at += 12;
  }

  private writeText(text: string, version: number): void {
    const prefix = version ? 1 : 0;
    this.reserve(4 + prefix + text.length * 3);
    if (version) this.buffer[this.at + 4] = version;
    const written = this.buffer.write(text, this.at + 4 + prefix, "utf8");
    this.buffer.writeInt32BE(written + prefix, this.at);
    this.at += 4 + prefix + written;
  }

  private writeUuid(text: string): void {
    if (!HEX.test(text)) throw new Error(`"${text}" is not a UUID`);
    this.reserve(20);
    this.buffer.writeInt32BE(16, this.at);
    // Hex digit pairs straight to bytes (no string without the dashes).
    let at = this.at + 4;
    let high = -1;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 45) continue; // -
      const digit = code <= 57 ? code - 48 : (code | 0x20) - 87;
      if (high < 0) high = digit;
      else {
        this.buffer[at++] = (high << 4) | digit;
        high = -1;
      }
    }
    this.at += 20;
  }

  private writeBool(value: boolean): void {
    this.reserve(5);
    this.buffer.writeInt32BE(1, this.at);
    this.buffer[this.at + 4] = value ? 1 : 0;
    this.at += 5;
  }

  private writeInt2(value: number): void {
    if (!Number.isInteger(value) || value < -32768 || value > 32767) throw new Error(`${value} does not fit a smallint`);
    this.reserve(6);
    this.buffer.writeInt32BE(2, this.at);
    this.buffer.writeInt16BE(value, this.at + 4);
    this.at += 6;
  }

  private writeInt8(text: string): void {
    if (!/^[+-]?\d+$/.test(text)) throw new Error(`"${text}" is not an integer`);
    const value = BigInt(text);
    if (value < -(2n ** 63n) || value >= 2n ** 63n) throw new Error(`${text} does not fit a bigint`);
    this.reserve(12);
    this.buffer.writeInt32BE(8, this.at);
    this.buffer.writeBigInt64BE(value, this.at + 4);
    this.at += 12;
  }

  private writeNumeric(input: string): void {
    // Plain decimal text ("-1.50", ".5", "+3") is read digit by digit, with no
    // strings or match objects made per value; anything else is first made plain.
    const text = isPlainDecimal(input) ? input : plainDecimal(input);
    if (!isPlainDecimal(text)) throw new Error(`"${input}" is not a decimal number`);
    let at = 0;
    const sign = text.charCodeAt(0);
    const negative = sign === 45;
    if (sign === 45 || sign === 43) at = 1;
    while (at < text.length && text.charCodeAt(at) === 48) at++; // leading zeros
    const dot = text.indexOf(".", at);
    const integerEnd = dot < 0 ? text.length : dot;
    const integerDigits = integerEnd - at;
    const fractionStart = dot < 0 ? text.length : dot + 1;
    const fractionDigits = text.length - fractionStart;
    const integerGroups = Math.ceil(integerDigits / 4);
    const groups = integerGroups + Math.ceil(fractionDigits / 4);
    // numeric's own limits: 131072 digits before the point, 16383 after.
    if (integerDigits > 131_072 || fractionDigits > 0x3fff) throw new Error(`"${input.slice(0, 40)}…" has too many digits for a numeric`);
    this.reserve(12 + groups * 2);
    this.buffer.writeInt32BE(8 + groups * 2, this.at);
    this.buffer.writeUInt16BE(groups, this.at + 4);
    this.buffer.writeInt16BE(integerGroups - 1, this.at + 6);
    this.buffer.writeUInt16BE(negative ? 0x4000 : 0x0000, this.at + 8);
    this.buffer.writeUInt16BE(fractionDigits, this.at + 10);
    let out = this.at + 12;
    // Integer digits in groups of four counted from the point leftwards…
    let group = 0;
    let inGroup = 4 - (integerDigits % 4 || 4);
    for (let i = at; i < integerEnd; i++) {
      group = group * 10 + (text.charCodeAt(i) - 48);
      if (++inGroup === 4) {
        this.buffer.writeUInt16BE(group, out);
        out += 2;
        group = 0;
        inGroup = 0;
      }
    }
    // …fraction digits from the point rightwards, the last group padded with zeros.
    for (let i = fractionStart; i < text.length; i += 4) {
      group = 0;
      for (let k = 0; k < 4; k++) group = group * 10 + (i + k < text.length ? text.charCodeAt(i + k) - 48 : 0);
      this.buffer.writeUInt16BE(group, out);
      out += 2;
    }
    this.at = out;
  }
}
