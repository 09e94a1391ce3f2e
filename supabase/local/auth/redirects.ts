// Where email links send the user: GoTrue's redirect allow list (prefixes
// only; GoTrue's glob patterns are not used by us).
import type { IncomingMessage } from "node:http";
import type { LocalSupabaseConfig } from "../context.ts";

/** GoTrue's IsRedirectURLValid: the site's host, or an allow-listed URL. */
export function isRedirectAllowed(config: LocalSupabaseConfig, target: string): boolean {
  try {
    if (new URL(target).hostname === new URL(config.siteUrl).hostname) return true;
  } catch {
    return false;
  }
  return config.additionalRedirectUrls.some((prefix) => target.startsWith(prefix));
}

/** GoTrue's GetReferrer: redirect_to if allowed, else an allowed Referer, else the site URL. */
export function referrer(config: LocalSupabaseConfig, req: IncomingMessage, url: URL): string {
  const requested = url.searchParams.get("redirect_to");
  if (requested && isRedirectAllowed(config, requested)) return requested;
  const ref = req.headers.referer;
  if (typeof ref === "string" && isRedirectAllowed(config, ref)) return ref;
  return config.siteUrl;
}
