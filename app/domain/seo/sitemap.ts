// sitemap.xml (sitemaps.org protocol 0.9): the public pages at their canonical
// addresses. No <lastmod>: the pages change with each release and a guessed
// date would only mislead crawlers.
import { absoluteUrl, PUBLIC_PAGES } from "./public-pages.ts";

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

export function sitemapXml(siteUrl: string, paths: readonly string[] = PUBLIC_PAGES): string {
  const urls = paths.map((path) => `  <url>\n    <loc>${escapeXml(absoluteUrl(siteUrl, path))}</loc>\n  </url>`);
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', ...urls, "</urlset>", ""].join(
    "\n",
  );
}
