// Resource route: GET /sitemap.xml, the public pages at their canonical
// addresses on SITE_URL (app/domain/seo/sitemap.ts).
import { sitemapXml } from "~/domain/seo/sitemap.ts";
import { env } from "~/lib/env.server.ts";

export function loader() {
  return new Response(sitemapXml(env.SITE_URL), {
    headers: { "Content-Type": "application/xml; charset=utf-8", "Cache-Control": "public, max-age=3600" },
  });
}
