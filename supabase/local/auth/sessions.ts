// Sessions, refresh tokens and access tokens as GoTrue issues them.
import { randomInt, randomUUID } from "node:crypto";
import type pg from "pg";
import { signJwt, type SupabaseClaims } from "../jwt.ts";
import { badRequest } from "./http.ts";
import { findIdentities, findUserById, NIL_UUID, userJson, type Queryable, type UserRow } from "./users.ts";

export interface TokenSettings {
  publicUrl: string;
  jwtSecret: string;
  jwtExpirySeconds: number;
  refreshTokenReuseIntervalSeconds: number;
}

export interface RequestInfo {
  userAgent: string | null;
  ip: string | null;
}

const ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** GoTrue's refresh tokens (algorithm v1): 12 random alphanumerics. */
export function newRefreshTokenString(): string {
  let out = "";
  for (let i = 0; i < 12; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

/** `auth.mfa_amr_claims` is GoTrue's own table (created by its migrations). */
export const AMR_TABLE_SQL = `
  create table if not exists auth.mfa_amr_claims (
    session_id uuid not null references auth.sessions (id) on delete cascade,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    authentication_method text not null,
    id uuid primary key,
    constraint mfa_amr_claims_session_id_authentication_method_pkey unique (session_id, authentication_method)
  )`;

export async function accessTokenFor(
  db: Queryable,
  settings: TokenSettings,
  user: UserRow,
  sessionId: string,
): Promise<{ token: string; expiresAt: number }> {
  const { rows: amr } = await db.query<{ method: string; created_at: Date }>(
    `select authentication_method as method, created_at from auth.mfa_amr_claims
      where session_id = $1 order by created_at desc`,
    [sessionId],
  );
  const now = Math.floor(Date.now() / 1000);
  const expiresAt = now + settings.jwtExpirySeconds;
  const claims: SupabaseClaims = {
    iss: `${settings.publicUrl.replace(/\/+$/, "")}/auth/v1`,
    sub: user.id,
    aud: user.aud || "authenticated",
    exp: expiresAt,
    iat: now,
    email: user.email ?? "",
    phone: user.phone ?? "",
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    role: user.role || "authenticated",
    aal: "aal1",
    amr: amr.map((row) => ({ method: row.method, timestamp: Math.floor(new Date(row.created_at).getTime() / 1000) })),
    session_id: sessionId,
    is_anonymous: user.is_anonymous ?? false,
  };
  return { token: await signJwt(settings.jwtSecret, claims), expiresAt };
}

async function sessionResponse(
  db: Queryable,
  settings: TokenSettings,
  userId: string,
  sessionId: string,
  refreshToken: string,
): Promise<Record<string, unknown>> {
  const user = (await findUserById(db, userId))!;
  const { token, expiresAt } = await accessTokenFor(db, settings, user, sessionId);
  return {
    access_token: token,
    token_type: "bearer",
    expires_in: settings.jwtExpirySeconds,
    expires_at: expiresAt,
    refresh_token: refreshToken,
    user: userJson(user, await findIdentities(db, userId)),
  };
}

/**
 * Starts a session for `user` (GoTrue's issueRefreshToken): session row, AMR
 * claim, first refresh token, last_sign_in_at. Run inside a transaction.
 */
export async function issueSession(
  db: pg.PoolClient,
  settings: TokenSettings,
  user: UserRow,
  method: string,
  info: RequestInfo,
): Promise<Record<string, unknown>> {
  const sessionId = randomUUID();
  await db.query(
    `insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
     values ($1, $2, now(), now(), 'aal1', $3, $4)`,
    [sessionId, user.id, info.userAgent, info.ip],
  );
  await db.query(
    `insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
     values ($1, $2, now(), now(), $3)`,
    [randomUUID(), sessionId, method],
  );
  const refreshToken = newRefreshTokenString();
  await db.query(
    `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
     values ($1, $2, $3, false, now(), now(), null, $4)`,
    [NIL_UUID, refreshToken, user.id, sessionId],
  );
  await db.query("update auth.users set last_sign_in_at = now(), updated_at = now() where id = $1", [user.id]);
  return sessionResponse(db, settings, user.id, sessionId, refreshToken);
}

interface RefreshRow {
  id: string;
  token: string;
  user_id: string;
  revoked: boolean;
  updated_at: Date;
  parent: string | null;
  session_id: string | null;
}

export type RefreshOutcome = { ok: true; session: Record<string, unknown> } | { ok: false; error: ReturnType<typeof badRequest>; commit: boolean };

/**
 * GoTrue's refresh_token grant: rotates the token. A revoked token is accepted
 * only when it is the parent of the session's active token (the client lost
 * the answer: the active token is handed out again) or within the reuse
 * interval; otherwise the whole session's tokens are revoked and the answer is
 * 400 refresh_token_already_used.
 */
export async function refreshSession(client: pg.PoolClient, settings: TokenSettings, refreshToken: string): Promise<RefreshOutcome> {
  const { rows } = await client.query<RefreshRow>(
    `select rt.id, rt.token, rt.user_id, rt.revoked, rt.updated_at, rt.parent, rt.session_id
       from auth.refresh_tokens rt
      where rt.token = $1
      for update`,
    [refreshToken],
  );
  const token = rows[0];
  if (!token) {
    return { ok: false, commit: false, error: badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found") };
  }
  const user = await findUserById(client, token.user_id);
  if (!user) {
    return { ok: false, commit: false, error: badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found") };
  }
  const { rows: sessions } = token.session_id
    ? await client.query<{ id: string; not_after: Date | null }>("select id, not_after from auth.sessions where id = $1 for update", [
        token.session_id,
      ])
    : { rows: [] };
  const session = sessions[0];
  if (!session) {
    await client.query("delete from auth.refresh_tokens where id = $1", [token.id]);
    return { ok: false, commit: true, error: badRequest("session_not_found", "Invalid Refresh Token: No Valid Session Found") };
  }
  if (session.not_after && new Date(session.not_after).getTime() < Date.now()) {
    return { ok: false, commit: false, error: badRequest("session_expired", "Invalid Refresh Token: Session Expired") };
  }

  let issued: string | null = null;
  if (token.revoked) {
    const { rows: active } = await client.query<{ token: string; parent: string | null }>(
      `select token, parent from auth.refresh_tokens
        where session_id = $1 and revoked = false order by id desc limit 1`,
      [session.id],
    );
    if (active[0] && active[0].parent === token.token) {
      issued = active[0].token;
    } else {
      const reuseUntil = new Date(token.updated_at).getTime() + settings.refreshTokenReuseIntervalSeconds * 1000;
      if (Date.now() > reuseUntil) {
        await client.query("update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1 and revoked = false", [
          session.id,
        ]);
        return { ok: false, commit: true, error: badRequest("refresh_token_already_used", "Invalid Refresh Token: Already Used") };
      }
    }
  }
  if (!issued) {
    await client.query("update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1", [token.id]);
    issued = newRefreshTokenString();
    await client.query(
      `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
       values ($1, $2, $3, false, now(), now(), $4, $5)`,
      [NIL_UUID, issued, user.id, token.token, session.id],
    );
  }
  await client.query("update auth.sessions set refreshed_at = now() at time zone 'utc', updated_at = now() where id = $1", [session.id]);
  return { ok: true, session: await sessionResponse(client, settings, user.id, session.id, issued) };
}
