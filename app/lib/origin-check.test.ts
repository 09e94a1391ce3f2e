import { describe, expect, it } from "vitest";
import { isSameSiteRequest, originFacts, type OriginFacts } from "./origin-check.ts";

const SITE = "https://app.rawjournal.example";
const post = (facts: Partial<OriginFacts>): OriginFacts => ({
  method: "POST",
  origin: null,
  referer: null,
  host: "app.rawjournal.example",
  protocol: "https",
  ...facts,
});

describe("isSameSiteRequest", () => {
  it("lets safe methods through whatever their origin", () => {
    expect(isSameSiteRequest(post({ method: "GET", origin: "https://evil.example" }), SITE)).toBe(true);
    expect(isSameSiteRequest(post({ method: "HEAD" }), SITE)).toBe(true);
  });

  it("accepts a mutating request whose Origin is the site or the addressed host", () => {
    expect(isSameSiteRequest(post({ origin: SITE }), SITE)).toBe(true);
    expect(isSameSiteRequest(post({ origin: "http://localhost:3000", host: "localhost:3000", protocol: "http" }), SITE)).toBe(true);
  });

  it("refuses another origin, a look-alike, another scheme or port, and the opaque 'null'", () => {
    for (const origin of [
      "https://evil.example",
      "https://app.rawjournal.example.evil.example",
      "http://app.rawjournal.example",
      "https://app.rawjournal.example:8443",
      "null",
    ]) {
      expect(isSameSiteRequest(post({ origin }), SITE), origin).toBe(false);
    }
  });

  it("falls back to Referer when Origin is missing, and refuses when both are", () => {
    expect(isSameSiteRequest(post({ referer: `${SITE}/settings/profile` }), SITE)).toBe(true);
    expect(isSameSiteRequest(post({ referer: "https://evil.example/page" }), SITE)).toBe(false);
    expect(isSameSiteRequest(post({ referer: "not a url" }), SITE)).toBe(false);
    expect(isSameSiteRequest(post({}), SITE)).toBe(false);
    for (const method of ["PUT", "PATCH", "DELETE"]) expect(isSameSiteRequest(post({ method }), SITE)).toBe(false);
  });
});

describe("originFacts", () => {
  it("reads the proxy's scheme and host when present", () => {
    const request = new Request("http://10.0.0.5:3000/login", {
      method: "POST",
      headers: { origin: SITE, "x-forwarded-proto": "https", "x-forwarded-host": "app.rawjournal.example", host: "10.0.0.5:3000" },
    });
    expect(originFacts(request)).toEqual({ method: "POST", origin: SITE, referer: null, host: "app.rawjournal.example", protocol: "https" });
    expect(isSameSiteRequest(originFacts(request), "http://localhost:3000")).toBe(true);
  });
});
