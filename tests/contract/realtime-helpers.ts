// Helpers for the Realtime contract tests. Locally, users are rows inserted in
// auth.users and their access tokens are minted with the test JWT secret (the
// tests do not depend on the Auth service). Against a real Supabase
// (SUPABASE_TEST_URL), users are created with the admin API and signed in
// through Auth; table setup there needs SUPABASE_TEST_DB_URL (a superuser URL).
import { randomUUID } from "node:crypto";
import { createClient, type RealtimeChannel, type RealtimeChannelOptions, type SupabaseClient } from "@supabase/supabase-js";
import pg from "pg";
import { afterAll, expect } from "vitest";
import { signJwt } from "../../supabase/local/jwt.ts";
import type { SupabaseUnderTest } from "../support/local-supabase.ts";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitFor<T>(
  probe: () => T | undefined | null | false,
  { timeout = 5000, interval = 20, what = "condition" }: { timeout?: number; interval?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(interval);
  }
}

export interface TestUser {
  id: string;
  email: string;
  /** Current access token; `setToken` changes what the client's accessToken callback returns. */
  token: string;
}

export interface RealtimeHarness {
  sut: SupabaseUnderTest;
  /** Runs SQL as a superuser on the database under test. */
  sql: (text: string, params?: unknown[]) => Promise<pg.QueryResult>;
  createUser: (tag?: string) => Promise<TestUser>;
  /** Mints a token for a user (local only): `expiresIn` seconds, may be negative. */
  mintToken: (user: TestUser, expiresIn?: number) => Promise<string>;
  /** A supabase-js client acting as `user` (or anon when null), with realtime options. */
  client: (user: TestUser | null, options?: { vsn?: "1.0.0" | "2.0.0" }) => ClientHandle;
  serviceClient: (options?: { vsn?: "1.0.0" | "2.0.0" }) => ClientHandle;
}

export interface ClientHandle {
  supabase: SupabaseClient;
  /** Replaces the access token the client hands to Realtime, and pushes it. */
  setToken: (token: string) => Promise<void>;
}

const PASSWORD = "realtime-test-password-1";

export function realtimeHarness(sut: SupabaseUnderTest): RealtimeHarness {
  let externalPool: pg.Pool | null = null;
  const clients: SupabaseClient[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.removeAllChannels().catch(() => {})));
    await externalPool?.end();
  });

  const sql = async (text: string, params?: unknown[]) => {
    if (sut.db) return sut.db.pool.query(text, params);
    const url = process.env.SUPABASE_TEST_DB_URL;
    if (!url) throw new Error("SUPABASE_TEST_DB_URL is needed to set up tables on an external Supabase");
    externalPool ??= new pg.Pool({ connectionString: url, max: 2 });
    return externalPool.query(text, params);
  };

  const mintToken = async (user: TestUser, expiresIn = 3600) => {
    if (!sut.jwtSecret) throw new Error("minting tokens needs the JWT secret");
    const now = Math.floor(Date.now() / 1000);
    return signJwt(sut.jwtSecret, {
      sub: user.id,
      role: "authenticated",
      aud: "authenticated",
      email: user.email,
      session_id: randomUUID(),
      iat: now,
      exp: now + expiresIn,
    });
  };

  const createUser = async (tag = "rt") => {
    const email = `${tag}-${randomUUID().slice(0, 8)}@example.test`;
    if (!sut.external) {
      const id = randomUUID();
      await sql(
        `insert into auth.users (instance_id, id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
         values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2, now(),
                 '{"provider":"email","providers":["email"]}', '{}', now(), now())`,
        [id, email],
      );
      const user: TestUser = { id, email, token: "" };
      user.token = await mintToken(user);
      return user;
    }
    const admin = createClient(sut.url, sut.serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false } });
    const created = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
    expect(created.error).toBeNull();
    const signer = createClient(sut.url, sut.anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
    const signedIn = await signer.auth.signInWithPassword({ email, password: PASSWORD });
    expect(signedIn.error).toBeNull();
    return { id: created.data.user!.id, email, token: signedIn.data.session!.access_token };
  };

  const makeClient = (key: string, token: string | null, options: { vsn?: "1.0.0" | "2.0.0" } = {}): ClientHandle => {
    let current = token ?? key;
    const supabase = createClient(sut.url, key, {
      auth: { persistSession: false, autoRefreshToken: false },
      // The third-party-token hook: Realtime asks it for the token to use.
      accessToken: async () => current,
      realtime: options.vsn ? { vsn: options.vsn } : {},
    });
    clients.push(supabase);
    return {
      supabase,
      setToken: async (next: string) => {
        current = next;
        await supabase.realtime.setAuth();
      },
    };
  };

  return {
    sut,
    sql,
    createUser,
    mintToken,
    client: (user, options) => makeClient(sut.anonKey, user?.token ?? null, options),
    serviceClient: (options) => makeClient(sut.serviceRoleKey, sut.serviceRoleKey, options),
  };
}

export interface Subscribed {
  channel: RealtimeChannel;
  system: Array<Record<string, unknown>>;
  statuses: string[];
}

/**
 * Subscribes and resolves once the channel is joined and, when it listens to
 * postgres_changes, once the server confirmed "Subscribed to PostgreSQL".
 * Rejects on CHANNEL_ERROR / TIMED_OUT with the server's reason.
 */
export async function subscribe(
  channel: RealtimeChannel,
  { postgres = false, timeout = 10_000 }: { postgres?: boolean; timeout?: number } = {},
): Promise<Subscribed> {
  // supabase-js resolves its accessToken callback asynchronously; a channel
  // subscribed before that has settled joins with the API key (and realtime-js
  // does not push the token afterwards when it has not changed), so settle it first.
  await channel.socket.setAuth();
  const system: Array<Record<string, unknown>> = [];
  const statuses: string[] = [];
  channel.on("system", {}, (payload: Record<string, unknown>) => system.push(payload));
  return new Promise((resolve, reject) => {
    let joined = false;
    const timer = setTimeout(() => reject(new Error(`subscribe timed out (${statuses.join(",")})`)), timeout);
    const check = () => {
      if (!joined) return;
      if (postgres) {
        const done = system.find((s) => s.extension === "postgres_changes");
        if (!done) return setTimeout(check, 10);
        if (done.status !== "ok") {
          clearTimeout(timer);
          return reject(new Error(String(done.message)));
        }
      }
      clearTimeout(timer);
      resolve({ channel, system, statuses });
    };
    channel.subscribe((status, error) => {
      statuses.push(status);
      if (status === "SUBSCRIBED") {
        joined = true;
        check();
      } else if (!joined && (status === "CHANNEL_ERROR" || status === "TIMED_OUT")) {
        clearTimeout(timer);
        reject(error ?? new Error(status));
      }
    });
  });
}

export type { RealtimeChannelOptions };
