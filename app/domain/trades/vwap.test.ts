import { describe, expect, it } from "vitest";
import { bigVwap, vwap, vwapDigits } from "./vwap.ts";

/** A seeded generator, so a failure is reproducible. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("vwap", () => {
  it("keeps three decimals more than the deals were printed with, at most 12", () => {
    expect(
      vwapDigits([
        { price: "1.08312", volume: "0.1" },
        { price: "1.1", volume: "1" },
      ]),
    ).toBe(8);
    expect(vwapDigits([{ price: "2000.1", volume: "1" }])).toBe(4);
    expect(vwapDigits([{ price: "0.0000012345", volume: "1" }])).toBe(12);
  });

  it("weights by volume and rounds half up", () => {
    expect(
      vwap(
        [
          { price: "1.08412", volume: "0.1" },
          { price: "1.08415", volume: "0.1" },
          { price: "1.08417", volume: "0.1" },
        ],
        8,
      ),
    ).toBe("1.08414667");
    expect(
      vwap(
        [
          { price: "1.10100", volume: "0.10" },
          { price: "1.10250", volume: "0.20" },
        ],
        8,
      ),
    ).toBe("1.102");
    expect(
      vwap(
        [
          { price: "150", volume: "1" },
          { price: "151", volume: "1" },
        ],
        3,
      ),
    ).toBe("150.5");
    expect(
      vwap(
        [
          { price: "2000.11", volume: "1" },
          { price: "2000.12", volume: "2" },
        ],
        5,
      ),
    ).toBe("2000.11667");
    expect(vwap([], 5)).toBeNull();
    expect(vwap([{ price: "1.1", volume: "0" }], 5)).toBeNull();
  });

  it("gives what big.js gives on 20,000 random sets of deals", () => {
    const next = random(7);
    for (let n = 0; n < 20_000; n++) {
      const priceDecimals = Math.floor(next() * 6);
      const deals = Array.from({ length: 1 + Math.floor(next() * 4) }, () => ({
        price: (next() * (priceDecimals < 3 ? 60_000 : 200)).toFixed(priceDecimals).replace(/^0\.0*$/, "1"),
        volume: (0.01 + next() * 20).toFixed(Math.floor(next() * 3)),
      })).map((deal) => ({ price: deal.price, volume: deal.volume === "0" || /^0\.?0*$/.test(deal.volume) ? "0.01" : deal.volume }));
      const digits = vwapDigits(deals);
      expect(vwap(deals, digits), JSON.stringify(deals)).toBe(bigVwap(deals, digits));
    }
  });

  it("reads texts that are not plain decimals through big.js", () => {
    expect(
      vwap(
        [
          { price: "1e-7", volume: "1" },
          { price: "3e-7", volume: "1" },
        ],
        10,
      ),
    ).toBe("0.0000002");
  });
});
