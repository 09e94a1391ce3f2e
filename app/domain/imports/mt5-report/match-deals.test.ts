// The sweep's event order: the packed-key sort must give exactly the
// comparator's order (time, then kind, then index), ties and all.
import { describe, expect, it } from "vitest";
import { sweepOrder } from "./match-deals.ts";

function byComparator(eventMs: Float64Array, eventKind: Uint8Array): number[] {
  return [...eventMs.keys()].sort((a, b) => eventMs[a]! - eventMs[b]! || eventKind[a]! - eventKind[b]! || a - b);
}

/** A little pseudo-random sequence, the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

function events(count: number, next: () => number, msOf: (r: number) => number) {
  const eventMs = new Float64Array(count);
  const eventKind = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    eventMs[i] = msOf(next());
    eventKind[i] = Math.floor(next() * 3);
  }
  return { eventMs, eventKind };
}

describe("sweepOrder", () => {
  it("orders by time, then kind, then index, as the comparator does (many ties)", () => {
    const next = random(7);
    // Whole seconds over a few days, as reports print them: many events share an instant.
    const { eventMs, eventKind } = events(50_000, next, (r) => 1_700_000_000_000 + Math.floor(r * 300_000) * 1000);
    expect([...sweepOrder(eventMs, eventKind)]).toEqual(byComparator(eventMs, eventKind));
  });

  it("handles times before 1970, a span of decades and a single event", () => {
    const next = random(11);
    // 1960 to 1980: negative times, twenty years apart (the packed key holds 34).
    const { eventMs, eventKind } = events(5_000, next, (r) => -300_000_000_000 + Math.floor(r * 630_000_000) * 1000);
    expect([...sweepOrder(eventMs, eventKind)]).toEqual(byComparator(eventMs, eventKind));
    expect([...sweepOrder(new Float64Array([5]), new Uint8Array([2]))]).toEqual([0]);
    expect([...sweepOrder(new Float64Array(0), new Uint8Array(0))]).toEqual([]);
  });

  it("falls back to the comparator for fractional milliseconds and spans beyond the packed key", () => {
    const fractional = { eventMs: new Float64Array([3.5, 1.25, 3.5, 1.25]), eventKind: new Uint8Array([2, 1, 0, 1]) };
    expect([...sweepOrder(fractional.eventMs, fractional.eventKind)]).toEqual([1, 3, 2, 0]);
    const wide = { eventMs: new Float64Array([2 ** 41, 0, 2 ** 41, 7]), eventKind: new Uint8Array([1, 2, 0, 0]) };
    expect([...sweepOrder(wide.eventMs, wide.eventKind)]).toEqual([1, 3, 2, 0]);
  });
});
