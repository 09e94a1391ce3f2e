import { describe, expect, it } from "vitest";
import { clientAddress, createRateLimiter } from "./rate-limit.ts";

describe("createRateLimiter", () => {
  it("allows `limit` hits per key per window, then refuses until the window passes", () => {
    let now = 0;
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, now: () => now });
    expect([1, 2, 3, 4].map(() => limiter.hit("a"))).toEqual([true, true, true, false]);
    expect(limiter.hit("b")).toBe(true);
    now = 59_999;
    expect(limiter.hit("a")).toBe(false);
    now = 60_000;
    expect(limiter.hit("a")).toBe(true);
  });

  it("keeps its memory bounded", () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 2, now: () => 0 });
    limiter.hit("a");
    limiter.hit("b");
    limiter.hit("c"); // forgets "a"
    expect(limiter.hit("a")).toBe(true);
  });
});

describe("clientAddress", () => {
  it("takes the hop our proxy appended (the last), not what the client claimed", () => {
    const request = new Request("http://x/", { headers: { "x-forwarded-for": "1.1.1.1, 203.0.113.9" } });
    expect(clientAddress(request)).toBe("203.0.113.9");
    expect(clientAddress(new Request("http://x/", { headers: { "x-real-ip": "198.51.100.1" } }))).toBe("198.51.100.1");
    expect(clientAddress(new Request("http://x/"))).toBe("direct");
  });
});
