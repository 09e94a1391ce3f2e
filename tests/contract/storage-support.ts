// Helpers for the Storage contract tests: users with an access token and a
// supabase-js client acting as them, and the test bucket with its policies.
// Locally users are rows in auth.users with a token we sign ourselves (the
// Auth service is not needed); against a real Supabase (SUPABASE_TEST_URL)
// they are created with the admin API and signed in with a password.
import { randomUUID } from "node:crypto";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import pg from "pg";
import { afterAll } from "vitest";
import { signJwt } from "../../supabase/local/jwt.ts";
import type { SupabaseUnderTest } from "../support/local-supabase.ts";

export interface TestUser {
  id: string;
  email: string;
  accessToken: string;
  client: SupabaseClient;
}

const clientOptions = { auth: { persistSession: false, autoRefreshToken: false } } as const;

export function clientWithToken(sut: SupabaseUnderTest, accessToken: string): SupabaseClient {
  return createClient(sut.url, sut.anonKey, {
    ...clientOptions,
    global: { headers: { Authorization: `Bearer ${accessToken}` } },
  });
}

export function anonClient(sut: SupabaseUnderTest): SupabaseClient {
  return createClient(sut.url, sut.anonKey, clientOptions);
}

export async function createTestUser(sut: SupabaseUnderTest, label: string): Promise<TestUser> {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.test`;
  if (!sut.external) {
    if (!sut.db || !sut.jwtSecret) throw new Error("local run without database or JWT secret");
    const id = randomUUID();
    await sut.db.pool.query(
      `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                               raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
       values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2, '', now(),
               '{"provider":"email","providers":["email"]}', '{}', now(), now())`,
      [id, email],
    );
    const now = Math.floor(Date.now() / 1000);
    const accessToken = await signJwt(sut.jwtSecret, {
      sub: id,
      role: "authenticated",
      aud: "authenticated",
      email,
      session_id: randomUUID(),
      iat: now,
      exp: now + 3600,
    });
    return { id, email, accessToken, client: clientWithToken(sut, accessToken) };
  }
  const password = `pw-${randomUUID()}`;
  const admin = createClient(sut.url, sut.serviceRoleKey, clientOptions);
  const created = await admin.auth.admin.createUser({ email, password, email_confirm: true });
  if (created.error) throw created.error;
  const signedIn = await anonClient(sut).auth.signInWithPassword({ email, password });
  if (signedIn.error || !signedIn.data.session) throw signedIn.error ?? new Error("no session");
  const accessToken = signedIn.data.session.access_token;
  return { id: created.data.user.id, email, accessToken, client: clientWithToken(sut, accessToken) };
}

/**
 * A superuser pool on the database behind the Supabase under test: the
 * per-file database locally, SUPABASE_TEST_DB_URL against a real Supabase
 * (null when that is not given: the caller skips what needs it).
 */
export function arrangePool(sut: SupabaseUnderTest): pg.Pool | null {
  if (sut.db) return sut.db.pool;
  const url = process.env.SUPABASE_TEST_DB_URL;
  if (!url) return null;
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  afterAll(() => pool.end());
  return pool;
}

/**
 * A private bucket with own-folder policies for `authenticated`, mirroring the
 * product's `trade-screenshots` bucket (folder 1 = the user's id).
 */
export async function createOwnFolderBucket(
  pool: pg.Pool,
  bucket: string,
  { fileSizeLimit, allowedMimeTypes }: { fileSizeLimit: number | null; allowedMimeTypes: string[] | null },
): Promise<void> {
  await pool.query(
    `insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
     values ($1, $1, false, $2, $3)
     on conflict (id) do update set public = false, file_size_limit = $2, allowed_mime_types = $3`,
    [bucket, fileSizeLimit, allowedMimeTypes],
  );
  const condition = `bucket_id = '${bucket}' and (storage.foldername(name))[1] = (select auth.uid())::text`;
  const slug = bucket.replace(/[^a-z0-9]/g, "_");
  for (const [operation, clause] of [
    ["insert", `with check (${condition})`],
    ["select", `using (${condition})`],
    ["update", `using (${condition}) with check (${condition})`],
    ["delete", `using (${condition})`],
  ] as const) {
    await pool.query(`drop policy if exists ${slug}_${operation}_own on storage.objects`);
    await pool.query(`create policy ${slug}_${operation}_own on storage.objects for ${operation} to authenticated ${clause}`);
  }
}
