// The one place in app/ that holds the service role, which bypasses RLS: the
// jobs process (sync engine, connection checks, market data) reaches the
// database through withServiceRole, and deleting one's own account needs the
// Auth admin API. No loader or action reads data through here (ADR 002).
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import type pg from "pg";
import { withRlsTransaction } from "./db.server.ts";

/**
 * Service-role access for jobs and webhooks. It bypasses RLS, so it always
 * names the user it acts for; queries must still filter by that id.
 */
export function withServiceRole<T>(pool: pg.Pool, actingForUserId: string | null, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withRlsTransaction(pool, { role: "service_role", ...(actingForUserId ? { sub: actingForUserId } : {}) }, work);
}

let admin: SupabaseClient | null = null;

/**
 * Service-role client for the Auth admin API (deleting a user). Never per user
 * session. The app's configuration is loaded only here, when first needed: the
 * jobs process imports this module with a configuration of its own.
 */
export async function supabaseAdmin(): Promise<SupabaseClient> {
  const { env } = await import("./env.server.ts");
  admin ??= createClient(env.SUPABASE_URL, env.SUPABASE_SERVICE_ROLE_KEY, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
  return admin;
}
