// The sweep's event order and the VWAP test: each fast path must answer
// exactly as the general one does — the packed-key sort as the comparator
// (time, then kind, then index, ties and all), whole numbers as Big.
import { describe, expect, it } from "vitest";
import { sweepOrder, vwapAgrees, vwapAgreesInWholeNumbers } from "./match-deals.ts";

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

describe("vwapAgreesInWholeNumbers", () => {
  const text = (units: number, decimals: number) => {
    const sign = units < 0 ? "-" : "";
    const digits = String(Math.abs(units)).padStart(decimals + 1, "0");
    const whole = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
    // Canonical, as the tables hold them: no trailing zeros after the point.
    return sign + (whole.includes(".") ? whole.replace(/\.?0+$/, "") : whole);
  };

  it("answers as the Big arithmetic does wherever it answers, and answers nearly always", () => {
    const next = random(3);
    let answered = 0;
    let agreeing = 0;
    const cases = 20_000;
    for (let i = 0; i < cases; i++) {
      const priceDecimals = Math.floor(next() * 6);
      const volumeDecimals = Math.floor(next() * 3);
      const closeUnits = 1 + Math.floor(next() * 10 ** (priceDecimals + 1));
      const parts = 2 + Math.floor(next() * 3);
      const fills = Array.from({ length: parts }, () => ({
        // Exit prices a few units of the last digit around the close, at up to two more decimals.
        price: text((closeUnits * 100 + Math.floor((next() - 0.5) * 600)) * 1, priceDecimals + 2),
        volume: text(1 + Math.floor(next() * 50), volumeDecimals),
      }));
      const volume = text(
        fills.reduce((total, fill) => total + Math.round(Number(fill.volume) * 10 ** volumeDecimals), 0),
        volumeDecimals,
      );
      const closePrice = text(closeUnits, priceDecimals);
      const fast = vwapAgreesInWholeNumbers(closePrice, volume, fills);
      if (fast === undefined) continue;
      answered += 1;
      if (fast) agreeing += 1;
      expect(fast, JSON.stringify({ closePrice, volume, fills })).toBe(vwapAgrees(closePrice, volume, fills));
    }
    expect(answered).toBeGreaterThan(cases * 0.9);
    // Both answers are common, so neither can be wrong unnoticed.
    expect(agreeing).toBeGreaterThan(answered * 0.2);
    expect(answered - agreeing).toBeGreaterThan(answered * 0.2);
  });

  it("leaves the boundary, negative prices and figures past 2^53 to the Big arithmetic", () => {
    // VWAP 1.1 against a close of 1.0 (one unit of its last digit): on the boundary.
    const boundary = [
      { price: "1.05", volume: "1" },
      { price: "1.15", volume: "1" },
    ];
    expect(vwapAgreesInWholeNumbers("1.0", "2", boundary)).toBeUndefined();
    expect(vwapAgrees("1.0", "2", boundary)).toBe(true);
    expect(vwapAgreesInWholeNumbers("-37.63", "2", [{ price: "-37.63", volume: "2" }])).toBeUndefined();
    expect(vwapAgreesInWholeNumbers("99999999.99", "99999999", [{ price: "99999999.99", volume: "99999999" }])).toBeUndefined();
    expect(vwapAgreesInWholeNumbers("1.1234567", "0.123456", [{ price: "1.1234567", volume: "0.123456" }])).toBeUndefined();
  });

  it("agrees and disagrees where the answer is plain", () => {
    const fills = [
      { price: "1.08250", volume: "0.1" },
      { price: "1.08270", volume: "0.1" },
    ];
    expect(vwapAgreesInWholeNumbers("1.0826", "0.2", fills)).toBe(true);
    expect(vwapAgreesInWholeNumbers("1.0829", "0.2", fills)).toBe(false);
  });
});
