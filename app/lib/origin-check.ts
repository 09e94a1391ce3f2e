// Cross-site request forgery guard for every mutating request: the browser
// says where a form or fetch came from in Origin (or, failing that, Referer),
// and it must be this site — the configured SITE_URL or the host the request
// was addressed to. A request that names neither is refused too.
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface OriginFacts {
  method: string;
  origin: string | null;
  referer: string | null;
  host: string | null;
  /** x-forwarded-proto from the proxy, else the request URL's scheme. */
  protocol: string;
}

export function originFacts(request: Request): OriginFacts {
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  return {
    method: request.method.toUpperCase(),
    origin: request.headers.get("origin"),
    referer: request.headers.get("referer"),
    host: request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || request.headers.get("host"),
    protocol: forwarded || new URL(request.url).protocol.replace(/:$/, ""),
  };
}

function originOf(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}

export function isSameSiteRequest(facts: OriginFacts, siteUrl: string): boolean {
  if (SAFE_METHODS.has(facts.method)) return true;
  const allowed = new Set<string>();
  const site = originOf(siteUrl);
  if (site) allowed.add(site);
  if (facts.host) {
    const self = originOf(`${facts.protocol}://${facts.host}`);
    if (self) allowed.add(self);
  }
  // "null" is what a sandboxed frame or a privacy redirect sends: not us.
  const claimed = facts.origin && facts.origin !== "null" ? facts.origin : null;
  const source = claimed ?? (facts.referer ? originOf(facts.referer) : null);
  return source !== null && allowed.has(source);
}
