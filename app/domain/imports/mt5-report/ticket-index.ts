// Ticket text → record index, for a report's positions: the deals look their
// position up by ticket (the Order column) 200,000 times in a large report.
// A Map<string, number> of 100,000 tickets cost about 1 µs per look-up there
// (each one a hash of a fresh string and a walk through a large table in a
// large heap) — a tenth of the report's whole reading. Tickets are nearly
// always plain digits, so those go into an open-addressing table of numbers
// (typed arrays: no string hashed, no object touched, nothing allocated);
// anything else (leading zeros, more digits than a double holds exactly,
// letters) keeps a Map of its own. A text is only ever found under itself:
// "007" is not "7".

const EMPTY = -1;
/** Digits whose value a double holds exactly (< 2^53). */
const MAX_DIGITS = 15;

/** The ticket's value when it is plain digits without a leading zero (or "0"), else -1. */
function digitsValue(text: string): number {
  const length = text.length;
  if (length === 0 || length > MAX_DIGITS) return -1;
  const first = text.charCodeAt(0);
  if (first === 48 /* 0 */ && length > 1) return -1;
  let value = 0;
  for (let i = 0; i < length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * A well-mixed 32-bit hash of an integer below 2^53 (murmur3's finaliser):
 * consecutive tickets must not land in consecutive slots, or every miss would
 * walk the whole run of them.
 */
function hashOf(value: number): number {
  let h = (value | 0) ^ Math.imul((value / 4294967296) | 0, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class TicketIndex {
  private keys = new Float64Array(1024);
  private values = new Int32Array(1024).fill(EMPTY);
  private used = 0;
  private readonly others = new Map<string, number>();

  get size(): number {
    return this.used + this.others.size;
  }

  /** The slot holding `value`, or the empty slot where it would go. */
  private slotOf(value: number): number {
    const mask = this.keys.length - 1;
    let slot = hashOf(value) & mask;
    while (this.values[slot] !== EMPTY && this.keys[slot] !== value) slot = (slot + 1) & mask;
    return slot;
  }

  get(text: string): number | undefined {
    const value = digitsValue(text);
    if (value < 0) return this.others.get(text);
    const index = this.values[this.slotOf(value)]!;
    return index === EMPTY ? undefined : index;
  }

  has(text: string): boolean {
    return this.get(text) !== undefined;
  }

  /** Sets the record index of a ticket (`index` ≥ 0). */
  set(text: string, index: number): void {
    const value = digitsValue(text);
    if (value < 0) {
      this.others.set(text, index);
      return;
    }
    let slot = this.slotOf(value);
    if (this.values[slot] === EMPTY) {
      // Kept at most half full, so a look-up probes one or two slots.
      if ((this.used + 1) * 2 > this.keys.length) {
        this.grow();
        slot = this.slotOf(value);
      }
      this.used++;
      this.keys[slot] = value;
    }
    this.values[slot] = index;
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.values = new Int32Array(values.length * 2).fill(EMPTY);
    for (let slot = 0; slot < keys.length; slot++) {
      if (values[slot] === EMPTY) continue;
      const to = this.slotOf(keys[slot]!);
      this.keys[to] = keys[slot]!;
      this.values[to] = values[slot]!;
    }
  }
}
