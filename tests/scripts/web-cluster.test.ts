import { describe, expect, it } from "vitest";
import { RESTART, restartDelay, workerCountFrom } from "../../scripts/web-cluster.ts";

describe("workerCountFrom (WEB_CONCURRENCY)", () => {
  it("is one process when unset or blank", () => {
    expect(workerCountFrom(undefined)).toBe(1);
    expect(workerCountFrom(" ")).toBe(1);
  });

  it("takes a whole number from 1 to 16", () => {
    expect(workerCountFrom("2")).toBe(2);
    expect(workerCountFrom(" 16 ")).toBe(16);
  });

  it.each(["0", "17", "1.5", "-2", "two", "2x"])("refuses %j by name", (value) => {
    expect(() => workerCountFrom(value)).toThrow(`WEB_CONCURRENCY must be a whole number from 1 to 16; got "${value}"`);
  });
});

describe("restartDelay", () => {
  it("doubles while workers keep dying young, up to the cap", () => {
    let youngDeaths = 0;
    const delays = [];
    for (let i = 0; i < 9; i++) {
      const next = restartDelay(youngDeaths, 1_000);
      delays.push(next.delayMs);
      youngDeaths = next.youngDeaths;
    }
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it("starts over after a worker that lived past the steady time", () => {
    expect(restartDelay(6, RESTART.steadyAfterMs)).toEqual({ delayMs: RESTART.firstDelayMs, youngDeaths: 0 });
  });
});
