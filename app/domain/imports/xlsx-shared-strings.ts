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
import { charCodesText, latin1Text } from "./latin1-text.ts";
import { unitsText, type Units } from "./xml-units.ts";
import { grownCopy } from "./grown-copy.ts";

/** Items up to this many units are kept as strings once made (shortText's range). */
const SHORT = 12;
/** Longer items are made by Node's Buffer decoder where there is one: 2× faster than String.fromCharCode over a copy. */
const LONG = 8;
const nodeBuffer: typeof Buffer | undefined = typeof Buffer === "function" ? Buffer : undefined;
/** `wide` holds UTF-16 code units in the machine's byte order; Buffer reads UTF-16LE. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const PAGE_BITS = 14;

export class SharedStrings {
  /** Items so far. */
  count = 0;
  /** null until the first plain item says how the part is encoded. */
  private utf8: boolean | null = null;
  /** UTF-8 bytes, or Latin-1 code units. */
  private bytes = new Uint8Array(1 << 16);
  /** Every UTF-16 code unit, from the first that is not Latin-1 on (then `bytes` is not used). */
  private wide: Uint16Array | null = null;
  private used = 0;
  /** `bytes` or `wide` as a Buffer (same memory), made once the table is read. */
  private view: Buffer | null = null;
  /** Item i's characters are [ends[i - 1], ends[i]) (ends[-1] = 0). */
  private ends = new Int32Array(1024);
  /** Items that needed decoding, as their text. */
  private readonly decoded = new Map<number, string>();
  /**
   * Short items once made into strings, so every cell of one (a symbol, "buy",
   * "in") shares one string, as the tables that keep them expect; long ones
   * (times) are read once and not kept. In pages: a sparse array is a slow dictionary.
   */
  private readonly made: (string | undefined)[][] = [];

  /** An item whose text is units[from, to) exactly as they stand (no markup, no escapes). */
  addPlain(units: Units, from: number, to: number): void {
    const utf8 = !(units instanceof Uint16Array);
    if (this.utf8 === null) this.utf8 = utf8;
    else if (this.utf8 !== utf8) throw new Error("A shared-string table is read in one encoding");
    const needed = this.used + (to - from);
    let at = this.used;
    if (this.wide === null) {
      const bytes = (this.bytes = grownCopy(this.bytes, needed, (size) => new Uint8Array(size)));
      let i = from;
      for (; i < to; i++) {
        const unit = units[i]!;
        if (unit > 0xff) break;
        bytes[at++] = unit;
      }
      if (i < to) {
        // Not Latin-1: every unit from here on is kept at two bytes.
        this.wide = new Uint16Array(Math.max(bytes.length, needed));
        this.wide.set(bytes.subarray(0, at));
        this.bytes = new Uint8Array(0);
        for (; i < to; i++) this.wide[at++] = units[i]!;
      }
    } else {
      const wide = (this.wide = grownCopy(this.wide, needed, (size) => new Uint16Array(size)));
      for (let i = from; i < to; i++) wide[at++] = units[i]!;
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

  private make(from: number, to: number): string {
    if (this.utf8) return unitsText(this.bytes, from, to);
    if (nodeBuffer && to - from > LONG && (this.wide === null || LITTLE_ENDIAN)) {
      // Growing replaces the arrays: a view made before is of the old ones.
      const units = this.wide ?? this.bytes;
      if (this.view?.buffer !== units.buffer) this.view = nodeBuffer.from(units.buffer, units.byteOffset, units.byteLength);
      return this.wide ? this.view.toString("utf16le", from * 2, to * 2) : this.view.toString("latin1", from, to);
    }
    return this.wide !== null ? charCodesText(this.wide, from, to) : latin1Text(this.bytes, from, to);
  }

  /** Item `index`'s text, or undefined past the end of the table. */
  at(index: number): string | undefined {
    if (!(index >= 0 && index < this.count)) return undefined;
    const from = index === 0 ? 0 : this.ends[index - 1]!;
    const to = this.ends[index]!;
    if (from === to) return this.decoded.get(index) ?? "";
    if (to - from > SHORT) return this.make(from, to);
    const page = (this.made[index >> PAGE_BITS] ??= new Array<string | undefined>(1 << PAGE_BITS));
    const slot = index & ((1 << PAGE_BITS) - 1);
    return (page[slot] ??= this.make(from, to));
  }

  /** The first code unit of item `index` (a UTF-8 byte for UTF-8 parts), or -1 when it is empty or past the end. */
  firstUnit(index: number): number {
    if (!(index >= 0 && index < this.count)) return -1;
    const from = index === 0 ? 0 : this.ends[index - 1]!;
    if (from < this.ends[index]!) return this.wide !== null ? this.wide[from]! : this.bytes[from]!;
    const text = this.decoded.get(index);
    return text ? text.charCodeAt(0) : -1;
  }
}
