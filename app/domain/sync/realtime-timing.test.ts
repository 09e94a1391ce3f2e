import { describe, expect, it } from "vitest";
import { reconnectDelay, tokenIsFresh, tokenRenewDelay } from "./realtime-timing.ts";

const HOUR = 3_600_000;

describe("token renewal", () => {
  it("renews an hour-long token a minute before it expires (inside the server's 90 s refresh margin)", () => {
    const receivedAt = 1_000_000;
    const expiresAt = receivedAt + HOUR;
    expect(tokenRenewDelay({ receivedAt, expiresAt, now: receivedAt })).toBe(HOUR - 60_000);
    expect(tokenIsFresh({ receivedAt, expiresAt, now: expiresAt - 60_001 })).toBe(true);
    expect(tokenIsFresh({ receivedAt, expiresAt, now: expiresAt - 60_000 })).toBe(false);
  });

  it("renews a short-lived token a quarter of its life early", () => {
    const receivedAt = 0;
    expect(tokenRenewDelay({ receivedAt, expiresAt: 20_000, now: 0 })).toBe(15_000);
    expect(tokenIsFresh({ receivedAt, expiresAt: 20_000, now: 14_000 })).toBe(true);
    expect(tokenIsFresh({ receivedAt, expiresAt: 20_000, now: 15_000 })).toBe(false);
  });

  it("never schedules a renewal in the past or sooner than a second", () => {
    expect(tokenRenewDelay({ receivedAt: 0, expiresAt: 2_000, now: 5_000 })).toBe(1_000);
    expect(tokenIsFresh({ receivedAt: 0, expiresAt: 2_000, now: 5_000 })).toBe(false);
  });
});

describe("reconnectDelay", () => {
  it("doubles from 1 s to a 30 s cap", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((tries) => reconnectDelay(tries, 0.5))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it("spreads each step by ±20 %", () => {
    expect(reconnectDelay(3, 0)).toBe(3_200);
    expect(reconnectDelay(3, 0.999999)).toBe(4_800);
    expect(reconnectDelay(0, 0.5)).toBe(1_000);
  });
});
