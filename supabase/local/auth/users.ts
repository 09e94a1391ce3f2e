// auth.users / auth.identities rows and their JSON form, as GoTrue's models.User
// marshals them (null timestamps omitted).
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { internal, unprocessable } from "./http.ts";

export type Queryable = Pick<pg.Pool, "query"> | Pick<pg.PoolClient, "query">;

export const NIL_UUID = "00000000-0000-0000-0000-000000000000";

export interface UserRow {
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  encrypted_password: string | null;
  email_confirmed_at: Date | null;
  invited_at: Date | null;
  confirmation_token: string | null;
  confirmation_sent_at: Date | null;
  recovery_token: string | null;
  recovery_sent_at: Date | null;
  email_change_token_new: string | null;
  email_change: string | null;
  email_change_sent_at: Date | null;
  email_change_token_current: string | null;
  email_change_confirm_status: number | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Record<string, unknown> | null;
  raw_user_meta_data: Record<string, unknown> | null;
  created_at: Date | null;
  updated_at: Date | null;
  phone: string | null;
  phone_confirmed_at: Date | null;
  confirmed_at: Date | null;
  banned_until: Date | null;
  deleted_at: Date | null;
  is_anonymous: boolean;
}

export interface IdentityRow {
  id: string;
  provider_id: string;
  user_id: string;
  identity_data: Record<string, unknown>;
  provider: string;
  last_sign_in_at: Date | null;
  created_at: Date | null;
  updated_at: Date | null;
  email: string | null;
}

const iso = (d: Date | null | undefined): string | undefined => (d ? new Date(d).toISOString() : undefined);

export function identityJson(row: IdentityRow): Record<string, unknown> {
  return {
    identity_id: row.id,
    id: row.provider_id,
    user_id: row.user_id,
    identity_data: row.identity_data,
    provider: row.provider,
    last_sign_in_at: iso(row.last_sign_in_at) ?? null,
    created_at: iso(row.created_at) ?? null,
    updated_at: iso(row.updated_at) ?? null,
    email: row.email ?? undefined,
  };
}

export function userJson(row: UserRow, identities: IdentityRow[]): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: row.id,
    aud: row.aud ?? "",
    role: row.role ?? "",
    email: row.email ?? "",
    email_confirmed_at: iso(row.email_confirmed_at),
    phone: row.phone ?? "",
    phone_confirmed_at: iso(row.phone_confirmed_at),
    confirmation_sent_at: iso(row.confirmation_sent_at),
    confirmed_at: iso(row.confirmed_at),
    recovery_sent_at: iso(row.recovery_sent_at),
    new_email: row.email_change || undefined,
    email_change_sent_at: iso(row.email_change_sent_at),
    invited_at: iso(row.invited_at),
    last_sign_in_at: iso(row.last_sign_in_at),
    app_metadata: row.raw_app_meta_data ?? {},
    user_metadata: row.raw_user_meta_data ?? {},
    identities: identities.map(identityJson),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    banned_until: iso(row.banned_until),
    deleted_at: iso(row.deleted_at),
    is_anonymous: row.is_anonymous ?? false,
  };
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out;
}

export async function findUserById(db: Queryable, id: string, forUpdate = false): Promise<UserRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const { rows } = await db.query<UserRow>(`select * from auth.users where id = $1${forUpdate ? " for update" : ""}`, [id]);
  return rows[0] ?? null;
}

export async function findUserByEmail(db: Queryable, email: string, aud = "authenticated"): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>(
    `select * from auth.users
      where lower(email) = lower($1) and aud = $2 and is_sso_user = false
      limit 1`,
    [email, aud],
  );
  return rows[0] ?? null;
}

export async function findIdentities(db: Queryable, userId: string): Promise<IdentityRow[]> {
  const { rows } = await db.query<IdentityRow>("select * from auth.identities where user_id = $1 order by created_at, id", [userId]);
  return rows;
}

export async function loadUserJson(db: Queryable, userId: string): Promise<Record<string, unknown> | null> {
  const user = await findUserById(db, userId);
  if (!user) return null;
  return userJson(user, await findIdentities(db, userId));
}

/** Merges a metadata patch the way GoTrue does: null values delete keys. */
export function mergeMetadata(current: Record<string, unknown> | null, patch: Record<string, unknown>): Record<string, unknown> {
  const next: Record<string, unknown> = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

/** Inserts a user and its email identity in the caller's transaction (project triggers fire here). */
export async function insertEmailUser(
  client: pg.PoolClient,
  fields: {
    email: string;
    passwordHash: string | null;
    userMetadata: (id: string) => Record<string, unknown>;
    appMetadata?: Record<string, unknown>;
  },
  log: (line: string) => void,
): Promise<UserRow> {
  const id = randomUUID();
  const identityData = { sub: id, email: fields.email, email_verified: false, phone_verified: false };
  const appMetadata = { provider: "email", providers: ["email"], ...(fields.appMetadata ?? {}) };
  await client.query("savepoint insert_user");
  try {
    await client.query(
      `insert into auth.users
         (instance_id, id, aud, role, email, encrypted_password, raw_app_meta_data, raw_user_meta_data,
          created_at, updated_at, is_sso_user, is_anonymous, confirmation_token, recovery_token,
          email_change_token_new, email_change, email_change_token_current, phone_change, phone_change_token,
          reauthentication_token)
       values ($1, $2, 'authenticated', 'authenticated', $3, $4, $5, $6, now(), now(), false, false, '', '', '', '', '', '', '', '')`,
      [NIL_UUID, id, fields.email, fields.passwordHash ?? "", appMetadata, fields.userMetadata(id)],
    );
    await client.query(
      `insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
       values ($1::text, $1::uuid, $2, 'email', now(), now(), now())`,
      [id, identityData],
    );
  } catch (error) {
    await client.query("rollback to savepoint insert_user");
    const pgError = error as { code?: string; message?: string };
    if (pgError.code === "23505") throw unprocessable("email_exists", "A user with this email address has already been registered");
    log(`[auth] database error saving new user: ${pgError.code ?? ""} ${pgError.message ?? String(error)}`);
    throw internal("Database error saving new user");
  }
  await client.query("release savepoint insert_user");
  return (await findUserById(client, id))!;
}
