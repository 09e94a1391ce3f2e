// Supabase clients for the server. A new cookie-backed client per request
// (@supabase/ssr): it reads the session from the request's cookies and writes
// refreshed or cleared cookies into `responseHeaders`, which the route
// handler puts on whatever the loader or action returns.
import { createServerClient, parseCookieHeader, serializeCookieHeader } from "@supabase/ssr";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { env } from "./env.server.ts";

const secureCookies = new URL(env.SITE_URL).protocol === "https:";

export function createRequestSupabase(request: Request, responseHeaders: Headers): SupabaseClient {
  return createServerClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY, {
    cookies: {
      getAll: () => parseCookieHeader(request.headers.get("Cookie") ?? "").map(({ name, value }) => ({ name, value: value ?? "" })),
      setAll: (cookies, cacheHeaders) => {
        for (const { name, value, options } of cookies) {
          responseHeaders.append("Set-Cookie", serializeCookieHeader(name, value, options));
        }
        // Responses that set a session must never be cached by a proxy.
        for (const [key, value] of Object.entries(cacheHeaders)) responseHeaders.set(key, value);
      },
    },
    // The browser never talks to Supabase with the session (all data access is
    // server-side), so the session cookies can be HttpOnly.
    cookieOptions: { httpOnly: true, secure: secureCookies, sameSite: "lax", path: "/" },
  });
}

/** A client with no cookies, for a one-off check such as "is this the current password?". */
export function createStatelessSupabase(): SupabaseClient {
  return createClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
}
