// A column of texts that are nearly all different (prices, profits, deal
// tickets), kept as characters in one byte array instead of a string each.
// A 100,000-position report has 1.1 million such values; as strings they were
// a third of the plan's heap, kept from the preview to the confirm, and every
// garbage collection while the report was read copied or marked them. A value
// becomes a string again when a trade is built. Columns whose values repeat
// (volumes, charges: interned) stay PagedColumns of shared strings.

const PLAIN = 0;
const NULL = 1;
/** A text with a character above U+00FF, kept as a string (never seen in a report's numbers). */
const WIDE = 2;

/** Characters made into strings by String.fromCharCode at a time (its argument list is bounded). */
const APPLY_LIMIT = 4096;

function grownCopy<T extends Uint8Array | Int32Array>(array: T, needed: number, make: (length: number) => T): T {
  if (needed <= array.length) return array;
  let capacity = Math.max(1024, array.length * 2);
  while (capacity < needed) capacity *= 2;
  const next = make(capacity);
  next.set(array);
  return next;
}

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
    return textOf(this.chars, from, to) as T;
  }
}

function textOf(c: Uint8Array, from: number, to: number): string {
  const f = String.fromCharCode;
  switch (to - from) {
    case 0:
      return "";
    case 1:
      return f(c[from]!);
    case 2:
      return f(c[from]!, c[from + 1]!);
    case 3:
      return f(c[from]!, c[from + 1]!, c[from + 2]!);
    case 4:
      return f(c[from]!, c[from + 1]!, c[from + 2]!, c[from + 3]!);
    case 5:
      return f(c[from]!, c[from + 1]!, c[from + 2]!, c[from + 3]!, c[from + 4]!);
    case 6:
      return f(c[from]!, c[from + 1]!, c[from + 2]!, c[from + 3]!, c[from + 4]!, c[from + 5]!);
    case 7:
      return f(c[from]!, c[from + 1]!, c[from + 2]!, c[from + 3]!, c[from + 4]!, c[from + 5]!, c[from + 6]!);
    case 8:
      return f(c[from]!, c[from + 1]!, c[from + 2]!, c[from + 3]!, c[from + 4]!, c[from + 5]!, c[from + 6]!, c[from + 7]!);
    default: {
      let text = "";
      for (let at = from; at < to; at += APPLY_LIMIT) {
        text += String.fromCharCode.apply(null, c.subarray(at, Math.min(to, at + APPLY_LIMIT)) as unknown as number[]);
      }
      return text;
    }
  }
}
