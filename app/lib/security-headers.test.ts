import { describe, expect, it } from "vitest";
import { applySecurityHeaders, contentSecurityPolicy, supabaseOrigins } from "./security-headers.ts";

describe("contentSecurityPolicy", () => {
  it("allows scripts from us and this response's nonce only, and Supabase over http(s) and ws(s)", () => {
    const csp = contentSecurityPolicy({ nonce: "abc123", supabaseUrl: "https://project.supabase.co" });
    expect(csp).toContain("script-src 'self' 'nonce-abc123'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("connect-src 'self' https://project.supabase.co wss://project.supabase.co");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(supabaseOrigins("http://127.0.0.1:54321")).toEqual(["http://127.0.0.1:54321", "ws://127.0.0.1:54321"]);
  });

  it("lets `remix dev` reload over its WebSocket in development only", () => {
    expect(contentSecurityPolicy({ nonce: "n", supabaseUrl: "http://127.0.0.1:1", development: true })).toContain("ws://localhost:*");
    expect(contentSecurityPolicy({ nonce: "n", supabaseUrl: "http://127.0.0.1:1" })).not.toContain("localhost");
  });
});

describe("applySecurityHeaders", () => {
  const apply = (request: Request, headers = new Headers()) => {
    applySecurityHeaders(headers, { request, nonce: "n", supabaseUrl: "http://127.0.0.1:54321" });
    return headers;
  };

  it("sets the fixed headers, and HSTS only for HTTPS (directly or via the proxy)", () => {
    const plain = apply(new Request("http://localhost:3000/"));
    expect(plain.get("x-content-type-options")).toBe("nosniff");
    expect(plain.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(plain.get("x-frame-options")).toBe("DENY");
    expect(plain.get("strict-transport-security")).toBeNull();
    expect(apply(new Request("https://app.example/")).get("strict-transport-security")).toMatch(/^max-age=/);
    expect(apply(new Request("http://10.0.0.1/", { headers: { "x-forwarded-proto": "https" } })).get("strict-transport-security")).toMatch(
      /^max-age=/,
    );
  });

  it("marks responses that set cookies private", () => {
    const headers = new Headers({ "Set-Cookie": "a=b" });
    expect(apply(new Request("http://localhost/"), headers).get("cache-control")).toBe("private, no-store");
  });
});
