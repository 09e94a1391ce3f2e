// The headers every HTML and data response carries. Script execution is
// limited to our own files and the inline scripts Remix renders with this
// response's nonce; the browser may only talk to us and to Supabase.
export function supabaseOrigins(supabaseUrl: string): string[] {
  const url = new URL(supabaseUrl);
  const ws = url.protocol === "https:" ? "wss:" : "ws:";
  return [url.origin, `${ws}//${url.host}`];
}

export function contentSecurityPolicy({
  nonce,
  supabaseUrl,
  development = false,
}: {
  nonce: string;
  supabaseUrl: string;
  development?: boolean;
}): string {
  const connect = ["'self'", ...supabaseOrigins(supabaseUrl)];
  // `remix dev` reloads the page over its own WebSocket.
  if (development) connect.push("ws://localhost:*", "ws://127.0.0.1:*");
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": ["'self'", `'nonce-${nonce}'`],
    // Radix positions menus with inline style attributes; styles cannot run code.
    "style-src": ["'self'", "'unsafe-inline'"],
    // Screenshots are shown from Storage through short-lived signed URLs.
    "img-src": ["'self'", "data:", new URL(supabaseUrl).origin],
    "font-src": ["'self'"],
    "connect-src": connect,
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(" ")}`)
    .join("; ");
}

/** True when the visitor reached us over HTTPS (directly or through the proxy). */
export function isHttpsRequest(request: Request): boolean {
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  return (forwarded ?? new URL(request.url).protocol.replace(/:$/, "")) === "https";
}

export function applySecurityHeaders(
  headers: Headers,
  { request, nonce, supabaseUrl, development }: { request: Request; nonce?: string; supabaseUrl: string; development?: boolean },
): void {
  if (nonce !== undefined) headers.set("Content-Security-Policy", contentSecurityPolicy({ nonce, supabaseUrl, development }));
  headers.set("X-Frame-Options", "DENY");
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  // Only over HTTPS: a browser ignores HSTS on plain HTTP, and local
  // development must stay reachable on http://localhost.
  if (isHttpsRequest(request)) headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  // Anything that sets a session cookie is private to that visitor.
  if (headers.has("Set-Cookie")) headers.set("Cache-Control", "private, no-store");
}
