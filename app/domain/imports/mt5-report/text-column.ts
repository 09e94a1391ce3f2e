// A column of texts that are nearly all different (prices, profits, deal
// tickets), kept as characters in one byte array instead of a string each.
// A 100,000-position report has 1.1 million such values; as strings they were
// a third of the plan's heap, kept from the preview to the confirm, and every
// garbage collection while the report was read copied or marked them. A value
// becomes a string again when a trade is built. Columns whose values repeat
// (volumes, charges: interned) stay PagedColumns of shared strings.

import { latin1Text } from "../latin1-text.ts";
import { grownCopy } from "../grown-copy.ts";

const PLAIN = 0;
const NULL = 1;
/** A text with a character above U+00FF, kept as a string (never seen in a report's numbers). */
const WIDE = 2;

export class TextColumn<T extends string | null = string> {
  length = 0;
  private chars = new Uint8Array(1 << 14);
  private used = 0;
  /** Value i's characters are chars[ends[i - 1], ends[i]) (ends[-1] = 0). */
  private ends = new Int32Array(1024);
  private kinds = new Uint8Array(1024);
  private readonly wide = new Map<number, string>();

  push(value: T): void {
    const index = this.length++;
    this.ends = grownCopy(this.ends, index + 1, (size) => new Int32Array(size));
    this.kinds = grownCopy(this.kinds, index + 1, (size) => new Uint8Array(size));
    let kind = PLAIN;
    if (value === null) kind = NULL;
    else {
      const text = value as string;
      this.chars = grownCopy(this.chars, this.used + text.length, (size) => new Uint8Array(size));
      const chars = this.chars;
      let at = this.used;
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code > 0xff) {
          kind = WIDE;
          break;
        }
        chars[at++] = code;
      }
      if (kind === WIDE) this.wide.set(index, text);
      else this.used = at;
    }
    this.kinds[index] = kind;
    this.ends[index] = this.used;
  }

  get(index: number): T | undefined {
    if (!(index >= 0 && index < this.length)) return undefined;
    const kind = this.kinds[index];
    if (kind === NULL) return null as T;
    if (kind === WIDE) return this.wide.get(index) as T;
    const from = index === 0 ? 0 : this.ends[index - 1]!;
    const to = this.ends[index]!;
    return latin1Text(this.chars, from, to) as T;
  }
}
