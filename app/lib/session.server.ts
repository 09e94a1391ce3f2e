// Who is asking. The session lives in @supabase/ssr cookies; its access token
// is verified locally with the JWT secret, so a signed-in page costs no call
// to the Auth server unless the token is about to expire (then the client
// refreshes it once and the new cookies go out with the response).
import { redirect } from "@remix-run/node";
import type { SupabaseClient } from "@supabase/supabase-js";
import { createAccessTokenVerifier, type AccessClaims } from "./access-token.server.ts";
import { env } from "./env.server.ts";
import { pool } from "./pool.server.ts";
import { safeRedirect } from "./safe-redirect.ts";
import { isSessionActive } from "./session-check.server.ts";
import { createRequestSupabase } from "./supabase.server.ts";

export interface RequestAuth {
  supabase: SupabaseClient;
  /** Set-Cookie (and no-cache) headers the response must carry. */
  responseHeaders: Headers;
  claims: AccessClaims | null;
}

const verifyAccessToken = createAccessTokenVerifier(env.SUPABASE_JWT_SECRET);
// Remix hands each loader its own copy of the Request, so the route handler
// finds this loader's headers by its Request object…
const perRequest = new WeakMap<Request, Promise<RequestAuth>>();
// …while the loaders of one navigation, running in parallel with the same
// cookies, share one session read: parallel refreshes of one refresh token race.
const inFlightReads = new Map<string, Promise<RequestAuth>>();

async function readAuth(request: Request): Promise<RequestAuth> {
  const responseHeaders = new Headers();
  const supabase = createRequestSupabase(request, responseHeaders);
  const { data } = await supabase.auth.getSession();
  const token = data.session?.access_token;
  const claims = token ? await verifyAccessToken(token) : null;
  // Signed out elsewhere (or everywhere): forget this device's cookies now, not when the token expires.
  if (claims && !(await isSessionActive(pool, claims))) {
    await supabase.auth.signOut({ scope: "local" }).catch(() => {});
    return { supabase, responseHeaders, claims: null };
  }
  return { supabase, responseHeaders, claims };
}

function sharedRead(request: Request): Promise<RequestAuth> {
  const cookies = request.headers.get("Cookie") ?? "";
  // Mutations read on their own: an action may change the session it read.
  if (!cookies || (request.method !== "GET" && request.method !== "HEAD")) return readAuth(request);
  let read = inFlightReads.get(cookies);
  if (!read) {
    read = readAuth(request);
    inFlightReads.set(cookies, read);
    const forget = () => inFlightReads.delete(cookies);
    read.then(forget, forget);
  }
  return read;
}

export function getRequestAuth(request: Request): Promise<RequestAuth> {
  let auth = perRequest.get(request);
  if (!auth) {
    auth = sharedRead(request);
    perRequest.set(request, auth);
  }
  return auth;
}

/** Headers collected for this request so far, if anything read the session. */
export async function pendingAuthHeaders(request: Request): Promise<Headers | null> {
  const auth = perRequest.get(request);
  return auth ? (await auth).responseHeaders : null;
}

/** The signed-in user's id if something already read this request's session (for its log line); never reads it. */
export async function knownUserId(request: Request): Promise<string | null> {
  const auth = perRequest.get(request);
  return auth ? ((await auth.catch(() => null))?.claims?.sub ?? null) : null;
}

export interface SignedIn extends RequestAuth {
  claims: AccessClaims;
  userId: string;
}

/** The signed-in user, or a redirect to the login page that comes back here afterwards. */
export async function requireUser(request: Request): Promise<SignedIn> {
  const auth = await getRequestAuth(request);
  if (!auth.claims) {
    const url = new URL(request.url);
    const back = safeRedirect(`${url.pathname}${url.search}`, "/dashboard");
    const search = back === "/dashboard" ? "" : `?${new URLSearchParams({ redirectTo: back })}`;
    throw redirect(`/login${search}`, { headers: auth.responseHeaders });
  }
  return { ...auth, claims: auth.claims, userId: auth.claims.sub };
}

/** Auth pages are for signed-out visitors; a signed-in one goes where they were heading. */
export async function requireAnonymous(request: Request): Promise<RequestAuth> {
  const auth = await getRequestAuth(request);
  if (auth.claims) {
    const target = safeRedirect(new URL(request.url).searchParams.get("redirectTo"), "/dashboard");
    throw redirect(target, { headers: auth.responseHeaders });
  }
  return auth;
}
