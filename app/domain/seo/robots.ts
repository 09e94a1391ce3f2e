// robots.txt: everything public may be crawled; the signed-in app and the
// non-page endpoints may not; the sitemap is named with its absolute address.
import { absoluteUrl, DISALLOWED_PREFIXES } from "./public-pages.ts";

/**
 * Remix's single-fetch data answers (/pricing.data, /_root.data) are JSON
 * for the page's own scripts, never a page to list. `*` and `$` are
 * understood by Google and Bing (RFC 9309 leaves them to the crawler).
 */
const DATA_REQUESTS = "/*.data$";

export function robotsTxt(siteUrl: string): string {
  return [
    "User-agent: *",
    "Allow: /",
    ...DISALLOWED_PREFIXES.map((prefix) => `Disallow: ${prefix}`),
    `Disallow: ${DATA_REQUESTS}`,
    "",
    `Sitemap: ${absoluteUrl(siteUrl, "/sitemap.xml")}`,
    "",
  ].join("\n");
}
