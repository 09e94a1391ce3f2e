// Resource route: GET /robots.txt, written from SITE_URL so the sitemap it
// names is this deployment's (app/domain/seo/robots.ts says what is kept out).
import { robotsTxt } from "~/domain/seo/robots.ts";
import { env } from "~/lib/env.server.ts";

export function loader() {
  return new Response(robotsTxt(env.SITE_URL), {
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=3600" },
  });
}
