import { describe, expect, it } from "vitest";
import { backoffSeconds, RateLimitedError, refusedFor, retryAfterHeaders, waitPhrase, type CounterState } from "./rate-limit.ts";

const now = new Date("2026-12-07T12:00:00Z");
const state = (over: Partial<CounterState>): CounterState => ({
  rule: "r",
  key: "k",
  hits: 0,
  maxHits: 3,
  windowEndsAt: new Date("2026-12-07T12:00:40Z"),
  lastHitAt: null,
  backoffMaxSeconds: null,
  ...over,
});

describe("refusedFor", () => {
  it("lets a counted hit through up to the limit and refuses the one past it until the window ends", () => {
    const check = { rule: "r", key: "k", count: true };
    expect(refusedFor([check], [state({ hits: 3 })], now)).toBeNull();
    expect(refusedFor([check], [state({ hits: 4 })], now)).toBe(40);
  });

  it("refuses a read-only check once the next hit would go past the limit", () => {
    const check = { rule: "r", key: "k", count: false };
    expect(refusedFor([check], [state({ hits: 2 })], now)).toBeNull();
    expect(refusedFor([check], [state({ hits: 3 })], now)).toBe(40);
  });

  it("waits for the latest of several exhausted limits", () => {
    const checks = [
      { rule: "a", key: "k", count: true },
      { rule: "b", key: "k", count: true },
    ];
    const states = [state({ rule: "a", hits: 9 }), state({ rule: "b", hits: 9, windowEndsAt: new Date("2026-12-07T12:05:00Z") })];
    expect(refusedFor(checks, states, now)).toBe(300);
  });

  it("names a rule missing from the configuration table", () => {
    expect(() => refusedFor([{ rule: "nope", key: "k", count: true }], [], now)).toThrow(/"nope" is not configured/);
  });
});

describe("backoffSeconds", () => {
  const account = (hits: number) => state({ rule: "sign-in-account-failures", hits, maxHits: 5, backoffMaxSeconds: 900 });

  it("does not slow anyone down below the account's limit of failures", () => {
    expect(backoffSeconds(account(4), new Date(now.getTime() - 100), now)).toBeNull();
  });

  it("past the limit, an address that failed waits 2^(failures - limit) s after its own last failure, capped", () => {
    expect(backoffSeconds(account(8), now, now)).toBe(8);
    expect(backoffSeconds(account(8), new Date(now.getTime() - 5_000), now)).toBe(3);
    expect(backoffSeconds(account(8), new Date(now.getTime() - 8_000), now)).toBeNull();
    expect(backoffSeconds(account(40), now, now)).toBe(900);
  });

  it("never holds back an address that has not failed on the account (the owner's)", () => {
    expect(backoffSeconds(account(40), null, now)).toBeNull();
  });
});

describe("RateLimitedError", () => {
  it("is a 429 whose message says how long to wait, with a matching Retry-After", () => {
    const error = new RateLimitedError("Too many sign-in attempts.", 125);
    expect(error.status).toBe(429);
    expect(error.message).toBe("Too many sign-in attempts. Try again in 3 minutes.");
    expect(retryAfterHeaders(error)).toEqual({ "Retry-After": "125" });
    expect(retryAfterHeaders(new Error("other"))).toEqual({});
    expect(waitPhrase(1)).toBe("Try again in 1 second.");
  });
});
