// Email tokens (confirmation, recovery, email change), PKCE flow states and
// the helpers /verify, /signup, /recover and PUT /user share.
import { createHash, randomInt, randomUUID } from "node:crypto";
import { badRequest, forbidden } from "./http.ts";
import type { Queryable, UserRow } from "./users.ts";

export const PKCE_PREFIX = "pkce_";

/** GoTrue's crypto.GenerateTokenHash: hex(sha224(email + otp)). */
export function tokenHash(emailOrPhone: string, otp: string): string {
  return createHash("sha224")
    .update(emailOrPhone + otp)
    .digest("hex");
}

export function newOtp(length = 6): string {
  let out = "";
  for (let i = 0; i < length; i++) out += String(randomInt(10));
  return out;
}

export type TokenColumn = "confirmation_token" | "recovery_token" | "email_change_token_current" | "email_change_token_new";

const SENT_AT: Record<TokenColumn, keyof UserRow> = {
  confirmation_token: "confirmation_sent_at",
  recovery_token: "recovery_sent_at",
  email_change_token_current: "email_change_sent_at",
  email_change_token_new: "email_change_sent_at",
};

/** Which token columns a verification type may match. */
export function columnsForType(type: string): TokenColumn[] | null {
  switch (type) {
    case "signup":
      return ["confirmation_token"];
    case "recovery":
    case "magiclink":
      return ["recovery_token"];
    case "email_change":
      return ["email_change_token_current", "email_change_token_new"];
    case "email":
      return ["confirmation_token", "recovery_token"];
    default:
      return null;
  }
}

/** A stored token matches with or without the PKCE prefix. */
export function tokenMatches(stored: string | null, actual: string): boolean {
  if (!stored || !actual) return false;
  return stored === actual || stored === PKCE_PREFIX + actual;
}

export function isTokenExpired(user: UserRow, column: TokenColumn, otpExpirySeconds: number): boolean {
  const sentAt = user[SENT_AT[column]] as Date | null;
  if (!sentAt) return true;
  return Date.now() > new Date(sentAt).getTime() + otpExpirySeconds * 1000;
}

/** Finds the user holding `hash` in one of `columns` (row locked). */
export async function findUserByTokenHash(
  db: Queryable,
  columns: TokenColumn[],
  hash: string,
): Promise<{ user: UserRow; column: TokenColumn } | null> {
  if (!hash) return null;
  const where = columns.map((c) => `${c} in ($1, $2)`).join(" or ");
  const { rows } = await db.query<UserRow>(`select * from auth.users where ${where} limit 1 for update`, [hash, PKCE_PREFIX + hash]);
  const user = rows[0];
  if (!user) return null;
  const column = columns.find((c) => tokenMatches(user[c] as string | null, hash))!;
  return { user, column };
}

export async function upsertOneTimeToken(db: Queryable, userId: string, tokenType: TokenColumn, hash: string, relatesTo: string): Promise<void> {
  await db.query(
    `insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to, created_at, updated_at)
     values ($1, $2, $3, $4, $5, now(), now())
     on conflict (user_id, token_type) do update
       set token_hash = excluded.token_hash, relates_to = excluded.relates_to, updated_at = now()`,
    [randomUUID(), userId, tokenType, hash, relatesTo],
  );
}

export async function clearOneTimeTokens(db: Queryable, userId: string, types?: TokenColumn[]): Promise<void> {
  if (types) {
    await db.query("delete from auth.one_time_tokens where user_id = $1 and token_type = any($2::text[])", [userId, types]);
  } else {
    await db.query("delete from auth.one_time_tokens where user_id = $1", [userId]);
  }
}

/** Marks the user's email confirmed (GoTrue's user.Confirm + identity email_verified). */
export async function confirmUser(db: Queryable, user: UserRow): Promise<void> {
  await db.query(
    `update auth.users
        set email_confirmed_at = coalesce(email_confirmed_at, now()),
            confirmation_token = '',
            raw_user_meta_data = coalesce(raw_user_meta_data, '{}'::jsonb) || '{"email_verified": true}'::jsonb,
            updated_at = now()
      where id = $1`,
    [user.id],
  );
  await db.query(
    `update auth.identities
        set identity_data = identity_data || '{"email_verified": true}'::jsonb, updated_at = now()
      where user_id = $1 and provider = 'email' and lower(identity_data ->> 'email') = lower($2)`,
    [user.id, user.email ?? ""],
  );
  await clearOneTimeTokens(db, user.id, ["confirmation_token"]);
}

// --- PKCE ---------------------------------------------------------------------

export interface PkceParams {
  codeChallenge: string;
  codeChallengeMethod: "s256" | "plain" | "";
}

/** GoTrue's validatePKCEParams + ParseCodeChallengeMethod. */
export function readPkceParams(body: Record<string, unknown>): PkceParams {
  const challenge = typeof body.code_challenge === "string" ? body.code_challenge : "";
  const method = typeof body.code_challenge_method === "string" ? body.code_challenge_method : "";
  if ((challenge === "") !== (method === "")) {
    throw badRequest("validation_failed", "PKCE flow requires code_challenge_method and code_challenge");
  }
  if (!challenge) return { codeChallenge: "", codeChallengeMethod: "" };
  if (challenge.length < 43 || challenge.length > 128) {
    throw badRequest("validation_failed", "code challenge has to be between 43 and 128 characters");
  }
  const lowered = method.toLowerCase();
  if (lowered !== "s256" && lowered !== "plain") {
    throw badRequest("validation_failed", `unsupported code_challenge method "${method}"`);
  }
  return { codeChallenge: challenge, codeChallengeMethod: lowered };
}

export async function createFlowState(
  db: Queryable,
  params: PkceParams,
  providerType: string,
  authenticationMethod: string,
  userId: string,
): Promise<void> {
  await db.query(
    `insert into auth.flow_state
       (id, user_id, auth_code, code_challenge_method, code_challenge, provider_type, created_at, updated_at, authentication_method)
     values ($1, $2, $3, $4, $5, $6, now(), now(), $7)`,
    [randomUUID(), userId, randomUUID(), params.codeChallengeMethod, params.codeChallenge, providerType, authenticationMethod],
  );
}

/** GoTrue's models.ParseAuthenticationMethod for verification types. */
export function authenticationMethodFor(type: string): string {
  if (type.endsWith("signup")) return "email/signup";
  return type;
}

/** Issues the auth code of the user's latest flow state for that method. */
export async function issueAuthCode(db: Queryable, userId: string, authenticationMethod: string): Promise<string> {
  const { rows } = await db.query<{ id: string; auth_code: string }>(
    `select id, auth_code from auth.flow_state
      where user_id = $1 and authentication_method = $2
      order by created_at desc limit 1`,
    [userId, authenticationMethod],
  );
  const flow = rows[0];
  if (!flow) {
    throw badRequest("flow_state_not_found", "No associated flow state found. flow state not found");
  }
  await db.query("update auth.flow_state set auth_code_issued_at = now(), updated_at = now() where id = $1", [flow.id]);
  return flow.auth_code;
}

export function verifyCodeChallenge(method: string, challenge: string, verifier: string): boolean {
  if (method === "plain") return verifier === challenge;
  return createHash("sha256").update(verifier).digest("base64url") === challenge;
}

export function otpInvalid(): Error {
  return forbidden("otp_expired", "Token has expired or is invalid");
}

export function linkInvalid(): Error {
  return forbidden("otp_expired", "Email link is invalid or has expired");
}
