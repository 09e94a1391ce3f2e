// The demo `npm start` shows a newcomer: a confirmed Elite user whose MT5
// account is the simulator's demo account (mt5/scenarios/demo.json), which
// keeps trading every 20–40 s. Its history is read once before the app is
// ready (scripts/sync-demo-history.ts), so the first page already shows it;
// live syncs run while someone is signed in as the demo user.
// Idempotent: a second start finds everything in place.
import { createClient } from "@supabase/supabase-js";
import pg from "pg";
import { parseSealingKey, sealWith } from "../app/lib/credential-seal.server.ts";

export const DEMO_USER = { email: "demo@rawjournal.dev", password: "demo-password-2026", name: "Demo Trader" };
/** mt5/scenarios/demo.json: the account, its investor password, its server. */
export const DEMO_MT5 = { login: 50100100, password: "demo-investor", server: "RawBroker-Demo" };

export interface SeedDemoOptions {
  databaseUrl: string;
  supabaseUrl: string;
  serviceRoleKey: string;
  /** CREDENTIALS_PUBLIC_KEYS: the demo password is sealed as the app seals one. */
  credentialPublicKeys: string;
}

export async function seedDemo(options: SeedDemoOptions): Promise<{ created: boolean; accountId: string }> {
  const db = new pg.Client({ connectionString: options.databaseUrl });
  await db.connect();
  try {
    const existing = await db.query<{ id: string }>("select id from auth.users where email = $1", [DEMO_USER.email]);
    let userId = existing.rows[0]?.id;
    const created = !userId;
    if (!userId) {
      const admin = createClient(options.supabaseUrl, options.serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false } });
      const { data, error } = await admin.auth.admin.createUser({
        email: DEMO_USER.email,
        password: DEMO_USER.password,
        email_confirm: true,
        user_metadata: { full_name: DEMO_USER.name },
      });
      if (error || !data.user) throw new Error(`could not create the demo user: ${error?.message ?? "no user returned"}`);
      userId = data.user.id;
    }
    await db.query("update public.profiles set subscription_tier = 'elite' where id = $1 and subscription_tier <> 'elite'", [userId]);
    const account = await db.query<{ id: string }>("select id from public.accounts where user_id = $1 and mt5_server = $2 and mt5_login = $3", [
      userId,
      DEMO_MT5.server,
      DEMO_MT5.login,
    ]);
    let accountId = account.rows[0]?.id;
    if (!accountId) {
      const inserted = await db.query<{ id: string }>(
        `insert into public.accounts (user_id, name, kind, broker, mt5_server, mt5_login, currency, margin_mode, leverage,
           server_time_zone, server_time_zone_confirmed)
         values ($1, 'Demo MT5 (simulated)', 'mt5', 'RawBroker Ltd', $2, $3, 'USD', 'hedging', 100, 'NY+7', false)
         returning id`,
        [userId, DEMO_MT5.server, DEMO_MT5.login],
      );
      accountId = inserted.rows[0]!.id;
    }
    const sealing = parseSealingKey(options.credentialPublicKeys);
    const stored = await db.query<{ key_id: string }>("select key_id from public.account_credentials where account_id = $1", [accountId]);
    if (stored.rows[0]?.key_id !== sealing.keyId) {
      const secret = sealWith(sealing, DEMO_MT5.password, { context: accountId });
      await db.query(
        `insert into public.account_credentials (account_id, user_id, password_ciphertext, key_id) values ($1, $2, $3, $4)
         on conflict (account_id) do update set password_ciphertext = excluded.password_ciphertext, key_id = excluded.key_id`,
        [accountId, userId, Buffer.from(secret.ciphertext), secret.keyId],
      );
    }
    return { created, accountId };
  } finally {
    await db.end();
  }
}
