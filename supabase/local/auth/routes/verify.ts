// Email links and codes: GET /verify (the link in the email; redirects with a
// PKCE code, a session in the fragment, or an error) and POST /verify
// (verifyOtp with an email + code or a token hash; answers a session).
import type { IncomingMessage, ServerResponse } from "node:http";
import type pg from "pg";
import { applyEmailChange } from "../email-flows.ts";
import { inTx, requestInfo, validateEmail, type AuthEnv } from "../env.ts";
import { AuthHttpError, badRequest, readJson, sendJson, sendRedirect, str, unprocessable } from "../http.ts";
import { referrer } from "../redirects.ts";
import { issueSession } from "../sessions.ts";
import { findUserById, type UserRow } from "../users.ts";
import {
  authenticationMethodFor,
  clearOneTimeTokens,
  columnsForType,
  confirmUser,
  findUserByTokenHash,
  isTokenExpired,
  issueAuthCode,
  linkInvalid,
  otpInvalid,
  PKCE_PREFIX,
  tokenHash,
  tokenMatches,
  type TokenColumn,
} from "../verify.ts";

const SINGLE_CONFIRMATION = "Confirmation link accepted. Please proceed to confirm link sent to the other email";
const OAUTH_ERROR_FOR_STATUS: Record<number, string> = {
  400: "invalid_request",
  401: "unauthorized_client",
  403: "access_denied",
  500: "server_error",
  503: "temporarily_unavailable",
};

const encodeSorted = (params: Record<string, string>): string =>
  new URLSearchParams(
    Object.keys(params)
      .sort()
      .map((k) => [k, params[k]!]),
  ).toString();

/** Applies a verified token (GoTrue's signupVerify / recoverVerify / emailChangeVerify); null = first of two confirmations. */
async function applyVerification(env: AuthEnv, client: pg.PoolClient, type: string, user: UserRow, column: TokenColumn): Promise<UserRow | null> {
  switch (type) {
    case "signup":
      await confirmUser(client, user);
      env.log(`[auth] email confirmed user=${user.id}`);
      break;
    case "recovery":
    case "magiclink":
      await client.query("update auth.users set recovery_token = '', updated_at = now() where id = $1", [user.id]);
      await clearOneTimeTokens(client, user.id, ["recovery_token"]);
      if (!user.email_confirmed_at) await confirmUser(client, user);
      break;
    case "email_change": {
      const other: TokenColumn = column === "email_change_token_current" ? "email_change_token_new" : "email_change_token_current";
      if (!env.config.autoconfirm && user.email_change_confirm_status === 0 && user.email && user[other]) {
        // Secure email change: both addresses confirm; this was the first.
        await client.query(`update auth.users set ${column} = '', email_change_confirm_status = 1, updated_at = now() where id = $1`, [user.id]);
        await clearOneTimeTokens(client, user.id, [column]);
        return null;
      }
      if (!user.email_change) throw linkInvalid();
      await applyEmailChange(client, user, user.email_change);
      env.log(`[auth] email changed user=${user.id}`);
      break;
    }
    default:
      throw badRequest("validation_failed", "Unsupported verification type");
  }
  return (await findUserById(client, user.id))!;
}

function errorRedirect(redirectTo: string, error: AuthHttpError, pkce: boolean): string {
  const url = new URL(redirectTo);
  const params: Record<string, string> = { error_code: error.code, error_description: error.message };
  const oauth = OAUTH_ERROR_FOR_STATUS[error.status];
  if (oauth) params.error = oauth;
  if (pkce) for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  url.hash = encodeSorted({ ...params, sb: "" });
  return url.toString();
}

export async function verifyLinkRoute(env: AuthEnv, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const token = url.searchParams.get("token") ?? "";
  const type = url.searchParams.get("type") ?? "";
  const redirectTo = referrer(env.config, req, url);
  if (!type) throw badRequest("validation_failed", "Verify requires a verification type");
  if (!token) throw badRequest("validation_failed", "Verify requires a token or a token hash");
  const pkce = token.startsWith(PKCE_PREFIX);
  try {
    const outcome = await inTx(env, async (client) => {
      const columns = columnsForType(type);
      if (!columns || type === "email") throw badRequest("validation_failed", "Invalid email verification type");
      const found = await findUserByTokenHash(client, columns, token);
      if (!found || isTokenExpired(found.user, found.column, env.otpExpirySeconds)) throw linkInvalid();
      const user = await applyVerification(env, client, type, found.user, found.column);
      if (!user) return { kind: "message" as const };
      if (pkce) return { kind: "code" as const, code: await issueAuthCode(client, user.id, authenticationMethodFor(type)) };
      return { kind: "session" as const, session: await issueSession(client, env.tokens, user, "otp", requestInfo(req)) };
    });
    const target = new URL(redirectTo);
    if (outcome.kind === "message") {
      if (pkce) target.searchParams.set("message", SINGLE_CONFIRMATION);
      target.hash = encodeSorted({ message: SINGLE_CONFIRMATION, sb: "" });
    } else if (outcome.kind === "code") {
      target.searchParams.set("code", outcome.code);
    } else {
      const s = outcome.session;
      target.hash = encodeSorted({
        access_token: String(s.access_token),
        expires_at: String(s.expires_at),
        expires_in: String(s.expires_in),
        refresh_token: String(s.refresh_token),
        sb: "",
        token_type: "bearer",
        type,
      });
    }
    sendRedirect(res, target.toString());
  } catch (error) {
    if (!(error instanceof AuthHttpError)) throw error;
    sendRedirect(res, errorRedirect(redirectTo, error, pkce));
  }
}

export async function verifyOtpRoute(env: AuthEnv, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req);
  let type = str(body.type);
  const token = str(body.token);
  let hash = str(body.token_hash);
  const rawEmail = str(body.email);
  if (!type) throw badRequest("validation_failed", "Verify requires a verification type");
  if ((!token && !hash) || (token && hash)) throw badRequest("validation_failed", "Verify requires either a token or a token hash");
  let email = "";
  if (token) {
    if (!rawEmail) throw badRequest("validation_failed", "Only an email address or phone number should be provided on verify");
    try {
      email = validateEmail(rawEmail);
    } catch {
      throw unprocessable("validation_failed", "Invalid email format");
    }
    hash = tokenHash(email, token);
  } else if (rawEmail || body.redirect_to) {
    throw badRequest("validation_failed", "Only the token_hash and type should be provided");
  }
  const columns = columnsForType(type);
  if (!columns) throw badRequest("validation_failed", "Unsupported verification type");

  const session = await inTx(env, async (client) => {
    let found: { user: UserRow; column: TokenColumn } | null = null;
    if (!token) {
      found = await findUserByTokenHash(client, columns, hash);
      if (!found) throw linkInvalid();
    } else {
      const { rows } = await client.query<UserRow>(
        type === "email_change"
          ? "select * from auth.users where lower(email) = $1 or lower(email_change) = $1 for update"
          : "select * from auth.users where lower(email) = $1 for update",
        [email],
      );
      for (const candidate of rows) {
        const column = columns.find((c) => tokenMatches(candidate[c] as string | null, hash));
        if (column) found = { user: candidate, column };
      }
      if (!found) throw otpInvalid();
    }
    if (isTokenExpired(found.user, found.column, env.otpExpirySeconds)) throw token ? otpInvalid() : linkInvalid();
    if (type === "email") type = found.column === "recovery_token" ? "magiclink" : "signup";
    const user = await applyVerification(env, client, type, found.user, found.column);
    return user && issueSession(client, env.tokens, user, "otp", requestInfo(req));
  });
  sendJson(res, 200, session ?? { msg: SINGLE_CONFIRMATION, code: "200" });
}
