// What a public page tells search engines and link previews: title,
// description, its canonical address on SITE_URL (never the query string the
// visitor arrived with), Open Graph and Twitter card tags with the shared
// preview image. And the one switch that keeps a page out of the index: a
// route's `handle` (the root layout writes the robots meta from it) plus its
// `headers` (X-Robots-Tag on the document and on its data requests).
import type { MetaDescriptor } from "@remix-run/node";
import { absoluteUrl, type PublicPage } from "~/domain/seo/public-pages.ts";

/** public/og-image.png, rendered once from scripts/og-image/og-image.svg (`node scripts/og-image/render.ts`). */
export const OG_IMAGE = {
  path: "/og-image.png",
  width: 1200,
  height: 630,
  alt: "RawJournal: the open-source trading journal for MetaTrader 5, exact to the cent.",
} as const;

export const SITE_NAME = "RawJournal";

export function publicPageMeta({
  siteUrl,
  path,
  title,
  description,
}: {
  /** SITE_URL from the page's loader; undefined when the loader failed (an error page: no canonical, no preview). */
  siteUrl: string | undefined;
  path: PublicPage;
  title: string;
  description: string;
}): MetaDescriptor[] {
  const basics: MetaDescriptor[] = [{ title }, { name: "description", content: description }];
  if (!siteUrl) return basics;
  const url = absoluteUrl(siteUrl, path);
  const image = absoluteUrl(siteUrl, OG_IMAGE.path);
  return [
    ...basics,
    { tagName: "link", rel: "canonical", href: url },
    { property: "og:type", content: "website" },
    { property: "og:site_name", content: SITE_NAME },
    { property: "og:url", content: url },
    { property: "og:title", content: title },
    { property: "og:description", content: description },
    { property: "og:image", content: image },
    { property: "og:image:type", content: "image/png" },
    { property: "og:image:width", content: String(OG_IMAGE.width) },
    { property: "og:image:height", content: String(OG_IMAGE.height) },
    { property: "og:image:alt", content: OG_IMAGE.alt },
    { name: "twitter:card", content: "summary_large_image" },
    { name: "twitter:title", content: title },
    { name: "twitter:description", content: description },
    { name: "twitter:image", content: image },
    { name: "twitter:image:alt", content: OG_IMAGE.alt },
  ];
}

const NOINDEX = "noindex";

/** A route's `handle` that keeps it, and every route beneath it, out of search results. */
export const noindexHandle = { robots: NOINDEX } as const;

/** A route's `headers` export with the same effect for crawlers that read headers (and for non-HTML answers). */
export function noindexHeaders(): HeadersInit {
  return { "X-Robots-Tag": NOINDEX };
}

/** The robots meta the document carries, from the matched routes' handles; null: indexable. */
export function robotsDirective(matches: readonly { handle?: unknown }[]): string | null {
  const noindex = matches.some((match) => (match.handle as { robots?: unknown } | undefined)?.robots === NOINDEX);
  return noindex ? NOINDEX : null;
}
