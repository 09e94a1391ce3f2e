// The access token the browser's Realtime socket authenticates with. The
// session cookies are HttpOnly (docs/decisions/008), so the socket asks here:
// reading the session refreshes it when the access token is about to expire,
// and the refreshed cookies go out with this answer. Same-origin only, never
// cached.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleLoader } from "~/lib/route-handler.server.ts";
import { getRequestAuth } from "~/lib/session.server.ts";

export interface RealtimeTokenAnswer {
  token: string;
  /** Milliseconds the token has left by this server's clock (the browser's clock may be off). */
  expiresInMs: number;
  userId: string;
}

const HEADERS = { "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff" };

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    // Browsers say where a fetch comes from; another site never gets a token.
    if (request.headers.get("Sec-Fetch-Site") === "cross-site") {
      return Response.json({ error: "cross_site" }, { status: 403, headers: HEADERS });
    }
    const auth = await getRequestAuth(request);
    if (!auth.claims) return Response.json({ error: "signed_out" }, { status: 401, headers: HEADERS });
    const { data } = await auth.supabase.auth.getSession();
    const token = data.session?.access_token;
    if (!token) return Response.json({ error: "signed_out" }, { status: 401, headers: HEADERS });
    const expiresAt = (data.session?.expires_at ?? auth.claims.exp) * 1000;
    const answer: RealtimeTokenAnswer = { token, expiresInMs: Math.max(0, expiresAt - Date.now()), userId: auth.claims.sub };
    return Response.json(answer, { headers: HEADERS });
  });
