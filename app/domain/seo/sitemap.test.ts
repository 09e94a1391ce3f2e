import { describe, expect, it } from "vitest";
import { absoluteUrl, PUBLIC_PAGES } from "./public-pages.ts";
import { sitemapXml } from "./sitemap.ts";

describe("sitemap.xml", () => {
  it("lists exactly the public pages at absolute addresses on SITE_URL", () => {
    const xml = sitemapXml("https://rawjournal.example");
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')).toBe(true);
    const locs = [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]);
    expect(locs).toEqual(["https://rawjournal.example/", "https://rawjournal.example/pricing"]);
    expect(PUBLIC_PAGES).toEqual(["/", "/pricing"]);
    expect(xml.trimEnd().endsWith("</urlset>")).toBe(true);
  });

  it("escapes what XML reserves", () => {
    expect(sitemapXml("https://rawjournal.example", ["/a&b"])).toContain("<loc>https://rawjournal.example/a&amp;b</loc>");
  });
});

describe("absoluteUrl", () => {
  it("uses SITE_URL's origin with or without a trailing slash", () => {
    expect(absoluteUrl("https://rawjournal.example/", "/pricing")).toBe("https://rawjournal.example/pricing");
    expect(absoluteUrl("http://localhost:3000", "/")).toBe("http://localhost:3000/");
  });

  it("never carries a query string or fragment", () => {
    expect(absoluteUrl("https://rawjournal.example", "/pricing?interval=year#plans")).toBe("https://rawjournal.example/pricing");
  });

  it("refuses a path that is not from the root", () => {
    expect(() => absoluteUrl("https://rawjournal.example", "pricing")).toThrow(/not a path from the site's root/);
  });
});
