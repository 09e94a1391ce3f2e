// An inflated XML part as windows of code units, for scanners that read tags
// without turning the whole part into JavaScript strings: a 100 000-position
// MT5 report's worksheet is 600 MB of UTF-16, and only the cell values need to
// become strings.
//
// The encoding comes from the first bytes (BOM, or "<" followed or preceded
// by a zero byte for BOM-less UTF-16), as the spreadsheet writers do it: MT5
// writes UTF-16LE with a BOM, everyone else UTF-8. UTF-16 code units are read
// straight from the bytes (a Uint16Array), UTF-8 stays bytes; both keep every
// markup character at one unit, so the scanners work on either.

export type Units = Uint8Array | Uint16Array;

/**
 * Reads what it can from `units[0, end)` and returns how many units it is
 * done with; the rest is handed back, with more after it, on the next call.
 * On the final call (`final`), nothing more will come.
 */
export type ConsumeUnits = (units: Units, end: number, final: boolean) => number;

type Encoding = "utf-8" | "utf-16le" | "utf-16be";

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const SHORT = 256;
const utf8 = new TextDecoder("utf-8");
const utf16le = new TextDecoder("utf-16le");

function detect(head: Uint8Array): { encoding: Encoding; skip: number } {
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf-16le", skip: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf-16be", skip: 2 };
  if (head[0] === 0x3c && head[1] === 0x00) return { encoding: "utf-16le", skip: 0 };
  if (head[0] === 0x00 && head[1] === 0x3c) return { encoding: "utf-16be", skip: 0 };
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: "utf-8", skip: 3 };
  return { encoding: "utf-8", skip: 0 };
}

export class XmlUnits {
  private encoding: Encoding | null = null;
  private head: Uint8Array = new Uint8Array(0);
  private buffer: Units = new Uint8Array(0);
  private length = 0;
  /** A UTF-16 byte whose partner is in the next piece. */
  private oddByte = -1;
  /** After a call that consumed nothing, wait until this many units are pending (keeps a huge row linear). */
  private retryAt = 0;

  constructor(private readonly consume: ConsumeUnits) {}

  /** The text of units [from, to) of the window the scanner was handed. */
  text(units: Units, from: number, to: number): string {
    return unitsText(units, from, to);
  }

  push(bytes: Uint8Array): void {
    if (this.encoding === null) {
      this.head = concat(this.head, bytes);
      if (this.head.length < 4) return;
      this.start(false);
      return;
    }
    this.append(bytes);
    this.run(false);
  }

  end(): void {
    if (this.encoding === null) {
      this.start(true);
      return;
    }
    this.run(true);
  }

  private start(final: boolean): void {
    const { encoding, skip } = detect(this.head);
    this.encoding = encoding;
    this.buffer = encoding === "utf-8" ? new Uint8Array(1 << 16) : new Uint16Array(1 << 16);
    const head = this.head.subarray(skip);
    this.head = new Uint8Array(0);
    this.append(head);
    this.run(final);
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < this.length + extra) capacity *= 2;
    const grown = this.buffer instanceof Uint16Array ? new Uint16Array(capacity) : new Uint8Array(capacity);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  private append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.encoding === "utf-8") {
      this.reserve(bytes.length);
      (this.buffer as Uint8Array).set(bytes, this.length);
      this.length += bytes.length;
      return;
    }
    const littleEndian = this.encoding === "utf-16le";
    let at = 0;
    this.reserve((bytes.length >> 1) + 1);
    const units = this.buffer as Uint16Array;
    if (this.oddByte >= 0) {
      units[this.length++] = littleEndian ? this.oddByte | (bytes[0]! << 8) : (this.oddByte << 8) | bytes[0]!;
      this.oddByte = -1;
      at = 1;
    }
    const pairs = (bytes.length - at) >> 1;
    if (littleEndian === LITTLE_ENDIAN && ((bytes.byteOffset + at) & 1) === 0) {
      units.set(new Uint16Array(bytes.buffer, bytes.byteOffset + at, pairs), this.length);
    } else {
      for (let k = 0, i = at; k < pairs; k++, i += 2) {
        units[this.length + k] = littleEndian ? bytes[i]! | (bytes[i + 1]! << 8) : (bytes[i]! << 8) | bytes[i + 1]!;
      }
    }
    this.length += pairs;
    if (at + pairs * 2 < bytes.length) this.oddByte = bytes[bytes.length - 1]!;
  }

  private run(final: boolean): void {
    if (!final && this.length < this.retryAt) return;
    const used = this.consume(this.buffer, this.length, final);
    if (used >= this.length) this.length = 0;
    else if (used > 0) {
      this.buffer.copyWithin(0, used, this.length);
      this.length -= used;
    }
    this.retryAt = used === 0 ? this.length * 2 : 0;
  }
}

/** The text of units [from, to): UTF-16 code units, or UTF-8 bytes. */
export function unitsText(units: Units, from: number, to: number): string {
  const length = to - from;
  if (length <= 0) return "";
  if (units instanceof Uint16Array) {
    if (length <= 12) return shortText(units, from, length);
    if (length <= SHORT) return String.fromCharCode.apply(null, units.subarray(from, to) as unknown as number[]);
    return utf16le.decode(new Uint8Array(units.buffer, units.byteOffset + from * 2, length * 2));
  }
  if (length <= SHORT) {
    let ascii = true;
    for (let i = from; i < to; i++) {
      if (units[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii)
      return length <= 12 ? shortText(units, from, length) : String.fromCharCode.apply(null, units.subarray(from, to) as unknown as number[]);
  }
  return utf8.decode(units.subarray(from, to));
}

/**
 * Most values are a few characters ("1.12895", "-6.93"): built from the
 * units directly, with no view object per value (millions of them).
 */
export function shortText(u: Units, at: number, length: number): string {
  const f = String.fromCharCode;
  switch (length) {
    case 1:
      return f(u[at]!);
    case 2:
      return f(u[at]!, u[at + 1]!);
    case 3:
      return f(u[at]!, u[at + 1]!, u[at + 2]!);
    case 4:
      return f(u[at]!, u[at + 1]!, u[at + 2]!, u[at + 3]!);
    case 5:
      return f(u[at]!, u[at + 1]!, u[at + 2]!, u[at + 3]!, u[at + 4]!);
    case 6:
      return f(u[at]!, u[at + 1]!, u[at + 2]!, u[at + 3]!, u[at + 4]!, u[at + 5]!);
    case 7:
      return f(u[at]!, u[at + 1]!, u[at + 2]!, u[at + 3]!, u[at + 4]!, u[at + 5]!, u[at + 6]!);
    case 8:
      return f(u[at]!, u[at + 1]!, u[at + 2]!, u[at + 3]!, u[at + 4]!, u[at + 5]!, u[at + 6]!, u[at + 7]!);
    default: {
      let text = "";
      for (let i = at; i < at + length; i++) text += f(u[i]!);
      return text;
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
