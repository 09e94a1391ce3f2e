// A workbook's shared-string table, kept as characters in one typed array
// instead of a JavaScript string per item. A 100,000-position MT5 report has
// 1.1 million items (every time, ticket and symbol cell is one), and as strings
// they took ~40 MB of heap that every garbage collection had to walk; the
// Orders section's items (a third of them) were never even read. Here an item
// becomes a string only when a cell that is read in full asks for it.
//
// Plain items (one `<t>` run without escapes, the usual one) are kept as their
// units: UTF-8 bytes as they stand, UTF-16 code units one byte each while they
// are Latin-1 (MT5 writes UTF-16 but its text is nearly always Latin-1) and two
// from the first one that is not. Items that need decoding (entities, Excel's
// `_xHHHH_` escapes, rich runs) are decoded once and kept as strings.
import { shortText, unitsText, type Units } from "./xml-units.ts";

/** Items up to this many units are kept as strings once made (shortText's range). */
const SHORT = 12;
const PAGE_BITS = 14;

/** Characters made into strings by String.fromCharCode at a time (its argument list is bounded). */
const APPLY_LIMIT = 4096;

function grownCopy<T extends Uint8Array | Uint16Array | Int32Array>(array: T, needed: number, make: (length: number) => T): T {
  if (needed <= array.length) return array;
  let capacity = Math.max(1024, array.length * 2);
  while (capacity < needed) capacity *= 2;
  const next = make(capacity);
  next.set(array);
  return next;
}

export class SharedStrings {
  /** Items so far. */
  count = 0;
  /** null until the first plain item says how the part is encoded. */
  private utf8: boolean | null = null;
  private chars: Uint8Array | Uint16Array = new Uint8Array(1 << 16);
  private used = 0;
  /** Item i's characters are chars[ends[i - 1], ends[i]) (ends[-1] = 0). */
  private ends = new Int32Array(1024);
  /** Items that needed decoding, as their text. */
  private readonly decoded = new Map<number, string>();
  /**
   * Short items once made into strings, so every cell of one (a symbol, "buy",
   * "in") shares one string, as the tables that keep them expect; long ones
   * (times) are read once and not kept.
   */
  private readonly made: (string | undefined)[][] = [];

  /** An item whose text is units[from, to) exactly as they stand (no markup, no escapes). */
  addPlain(units: Units, from: number, to: number): void {
    const utf8 = !(units instanceof Uint16Array);
    if (this.utf8 === null) this.utf8 = utf8;
    else if (this.utf8 !== utf8) throw new Error("A shared-string table is read in one encoding");
    const length = to - from;
    this.chars = grownCopy(this.chars, this.used + length, (size) =>
      this.chars instanceof Uint16Array ? new Uint16Array(size) : new Uint8Array(size),
    );
    let chars = this.chars;
    let at = this.used;
    for (let i = from; i < to; i++) {
      const unit = units[i]!;
      if (unit > 0xff && !(chars instanceof Uint16Array)) {
        const wide = new Uint16Array(chars.length);
        wide.set(chars.subarray(0, at));
        this.chars = chars = wide;
      }
      chars[at++] = unit;
    }
    this.used = at;
    this.end();
  }

  /** An item whose text had to be decoded. */
  addText(text: string): void {
    if (text !== "") this.decoded.set(this.count, text);
    this.end();
  }

  private end(): void {
    this.ends = grownCopy(this.ends, this.count + 1, (size) => new Int32Array(size));
    this.ends[this.count++] = this.used;
  }

  /** Item `index`'s text, or undefined past the end of the table. */
  at(index: number): string | undefined {
    if (!(index >= 0 && index < this.count)) return undefined;
    const from = index === 0 ? 0 : this.ends[index - 1]!;
    const to = this.ends[index]!;
    if (from === to) return this.decoded.get(index) ?? "";
    const chars = this.chars;
    const length = to - from;
    if (length <= SHORT) {
      // In pages, so that no array is ever sparse (a sparse array is a slow dictionary).
      const page = (this.made[index >> PAGE_BITS] ??= new Array<string | undefined>(1 << PAGE_BITS));
      const made = page[index & ((1 << PAGE_BITS) - 1)];
      if (made !== undefined) return made;
      return (page[index & ((1 << PAGE_BITS) - 1)] = this.utf8 ? unitsText(chars, from, to) : shortText(chars, from, length));
    }
    if (this.utf8) return unitsText(chars, from, to);
    let text = "";
    for (let at = from; at < to; at += APPLY_LIMIT) {
      text += String.fromCharCode.apply(null, chars.subarray(at, Math.min(to, at + APPLY_LIMIT)) as unknown as number[]);
    }
    return text;
  }

  /** The first code unit of item `index` (a UTF-8 byte for UTF-8 parts), or -1 when it is empty or past the end. */
  firstUnit(index: number): number {
    if (!(index >= 0 && index < this.count)) return -1;
    const from = index === 0 ? 0 : this.ends[index - 1]!;
    if (from < this.ends[index]!) return this.chars[from]!;
    const text = this.decoded.get(index);
    return text ? text.charCodeAt(0) : -1;
  }
}
