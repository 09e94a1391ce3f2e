// Which addresses search engines may index and which they are kept out of.
// Public pages go in the sitemap with a canonical URL; everything signed in,
// and every address that is not a page at all, is disallowed in robots.txt.
// The sign-in, sign-up and reset pages stay crawlable so crawlers can read
// their noindex (a disallowed page can still be listed from links alone).

/** The pages anyone may arrive at from a search, in sitemap order. */
export const PUBLIC_PAGES = ["/", "/pricing"] as const;

export type PublicPage = (typeof PUBLIC_PAGES)[number];

/**
 * Path prefixes kept out of search engines: the signed-in app, the auth
 * callbacks, and the endpoints that answer JSON, files or redirects.
 * app/domain/seo/robots.test.ts checks every route file is covered.
 */
export const DISALLOWED_PREFIXES = [
  "/accounts",
  "/admin",
  "/analytics",
  "/auth/",
  "/charts",
  "/dashboard",
  "/healthz",
  "/journal",
  "/logout",
  "/metrics",
  "/more",
  "/playbooks",
  "/preferences",
  "/readyz",
  "/realtime",
  "/reset-password",
  "/screenshots",
  "/settings",
  "/trades",
  "/webhooks",
] as const;

/** The site's own absolute address for a path: SITE_URL's origin, the path, never a query or fragment. */
export function absoluteUrl(siteUrl: string, path: string): string {
  if (!path.startsWith("/")) throw new Error(`absoluteUrl: "${path}" is not a path from the site's root`);
  const url = new URL(path, siteUrl);
  url.search = "";
  url.hash = "";
  return url.href;
}
