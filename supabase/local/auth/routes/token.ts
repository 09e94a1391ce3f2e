// POST /token: the password, refresh_token and pkce grants.
import type { IncomingMessage, ServerResponse } from "node:http";
import bcrypt from "bcryptjs";
import { AUD, inTx, requestInfo, type AuthEnv } from "../env.ts";
import { badRequest, notFound, OAuthError, readJson, sendJson, str } from "../http.ts";
import { limitByAddress } from "../rate-limit.ts";
import { issueSession, refreshSession } from "../sessions.ts";
import { findUserByEmail, findUserById } from "../users.ts";
import { verifyCodeChallenge } from "../verify.ts";

const FLOW_STATE_EXPIRY_SECONDS = 300;

export async function token(env: AuthEnv, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  switch (url.searchParams.get("grant_type")) {
    case "password":
      return passwordGrant(env, req, res);
    case "refresh_token":
      return refreshGrant(env, req, res);
    case "pkce":
      return pkceGrant(env, req, res);
    default:
      throw new OAuthError("unsupported_grant_type", "");
  }
}

async function passwordGrant(env: AuthEnv, req: IncomingMessage, res: ServerResponse): Promise<void> {
  limitByAddress(env.passwordGrantLimiter, req);
  const body = await readJson(req);
  const email = str(body.email);
  const password = str(body.password);
  const invalid = badRequest("invalid_credentials", "Invalid login credentials");
  if (!email || !password) throw invalid;
  const user = await findUserByEmail(env.pool, email, AUD);
  if (!user || !user.encrypted_password) throw invalid;
  if (!(await bcrypt.compare(password, user.encrypted_password))) throw invalid;
  if (!user.email_confirmed_at) throw badRequest("email_not_confirmed", "Email not confirmed");
  const session = await inTx(env, (client) => issueSession(client, env.tokens, user, "password", requestInfo(req)));
  env.log(`[auth] login user=${user.id}`);
  sendJson(res, 200, session);
}

async function refreshGrant(env: AuthEnv, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req);
  const refreshToken = str(body.refresh_token);
  if (!refreshToken) throw new OAuthError("invalid_request", "refresh_token required");
  const client = await env.pool.connect();
  try {
    await client.query("begin");
    const outcome = await refreshSession(client, env.tokens, refreshToken);
    // A detected reuse revokes the session's tokens: that must be kept although the answer is an error.
    await client.query(outcome.ok || outcome.commit ? "commit" : "rollback");
    if (!outcome.ok) {
      if (outcome.error.code === "refresh_token_already_used") env.log("[auth] refresh token reuse detected; session revoked");
      throw outcome.error;
    }
    sendJson(res, 200, outcome.session);
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

async function pkceGrant(env: AuthEnv, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req);
  const authCode = str(body.auth_code);
  const verifier = str(body.code_verifier);
  if (!authCode || !verifier) {
    throw badRequest("validation_failed", "invalid request: both auth code and code verifier should be non-empty");
  }
  const session = await inTx(env, async (client) => {
    const { rows } = await client.query<{
      id: string;
      user_id: string | null;
      code_challenge: string;
      code_challenge_method: string;
      authentication_method: string;
      created_at: Date;
      auth_code_issued_at: Date | null;
    }>("select * from auth.flow_state where auth_code = $1 for update", [authCode]);
    const flow = rows[0];
    if (!flow || !flow.user_id) throw notFound("flow_state_not_found", "invalid flow state, no valid flow state found");
    const issuedAt = new Date(flow.auth_code_issued_at ?? flow.created_at).getTime();
    if (Date.now() > issuedAt + FLOW_STATE_EXPIRY_SECONDS * 1000) {
      throw badRequest("flow_state_expired", "invalid flow state, flow state has expired");
    }
    if (!verifyCodeChallenge(flow.code_challenge_method, flow.code_challenge, verifier)) {
      throw badRequest("bad_code_verifier", "code challenge does not match previously saved code verifier");
    }
    const user = await findUserById(client, flow.user_id);
    if (!user) throw notFound("user_not_found", "User not found");
    const issued = await issueSession(client, env.tokens, user, flow.authentication_method, requestInfo(req));
    await client.query("delete from auth.flow_state where id = $1", [flow.id]);
    return issued;
  });
  sendJson(res, 200, session);
}
