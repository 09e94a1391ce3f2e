// Is the session an access token names still alive? Sign-out (this device or
// everywhere) and a password reset delete the session's row in Auth, while the
// token itself stays valid until it expires; asking once per request closes
// that window (issue 19 item 9). One primary-key probe on the app's own
// login, shared by every loader of a navigation (session.server.ts caches the
// whole session read per request).
import type pg from "pg";
import type { AccessClaims } from "./access-token.server.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function isSessionActive(db: Pick<pg.Pool, "query">, claims: AccessClaims): Promise<boolean> {
  // Every user token GoTrue issues names its session; one that does not is not a user's sign-in.
  if (typeof claims.session_id !== "string" || !UUID.test(claims.session_id)) return false;
  const { rows } = await db.query<{ active: boolean }>("select public.auth_session_active($1, $2) as active", [claims.session_id, claims.sub]);
  return rows[0]?.active === true;
}
