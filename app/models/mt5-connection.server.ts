// Connecting, reconnecting and disconnecting an MT5 account, as the signed-in
// user (RLS decides). The app never talks to a terminal: it writes a
// connection-check request (the password encrypted under the check's id), the
// jobs process logs in and answers on the row, and the app polls the row in
// short transactions — never holding a connection while it waits
// (docs/decisions/002). So connect and reconnect open their own transactions
// from the pool; the account page's reads and the disconnect use the
// request's (requireUserDb). Only a verified login creates an account or resumes
// one; a refused one leaves nothing behind.
//
// The password lives in this process only for the length of the request: it
// is sealed twice to the jobs process's public key (under the check id, then
// under the account id for storage) and never logged, thrown or returned. This
// process holds no key that opens either (docs/decisions/021).
import type { Mt5SyncDetails } from "./mt5-connection.types.ts";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { canAddAccount, limitErrorFromSqlState, PLANS } from "~/domain/entitlements.ts";
import type { ConnectionCheckErrorCode, ConnectionCheckResult } from "~/domain/sync/connection-check.ts";
import { connectionRefusal, type ConnectionRefusal } from "~/domain/sync/connection-check-messages.ts";
import { AppError } from "~/lib/app-error.ts";
import { CredentialCryptoError } from "~/lib/credential-crypto.server.ts";
import { sealSecret } from "~/lib/credential-seal.server.ts";
import { withRlsTransaction, type DatabaseClaims, type RequestDb } from "~/lib/db.server.ts";
import { accountLimitMessage, loadAccountLimits } from "~/models/accounts.server.ts";
import { UPGRADE_HINT } from "~/schemas/account.ts";
import { DETECT_TIME_ZONE, type ConnectMt5Input } from "~/schemas/mt5-connection.ts";
import { abortableSleep } from "~/lib/abortable-sleep.ts";

type Claims = DatabaseClaims & { sub: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How the wait for the jobs process's answer is paced; tests shorten it. */
export interface WaitOptions {
  /** Between two reads of the check row. */
  pollIntervalMs?: number;
  /** How long past the row's expires_at the app still waits for an answer. */
  graceMs?: number;
  /** The request's signal: a browser that gave up stops the polling. */
  signal?: AbortSignal;
}

export type CheckOutcome = { status: "ok"; result: ConnectionCheckResult } | { status: "failed"; code: ConnectionCheckErrorCode | "no_answer" };

export type ConnectOutcome = { status: "connected"; accountId: string } | { status: "refused"; refusal: ConnectionRefusal };

/** Writes the check request (the password encrypted under the check's own id) and returns its id. */
export async function requestConnectionCheck(
  pool: pg.Pool,
  claims: Claims,
  { server, login, password }: { server: string; login: string; password: string },
): Promise<string> {
  const checkId = randomUUID();
  let encrypted;
  try {
    encrypted = sealSecret(password, { context: checkId });
  } catch (error) {
    // A deployment without CREDENTIALS_PUBLIC_KEYS (or with a broken one) cannot take passwords.
    if (error instanceof CredentialCryptoError) {
      throw new AppError(
        "unavailable",
        "Connecting MT5 accounts isn't set up on this server yet. Nothing was saved; please tell the administrator.",
        {
          cause: error,
        },
      );
    }
    throw error;
  }
  const { ciphertext, keyId } = encrypted;
  try {
    await withRlsTransaction(pool, claims, (db) =>
      db.query("select public.request_mt5_connection_check($1, $2, $3, $4, $5)", [checkId, server, login, ciphertext, keyId]),
    );
  } catch (error) {
    if ((error as { code?: string }).code === "RJ005") {
      throw new AppError("rate_limited", "Too many connection attempts in a minute. Wait a minute, then try again.", { cause: error });
    }
    throw error;
  }
  return checkId;
}

interface CheckRow {
  status: "pending" | "running" | "ok" | "failed";
  error_code: string | null;
  result: ConnectionCheckResult | null;
  expires_at: Date;
}

/**
 * Polls the check until the jobs process answers or the row has expired (plus
 * `graceMs`): each read is its own short transaction.
 */
export async function waitForConnectionCheck(
  pool: pg.Pool,
  claims: Claims,
  checkId: string,
  { pollIntervalMs = 250, graceMs = 5_000, signal }: WaitOptions = {},
): Promise<CheckOutcome> {
  for (;;) {
    const row = await withRlsTransaction(pool, claims, async (db) => {
      const { rows } = await db.query<CheckRow>("select status, error_code, result, expires_at from public.mt5_connection_checks where id = $1", [
        checkId,
      ]);
      return rows[0];
    });
    if (!row) return { status: "failed", code: "internal" };
    if (row.status === "ok" && row.result) return { status: "ok", result: row.result };
    if (row.status === "failed") return { status: "failed", code: (row.error_code ?? "internal") as ConnectionCheckErrorCode };
    if (signal?.aborted || Date.now() > row.expires_at.getTime() + graceMs) return { status: "failed", code: "no_answer" };
    await abortableSleep(pollIntervalMs, signal);
  }
}

/** Removes a check that will not be used (refused, timed out, or superseded). */
export async function discardConnectionCheck(pool: pg.Pool, claims: Claims, checkId: string): Promise<void> {
  await withRlsTransaction(pool, claims, (db) => db.query("delete from public.mt5_connection_checks where id = $1", [checkId]));
}

function upgradeRefusal(limits: Awaited<ReturnType<typeof loadAccountLimits>>, cause?: unknown): AppError {
  return new AppError("forbidden", accountLimitMessage(limits, "mt5"), { cause, hint: UPGRADE_HINT });
}

/** The plan's MT5 allowance and the duplicate check, before any broker is asked. */
async function assertCanConnect(pool: pg.Pool, claims: Claims, input: ConnectMt5Input): Promise<void> {
  const { limits, existing } = await withRlsTransaction(pool, claims, async (db) => {
    const { rows } = await db.query<{ id: string; name: string }>(
      "select id, name from public.accounts where user_id = $1 and mt5_server = $2 and mt5_login = $3",
      [claims.sub, input.server, input.login],
    );
    return { limits: await loadAccountLimits(db, claims), existing: rows[0] };
  });
  const plan = { ...PLANS[limits.tier], maxAccounts: limits.maxAccounts, maxMt5Accounts: limits.maxMt5Accounts };
  if (!canAddAccount(plan, limits, "mt5")) throw upgradeRefusal(limits);
  if (existing) {
    throw new AppError("conflict", `Login ${input.login} on ${input.server} is already connected as “${existing.name}”.`, {
      hint: `account:${existing.id}`,
    });
  }
}

async function storeCredentials(db: RequestDb, accountId: string, password: string): Promise<void> {
  const { ciphertext, keyId } = sealSecret(password, { context: accountId });
  await db.query("select public.set_account_credentials($1, $2, $3)", [accountId, ciphertext, keyId]);
}

function accountName(input: ConnectMt5Input, result: ConnectionCheckResult): string {
  if (input.name) return input.name;
  const company = result.company.trim() || input.server;
  return `${company} ${input.login}`.slice(0, 80);
}

/**
 * Creates the MT5 account from a verified check, in one transaction: uses the
 * check up, inserts the account with what the broker reported, and stores the
 * password encrypted under the new account's id (chosen here, so it can be the
 * encryption context before the row exists).
 */
export async function createAccountFromCheck(pool: pg.Pool, claims: Claims, checkId: string, input: ConnectMt5Input): Promise<string> {
  const accountId = randomUUID();
  const limits = await withRlsTransaction(pool, claims, (db) => loadAccountLimits(db, claims));
  try {
    return await withRlsTransaction(pool, claims, async (db) => {
      const { rows } = await db.query<{ mt5_server: string; mt5_login: string; result: ConnectionCheckResult }>(
        `delete from public.mt5_connection_checks where id = $1 and status = 'ok'
          returning mt5_server, mt5_login::text, result`,
        [checkId],
      );
      const check = rows[0];
      if (!check || check.mt5_server !== input.server || check.mt5_login !== input.login) {
        throw new AppError("conflict", "That login check is no longer valid. Submit the form again.");
      }
      const result = check.result;
      const detected = result.detectedTimeZone;
      const chosen = input.serverTimeZone === DETECT_TIME_ZONE ? detected : input.serverTimeZone;
      await db.query(
        `insert into public.accounts (id, user_id, name, kind, broker, mt5_server, mt5_login, currency, margin_mode, leverage,
           server_time_zone, server_time_zone_confirmed, balance, equity, sync_enabled, sync_status)
         values ($1, $2, $3, 'mt5', $4, $5, $6, $7, $8, $9, coalesce($10, 'NY+7'), $11, $12, $13, true, 'pending')`,
        [
          accountId,
          claims.sub,
          accountName(input, result),
          result.company.trim() ? result.company.trim().slice(0, 120) : null,
          input.server,
          input.login,
          result.currency,
          result.marginMode,
          result.leverage && result.leverage > 0 ? result.leverage : null,
          chosen,
          chosen !== null,
          result.balance,
          result.equity,
        ],
      );
      await storeCredentials(db, accountId, input.investorPassword);
      return accountId;
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (limitErrorFromSqlState(code)) throw upgradeRefusal(limits, error);
    if (code === "23505") throw new AppError("conflict", `Login ${input.login} on ${input.server} is already connected.`, { cause: error });
    if (code === "23514") {
      throw new AppError(
        "bad_request",
        "The broker reported details we can't store (currency or time zone). Choose the server time zone yourself and try again.",
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * The whole connect: plan and duplicate checks, the broker check through the
 * jobs process, then the account. A refused check is discarded and reported
 * with the message for its code.
 */
export async function connectMt5Account(pool: pg.Pool, claims: Claims, input: ConnectMt5Input, wait: WaitOptions = {}): Promise<ConnectOutcome> {
  await assertCanConnect(pool, claims, input);
  const checkId = await requestConnectionCheck(pool, claims, { server: input.server, login: input.login, password: input.investorPassword });
  const outcome = await waitForConnectionCheck(pool, claims, checkId, wait);
  if (outcome.status === "failed") {
    await discardConnectionCheck(pool, claims, checkId);
    return { status: "refused", refusal: connectionRefusal(outcome.code, input) };
  }
  try {
    return { status: "connected", accountId: await createAccountFromCheck(pool, claims, checkId, input) };
  } catch (error) {
    await discardConnectionCheck(pool, claims, checkId).catch(() => {});
    throw error;
  }
}

interface Mt5Account {
  id: string;
  server: string;
  login: string;
}

async function loadMt5Account(db: RequestDb, accountId: string): Promise<Mt5Account> {
  const notFound = new AppError("not_found", "That MT5 account doesn't exist, or it isn't yours.");
  if (!UUID.test(accountId)) throw notFound;
  const { rows } = await db.query<{ id: string; kind: string; mt5_server: string | null; mt5_login: string | null }>(
    "select id, kind, mt5_server, mt5_login::text from public.accounts where id = $1",
    [accountId],
  );
  const row = rows[0];
  if (!row) throw notFound;
  if (row.kind !== "mt5" || !row.mt5_server || !row.mt5_login) {
    throw new AppError("bad_request", "Only MT5 accounts connect to a broker.");
  }
  return { id: row.id, server: row.mt5_server, login: row.mt5_login };
}

/**
 * A new investor password for an existing MT5 account: verified through a
 * check first; on success the password is replaced and a pause (after failed
 * logins) or a disconnect is lifted, in one transaction.
 */
export async function reconnectMt5Account(
  pool: pg.Pool,
  claims: Claims,
  accountId: string,
  password: string,
  wait: WaitOptions = {},
): Promise<{ status: "reconnected" } | { status: "refused"; refusal: ConnectionRefusal }> {
  const account = await withRlsTransaction(pool, claims, (db) => loadMt5Account(db, accountId));
  const checkId = await requestConnectionCheck(pool, claims, { server: account.server, login: account.login, password });
  const outcome = await waitForConnectionCheck(pool, claims, checkId, wait);
  if (outcome.status === "failed") {
    await discardConnectionCheck(pool, claims, checkId);
    return { status: "refused", refusal: connectionRefusal(outcome.code, account) };
  }
  try {
    await withRlsTransaction(pool, claims, async (db) => {
      await storeCredentials(db, account.id, password);
      await db.query("select public.resume_mt5_account_after_check($1, $2)", [account.id, checkId]);
    });
  } catch (error) {
    await discardConnectionCheck(pool, claims, checkId).catch(() => {});
    if ((error as { code?: string }).code === "RJ006") {
      throw new AppError("conflict", "That login check is no longer valid. Submit the form again.", { cause: error });
    }
    throw error;
  }
  return { status: "reconnected" };
}

/** Stops sync for good and deletes the stored password; the account's history stays. */
export async function disconnectMt5Account(db: RequestDb, accountId: string): Promise<void> {
  const account = await loadMt5Account(db, accountId);
  await db.query("select public.disconnect_mt5_account($1)", [account.id]);
}

/** What the account page shows about an MT5 account's connection. */
export async function loadMt5SyncDetails(db: RequestDb, accountId: string): Promise<Mt5SyncDetails | null> {
  if (!UUID.test(accountId)) return null;
  const { rows } = await db.query<{
    sync_enabled: boolean;
    sync_status: string;
    sync_error: string | null;
    last_synced_at: Date | null;
    paused_at: Date | null;
    paused_reason: string | null;
    has_credentials: boolean;
    mt5_server: string;
    mt5_login: string;
    time_zone: string | null;
  }>(
    `select a.sync_enabled, a.sync_status, a.sync_error, a.last_synced_at, s.paused_at, s.paused_reason,
            public.mt5_account_has_credentials(a.id) as has_credentials, a.mt5_server, a.mt5_login::text,
            (select time_zone from public.user_settings where user_id = a.user_id) as time_zone
       from public.accounts a left join public.account_sync_state s on s.account_id = a.id
      where a.id = $1 and a.kind = 'mt5'`,
    [accountId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    syncEnabled: row.sync_enabled,
    syncStatus: row.sync_status,
    syncError: row.sync_error,
    lastSyncedAt: row.last_synced_at?.toISOString() ?? null,
    pausedAt: row.paused_at?.toISOString() ?? null,
    pausedReason: row.paused_reason,
    hasCredentials: row.has_credentials,
    server: row.mt5_server,
    login: row.mt5_login,
    timeZone: row.time_zone ?? "UTC",
  };
}

export type { Mt5SyncDetails };
