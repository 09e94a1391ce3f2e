import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DISALLOWED_PREFIXES, PUBLIC_PAGES } from "./public-pages.ts";
import { robotsTxt } from "./robots.ts";

const ROUTES_DIR = new URL("../../routes/", import.meta.url);

/** Disallow lines as a crawler reads them: the longest matching rule wins, Allow on a tie. */
function isDisallowed(robots: string, path: string): boolean {
  const rules = robots
    .split("\n")
    .map((line) => /^(Allow|Disallow):\s*(\S+)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, kind, pattern]) => ({ allow: kind === "Allow", pattern: pattern! }));
  const matches = rules.filter(({ pattern }) => {
    const anchored = pattern.endsWith("$");
    const body = (anchored ? pattern.slice(0, -1) : pattern)
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    return new RegExp(`^${body}${anchored ? "$" : ""}`).test(path);
  });
  matches.sort((a, b) => b.pattern.length - a.pattern.length || Number(b.allow) - Number(a.allow));
  return matches[0] ? !matches[0].allow : false;
}

/**
 * The first URL segment a Remix flat-routes file answers under: pathless
 * layouts (_app, _auth) and _index drop out, a trailing _ opts out of
 * nesting, [.] escapes a dot. "_app.trades.$tradeId.tsx" -> "/trades".
 */
function firstSegment(file: string): string {
  const name = file.replace(/\.tsx?$/, "");
  const segments = name.match(/(?:\[[^\]]*\]|[^.])+/g) ?? [];
  const first = segments.find((segment) => !segment.startsWith("_"));
  return first === undefined ? "/" : `/${first.replace(/_$/, "").replace(/\[([^\]]*)\]/g, "$1")}`;
}

describe("robots.txt", () => {
  const robots = robotsTxt("https://rawjournal.example/");

  it("allows the site, names the sitemap by its absolute address and keeps the app out", () => {
    expect(robots.startsWith("User-agent: *\nAllow: /\n")).toBe(true);
    expect(robots).toContain("\nSitemap: https://rawjournal.example/sitemap.xml\n");
    for (const path of ["/dashboard", "/trades/abc", "/settings/billing", "/accounts/connect", "/webhooks/stripe", "/pricing.data", "/_root.data"]) {
      expect(isDisallowed(robots, path), path).toBe(true);
    }
  });

  it("lets crawlers reach every public page, the sitemap and the noindexed sign-in pages", () => {
    for (const path of [...PUBLIC_PAGES, "/pricing?interval=year", "/sitemap.xml", "/login", "/signup", "/forgot-password", "/og-image.png"]) {
      expect(isDisallowed(robots, path), path).toBe(false);
    }
  });

  it("names the sitemap at SITE_URL's origin, whatever its trailing slash", () => {
    expect(robotsTxt("http://localhost:3000")).toContain("Sitemap: http://localhost:3000/sitemap.xml");
  });

  it("covers every route file: public, a sign-in page, robots/sitemap themselves, or disallowed", () => {
    const files = readdirSync(ROUTES_DIR).filter((file) => /\.tsx?$/.test(file) && !file.includes(".test."));
    expect(files.length).toBeGreaterThan(40);
    const uncovered = files.filter((file) => {
      if (file === "$.tsx" || file.startsWith("_auth.") || file === "_auth.tsx") return false;
      const path = firstSegment(file);
      if ((PUBLIC_PAGES as readonly string[]).includes(path) || path === "/robots.txt" || path === "/sitemap.xml") return false;
      return !isDisallowed(robots, path) && !isDisallowed(robots, `${path}/`);
    });
    expect(uncovered).toEqual([]);
  });

  it("disallows no public page by a prefix that happens to match it", () => {
    for (const page of PUBLIC_PAGES) {
      expect(DISALLOWED_PREFIXES.some((prefix) => page.startsWith(prefix))).toBe(false);
    }
  });

  it("reads flat-route file names the way Remix does", () => {
    expect(firstSegment("_app.trades.$tradeId_.edit.tsx")).toBe("/trades");
    expect(firstSegment("_app.settings.billing_.cancel.tsx")).toBe("/settings");
    expect(firstSegment("trades.imports.$batchId.rejected[.csv].ts")).toBe("/trades");
    expect(firstSegment("sitemap[.xml].ts")).toBe("/sitemap.xml");
    expect(firstSegment("_index.tsx")).toBe("/");
    expect(firstSegment("auth.callback.tsx")).toBe("/auth");
  });
});
