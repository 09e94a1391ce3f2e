// A test double of the jobs process's connection-check worker (the real one
// lives in jobs/ and drives the MT5 bridge). It answers pending checks the way
// the contract in supabase/migrations/20261201100000_mt5_connection_checks.sql
// says the jobs process does — 'running', then 'ok' with a result or 'failed'
// with a code, the ciphertext wiped either way — after decrypting the password
// with the check's id as context, as the jobs process must. What it answers
// is decided per password by the test, so the app's code path is the real one.
import type pg from "pg";
import { loadCredentialKeyring, openCredential } from "../../jobs/credentials/credential-keys.ts";
import type { ConnectionCheckErrorCode, ConnectionCheckResult } from "../../app/domain/sync/connection-check.ts";

export type CheckAnswer =
  | { status: "ok"; result: Partial<ConnectionCheckResult> }
  | { status: "failed"; code: ConnectionCheckErrorCode }
  /** Leave the row pending: no terminal picked it up. */
  | { status: "ignore" };

export interface SeenCheck {
  id: string;
  userId: string;
  server: string;
  login: string;
  /** What the ciphertext decrypted to with the check id as context. */
  password: string;
}

export function resultFor(server: string, login: string, fields: Partial<ConnectionCheckResult> = {}): ConnectionCheckResult {
  return {
    login: Number(login),
    server,
    name: "Test Trader",
    currency: "USD",
    company: "IC Markets (SC) Ltd",
    marginMode: "hedging",
    leverage: 500,
    tradeMode: "demo",
    balance: "10000.00",
    equity: "10012.50",
    serverUtcOffsetMinutes: 120,
    detectedTimeZone: "NY+7",
    ...fields,
  };
}

/** Polls for pending checks (every 50 ms) until stopped; `delayMs` holds an answer back, like a slow login. */
export function startConnectionCheckDouble(
  pool: pg.Pool,
  answer: (check: SeenCheck) => CheckAnswer,
  { delayMs = () => 0 }: { delayMs?: (check: SeenCheck) => number } = {},
): { seen: SeenCheck[]; stop: () => Promise<void> } {
  const seen: SeenCheck[] = [];
  const handled = new Set<string>();
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        await answerPending();
      } catch (error) {
        if (running) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  async function answerPending(): Promise<void> {
    const { rows } = await pool.query<{
      id: string;
      user_id: string;
      mt5_server: string;
      mt5_login: string;
      password_ciphertext: Buffer;
      key_id: string;
    }>(
      "select id, user_id, mt5_server, mt5_login::text, password_ciphertext, key_id from public.mt5_connection_checks where status = 'pending' and password_ciphertext is not null",
    );
    for (const row of rows) {
      if (handled.has(row.id)) continue;
      const check: SeenCheck = {
        id: row.id,
        userId: row.user_id,
        server: row.mt5_server,
        login: row.mt5_login,
        password: openCredential(testKeyring, row.password_ciphertext, row.key_id, { context: row.id }),
      };
      const reply = answer(check);
      if (reply.status === "ignore") {
        handled.add(row.id);
        seen.push(check);
        continue;
      }
      handled.add(row.id);
      seen.push(check);
      await pool.query("update public.mt5_connection_checks set status = 'running', started_at = now() where id = $1", [row.id]);
      const delay = delayMs(check);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      if (reply.status === "ok") {
        await pool.query(
          `update public.mt5_connection_checks set status = 'ok', result = $2, finished_at = now(),
             password_ciphertext = null, key_id = null where id = $1`,
          [row.id, JSON.stringify(resultFor(row.mt5_server, row.mt5_login, reply.result))],
        );
      } else {
        await pool.query(
          `update public.mt5_connection_checks set status = 'failed', error_code = $2, error_message = 'test double',
             finished_at = now(), password_ciphertext = null, key_id = null where id = $1`,
          [row.id, reply.code],
        );
      }
    }
  }
  return {
    seen,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/**
 * A fixed X25519 key pair for tests (never a real one): the app gets the public
 * half as CREDENTIALS_PUBLIC_KEYS, this double opens with the private half, as
 * the jobs process would.
 */
export const TEST_CREDENTIAL_KEYS = {
  privateKeys: `test-key:${Buffer.alloc(32, 7).toString("base64")}`,
  publicKeys: `test-key:${loadCredentialKeyring(`test-key:${Buffer.alloc(32, 7).toString("base64")}`).current.publicKey.toString("base64")}`,
};
const testKeyring = loadCredentialKeyring(TEST_CREDENTIAL_KEYS.privateKeys);
