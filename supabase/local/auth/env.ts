// What every Auth route is handed, and the checks they share: transactions,
// request facts, email and password validation, bearer-token authentication.
import type { IncomingMessage } from "node:http";
import type pg from "pg";
import type { LocalSupabaseConfig } from "../context.ts";
import { bearerToken, verifyJwt, type SupabaseClaims } from "../jwt.ts";
import { AuthHttpError, badRequest, forbidden, unauthorized } from "./http.ts";
import type { MailOptions } from "./mailer.ts";
import type { TokenBucketLimiter } from "./rate-limit.ts";
import type { RequestInfo, TokenSettings } from "./sessions.ts";
import { findUserById, NIL_UUID, type UserRow } from "./users.ts";

/**
 * Auth settings beyond the shared LocalSupabaseConfig, with GoTrue's defaults.
 * They may be passed on the config object (tests do).
 */
export interface LocalAuthOptions {
  /** GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL (default 10 s). */
  refreshTokenReuseIntervalSeconds?: number;
  /** GOTRUE_MAILER_OTP_EXP (default 86400 s). */
  otpExpirySeconds?: number;
  /** GOTRUE_PASSWORD_MIN_LENGTH (default 6). */
  passwordMinLength?: number;
  /** GOTRUE_RATE_LIMIT_TOKEN_REFRESH: password grants per 5 minutes per address (default 150, burst 30). */
  rateLimitTokenPerFiveMinutes?: number;
}

export interface AuthEnv {
  pool: pg.Pool;
  log: (line: string) => void;
  config: LocalSupabaseConfig;
  jwtSecret: string;
  tokens: TokenSettings;
  mail: MailOptions;
  otpExpirySeconds: number;
  passwordMinLength: number;
  passwordGrantLimiter: TokenBucketLimiter;
}

export const AUD = "authenticated";
export const BCRYPT_COST = 10;
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_PASSWORD_LENGTH = 72;
const ADMIN_ROLES = new Set(["service_role", "supabase_admin"]);
const EMAIL_RE =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

export async function inTx<T>(env: AuthEnv, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await env.pool.connect();
  try {
    await client.query("begin");
    const result = await work(client);
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export function requestInfo(req: IncomingMessage): RequestInfo {
  const ua = req.headers["user-agent"];
  const ip = req.socket.remoteAddress ?? null;
  return { userAgent: typeof ua === "string" ? ua : null, ip: ip?.replace(/^::ffff:/, "") ?? null };
}

export function validateEmail(raw: string): string {
  if (!raw) throw badRequest("validation_failed", "An email address is required");
  if (raw.length > 255) throw badRequest("validation_failed", "An email address is too long");
  if (!EMAIL_RE.test(raw)) throw badRequest("validation_failed", "Unable to validate email address: invalid format");
  return raw.toLowerCase();
}

export function checkPasswordStrength(env: AuthEnv, password: string): void {
  const length = [...password].length;
  if (length > MAX_PASSWORD_LENGTH) {
    throw badRequest("validation_failed", `Password cannot be longer than ${MAX_PASSWORD_LENGTH} characters`);
  }
  if (length < env.passwordMinLength) {
    throw new AuthHttpError(422, "weak_password", `Password should be at least ${env.passwordMinLength} characters.`, {
      weak_password: { reasons: ["length"] },
    });
  }
}

export interface Authenticated {
  claims: SupabaseClaims;
  user: UserRow;
  sessionId: string | null;
}

/** The signed-in user of a bearer access token, with GoTrue's errors. */
export async function authenticate(env: AuthEnv, req: IncomingMessage): Promise<Authenticated> {
  const token = bearerToken(req.headers.authorization);
  if (!token) throw unauthorized("no_authorization", "This endpoint requires a Bearer token");
  const verified = await verifyJwt(env.jwtSecret, token);
  if (!verified.ok) {
    throw forbidden(
      "bad_jwt",
      verified.reason === "expired"
        ? "invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired"
        : "invalid JWT: unable to parse or verify signature, token signature is invalid: signature is invalid",
    );
  }
  const claims = verified.claims;
  if (!claims.sub) throw forbidden("bad_jwt", "invalid claim: missing sub claim");
  if (!UUID_RE.test(claims.sub)) throw badRequest("bad_jwt", "invalid claim: sub claim must be a UUID");
  const user = await findUserById(env.pool, claims.sub);
  if (!user) throw forbidden("user_not_found", "User from sub claim in JWT does not exist");
  const sid = typeof claims.session_id === "string" ? claims.session_id : "";
  if (!sid || sid === NIL_UUID) return { claims, user, sessionId: null };
  if (!UUID_RE.test(sid)) throw forbidden("bad_jwt", "invalid claim: session_id claim must be a UUID");
  const { rowCount } = await env.pool.query("select 1 from auth.sessions where id = $1", [sid]);
  if (!rowCount) throw forbidden("session_not_found", "Session from session_id claim in JWT does not exist");
  return { claims, user, sessionId: sid };
}

export async function requireAdmin(env: AuthEnv, req: IncomingMessage): Promise<void> {
  const token = bearerToken(req.headers.authorization);
  if (!token) throw unauthorized("no_authorization", "This endpoint requires a Bearer token");
  const verified = await verifyJwt(env.jwtSecret, token);
  if (!verified.ok) throw forbidden("bad_jwt", "invalid JWT: unable to parse or verify signature, token signature is invalid");
  if (!ADMIN_ROLES.has(String(verified.claims.role ?? ""))) throw forbidden("not_admin", "User not allowed");
}
