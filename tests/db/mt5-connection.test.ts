// Connecting, reconnecting and disconnecting MT5 accounts through the model
// functions the pages call, against a real database. The jobs process's side
// of the connection check is played by a test double (tests/support/
// connection-check-double.ts) that follows the migration's contract; the lead's
// end-to-end test runs the real jobs process and simulator.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../app/lib/app-error.ts";
import { loadCredentialKeyring, openCredential } from "../../jobs/credentials/credential-keys.ts";
import { withRlsTransaction } from "../../app/lib/db.server.ts";
import {
  connectMt5Account,
  createAccountFromCheck,
  disconnectMt5Account as disconnectMt5AccountInRequest,
  discardConnectionCheck,
  loadMt5SyncDetails as loadMt5SyncDetailsInRequest,
  reconnectMt5Account,
  requestConnectionCheck,
  waitForConnectionCheck,
} from "../../app/models/mt5-connection.server.ts";
import type { ConnectMt5Input } from "../../app/schemas/mt5-connection.ts";
import { startConnectionCheckDouble, TEST_CREDENTIAL_KEYS, type CheckAnswer, type SeenCheck } from "../support/connection-check-double.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createUser, userClaims } from "../support/fixtures.ts";
import { asRequestOf } from "./as-request.ts";

const disconnectMt5Account = asRequestOf(disconnectMt5AccountInRequest);
const loadMt5SyncDetails = asRequestOf(loadMt5SyncDetailsInRequest);

process.env.CREDENTIALS_PUBLIC_KEYS = TEST_CREDENTIAL_KEYS.publicKeys;
// What the jobs process opens stored passwords with (the app holds only the public half).
const jobsKeyring = loadCredentialKeyring(TEST_CREDENTIAL_KEYS.privateKeys);

const db = await createTestDatabase();
const FAST = { pollIntervalMs: 20, graceMs: 200 };

// What the double's broker says, by password.
const PASSWORDS: Record<string, CheckAnswer> = {
  "investor-ok": { status: "ok", result: {} },
  "investor-no-clock": { status: "ok", result: { detectedTimeZone: null, serverUtcOffsetMinutes: null } },
  "investor-netting-eur": {
    status: "ok",
    result: { currency: "EUR", marginMode: "netting", leverage: 30, company: "Netting Broker", detectedTimeZone: "Europe/Athens" },
  },
  "wrong-password": { status: "failed", code: "auth_failed" },
  "master-password": { status: "failed", code: "trade_allowed" },
  "nobody-answers": { status: "ignore" },
};

let double: ReturnType<typeof startConnectionCheckDouble>;
beforeAll(() => {
  double = startConnectionCheckDouble(db.pool, (check: SeenCheck) => PASSWORDS[check.password] ?? { status: "failed", code: "auth_failed" });
});
afterAll(async () => {
  await double.stop();
});

const input = (fields: Partial<ConnectMt5Input> = {}): ConnectMt5Input => ({
  server: "ICMarketsSC-Demo",
  login: String(51_000_000 + Math.floor(Math.random() * 1_000_000)),
  investorPassword: "investor-ok",
  name: "",
  serverTimeZone: "auto",
  ...fields,
});

async function rowsOf(userId: string) {
  const { rows } = await db.pool.query(
    `select (select count(*) from public.accounts where user_id = $1)::int as accounts,
            (select count(*) from public.account_credentials where user_id = $1)::int as credentials,
            (select count(*) from public.mt5_connection_checks where user_id = $1)::int as checks`,
    [userId],
  );
  return rows[0] as { accounts: number; credentials: number; checks: number };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function storedPassword(accountId: string): Promise<string> {
  const { rows } = await db.pool.query("select password_ciphertext, key_id from public.account_credentials where account_id = $1", [accountId]);
  return openCredential(jobsKeyring, rows[0].password_ciphertext, rows[0].key_id, { context: accountId });
}

describe("connect", () => {
  it("creates the account from the broker's answer and stores the password under the account's own id", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    const typed = input();
    const outcome = await connectMt5Account(db.appPool, userClaims(user), typed, FAST);
    expect(outcome.status).toBe("connected");
    const accountId = (outcome as { accountId: string }).accountId;

    const { rows } = await db.pool.query(
      `select name, kind, broker, mt5_server, mt5_login::text, currency, margin_mode, leverage, server_time_zone,
              server_time_zone_confirmed, balance::text, equity::text, sync_enabled, sync_status
         from public.accounts where id = $1`,
      [accountId],
    );
    expect(rows[0]).toEqual({
      name: `IC Markets (SC) Ltd ${typed.login}`,
      kind: "mt5",
      broker: "IC Markets (SC) Ltd",
      mt5_server: "ICMarketsSC-Demo",
      mt5_login: typed.login,
      currency: "USD",
      margin_mode: "hedging",
      leverage: 500,
      server_time_zone: "NY+7",
      server_time_zone_confirmed: true,
      balance: "10000.00",
      equity: "10012.50",
      sync_enabled: true,
      sync_status: "pending",
    });
    // The jobs side got the typed password under the check's context; the account's copy decrypts only under its id.
    const check = double.seen.find((c) => c.userId === user)!;
    expect(check.password).toBe("investor-ok");
    expect(await storedPassword(accountId)).toBe("investor-ok");
    const { rows: creds } = await db.pool.query("select password_ciphertext, key_id from public.account_credentials where account_id = $1", [
      accountId,
    ]);
    expect(() => openCredential(jobsKeyring, creds[0].password_ciphertext, creds[0].key_id, { context: check.id })).toThrow();
    expect(creds[0].password_ciphertext.includes(Buffer.from("investor-ok"))).toBe(false);
    expect(await rowsOf(user)).toEqual({ accounts: 1, credentials: 1, checks: 0 });
  });

  it("uses the user's choices over the broker's: name, time zone; and other margin modes and currencies", async () => {
    const user = await createUser(db.pool, { tier: "elite" });
    const chosen = await connectMt5Account(
      db.appPool,
      userClaims(user),
      input({ name: "Swing", serverTimeZone: "Asia/Tokyo", investorPassword: "investor-netting-eur" }),
      FAST,
    );
    const detected = await connectMt5Account(db.appPool, userClaims(user), input({ investorPassword: "investor-netting-eur" }), FAST);
    const unknown = await connectMt5Account(db.appPool, userClaims(user), input({ investorPassword: "investor-no-clock" }), FAST);
    const read = async (outcome: Awaited<ReturnType<typeof connectMt5Account>>) => {
      const { rows } = await db.pool.query(
        "select name, currency, margin_mode, leverage, server_time_zone, server_time_zone_confirmed from public.accounts where id = $1",
        [(outcome as { accountId: string }).accountId],
      );
      return rows[0];
    };
    expect(await read(chosen)).toEqual({
      name: "Swing",
      currency: "EUR",
      margin_mode: "netting",
      leverage: 30,
      server_time_zone: "Asia/Tokyo",
      server_time_zone_confirmed: true,
    });
    expect(await read(detected)).toMatchObject({ server_time_zone: "Europe/Athens", server_time_zone_confirmed: true });
    // No live tick to measure: the usual broker clock, marked unconfirmed.
    expect(await read(unknown)).toMatchObject({ server_time_zone: "NY+7", server_time_zone_confirmed: false });
  });

  it("refuses a wrong password or the master password with its message, and saves nothing", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    const wrong = await connectMt5Account(db.appPool, userClaims(user), input({ investorPassword: "wrong-password" }), FAST);
    expect(wrong).toMatchObject({
      status: "refused",
      refusal: { field: "investorPassword", message: expect.stringMatching(/^MT5 refused the login/) },
    });
    const master = await connectMt5Account(db.appPool, userClaims(user), input({ investorPassword: "master-password" }), FAST);
    expect(master).toMatchObject({ status: "refused", refusal: { message: expect.stringMatching(/master \(trading\) password/) } });
    expect(JSON.stringify([wrong, master])).not.toMatch(/wrong-password|master-password/);
    expect(await rowsOf(user)).toEqual({ accounts: 0, credentials: 0, checks: 0 });
  });

  it("gives up a little after the check expires when no terminal answers, and removes the check", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    const claims = userClaims(user);
    const checkId = await requestConnectionCheck(db.appPool, claims, { server: "Slow-Server", login: "1", password: "nobody-answers" });
    await db.pool.query("update public.mt5_connection_checks set expires_at = now() + interval '300 milliseconds' where id = $1", [checkId]);
    const started = Date.now();
    expect(await waitForConnectionCheck(db.appPool, claims, checkId, FAST)).toEqual({ status: "failed", code: "no_answer" });
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(400);
    expect(waited).toBeLessThan(3_000);
    await discardConnectionCheck(db.appPool, claims, checkId);
    expect((await rowsOf(user)).checks).toBe(0);

    // Through the whole connect: the row the app wrote is gone afterwards.
    const typed = input({ investorPassword: "nobody-answers", server: "Slow-Server" });
    const pending = connectMt5Account(db.appPool, claims, typed, FAST);
    let id: string | undefined;
    while (!id) {
      const { rows } = await db.pool.query("select id from public.mt5_connection_checks where user_id = $1 and mt5_login = $2", [user, typed.login]);
      id = rows[0]?.id;
      await new Promise((r) => setTimeout(r, 20));
    }
    await db.pool.query("update public.mt5_connection_checks set expires_at = now() where id = $1", [id]);
    expect(await pending).toMatchObject({ status: "refused", refusal: { message: expect.stringMatching(/No sync terminal was free/) } });
    expect(await rowsOf(user)).toEqual({ accounts: 0, credentials: 0, checks: 0 });
  });

  it("says plainly when the server has no encryption key, and asks no broker", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    process.env.CREDENTIALS_PUBLIC_KEYS = "";
    try {
      const error = await refusal(connectMt5Account(db.appPool, userClaims(user), input(), FAST));
      expect(error).toMatchObject({ code: "unavailable", message: expect.stringMatching(/isn't set up on this server/) });
    } finally {
      process.env.CREDENTIALS_PUBLIC_KEYS = TEST_CREDENTIAL_KEYS.publicKeys;
    }
    expect(await rowsOf(user)).toEqual({ accounts: 0, credentials: 0, checks: 0 });
  });

  it("stops waiting when the request is aborted", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    const checkId = await requestConnectionCheck(db.appPool, userClaims(user), { server: "S", login: "2", password: "nobody-answers" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect(await waitForConnectionCheck(db.appPool, userClaims(user), checkId, { ...FAST, signal: controller.signal })).toEqual({
      status: "failed",
      code: "no_answer",
    });
  });
});

describe("plan limits and duplicates", () => {
  it("refuses the free plan with an upgrade prompt before any broker is asked", async () => {
    const user = await createUser(db.pool);
    const error = await refusal(connectMt5Account(db.appPool, userClaims(user), input(), FAST));
    expect(error).toMatchObject({
      code: "forbidden",
      hint: "upgrade",
      message: "The Free plan doesn't include MT5 sync. Upgrade to connect an MT5 account.",
    });
    expect(await rowsOf(user)).toEqual({ accounts: 0, credentials: 0, checks: 0 });
  });

  it("allows Pro one MT5 account and Elite five", async () => {
    const pro = await createUser(db.pool, { tier: "pro" });
    expect((await connectMt5Account(db.appPool, userClaims(pro), input(), FAST)).status).toBe("connected");
    const second = await refusal(connectMt5Account(db.appPool, userClaims(pro), input(), FAST));
    expect(second).toMatchObject({ hint: "upgrade", message: "The Pro plan allows 1 MT5 account, and you have 1. Upgrade for more." });

    const elite = await createUser(db.pool, { tier: "elite" });
    for (let i = 0; i < 4; i++) await createAccount(db.pool, elite, { kind: "mt5", mt5_server: "Other", mt5_login: 100 + i });
    expect((await connectMt5Account(db.appPool, userClaims(elite), input(), FAST)).status).toBe("connected");
    expect((await refusal(connectMt5Account(db.appPool, userClaims(elite), input(), FAST))).message).toBe(
      "The Elite plan allows 5 MT5 accounts, and you have 5. Upgrade for more.",
    );
    expect((await rowsOf(elite)).checks).toBe(0);
  });

  it("turns the database's own limit (RJ004, a race past the first check) into the same prompt, and drops the check", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    const claims = userClaims(user);
    const typed = input();
    const checkId = await requestConnectionCheck(db.appPool, claims, { server: typed.server, login: typed.login, password: "investor-ok" });
    expect((await waitForConnectionCheck(db.appPool, claims, checkId, FAST)).status).toBe("ok");
    await createAccount(db.pool, user, { kind: "mt5", mt5_server: "Raced-In", mt5_login: 9 });
    const error = await refusal(createAccountFromCheck(db.appPool, claims, checkId, typed));
    expect(error).toMatchObject({ hint: "upgrade", message: "The Pro plan allows 1 MT5 account, and you have 1. Upgrade for more." });
    expect(await rowsOf(user)).toEqual({ accounts: 1, credentials: 0, checks: 1 });
  });

  it("refuses a server and login already connected, naming the account", async () => {
    const user = await createUser(db.pool, { tier: "elite" });
    const typed = input();
    const first = await connectMt5Account(db.appPool, userClaims(user), { ...typed, name: "Main" }, FAST);
    const error = await refusal(connectMt5Account(db.appPool, userClaims(user), typed, FAST));
    expect(error).toMatchObject({
      code: "conflict",
      message: `Login ${typed.login} on ICMarketsSC-Demo is already connected as “Main”.`,
      hint: `account:${(first as { accountId: string }).accountId}`,
    });
    expect(await rowsOf(user)).toEqual({ accounts: 1, credentials: 1, checks: 0 });
  });

  it("accepts a verified check only once, and only for its own server and login", async () => {
    const user = await createUser(db.pool, { tier: "elite" });
    const claims = userClaims(user);
    const typed = input();
    const checkId = await requestConnectionCheck(db.appPool, claims, { server: typed.server, login: typed.login, password: "investor-ok" });
    await waitForConnectionCheck(db.appPool, claims, checkId, FAST);
    expect((await refusal(createAccountFromCheck(db.appPool, claims, checkId, { ...typed, login: "7" }))).code).toBe("conflict");
    expect(await createAccountFromCheck(db.appPool, claims, checkId, typed)).toMatch(/^[0-9a-f-]{36}$/);
    expect((await refusal(createAccountFromCheck(db.appPool, claims, checkId, typed))).code).toBe("conflict");
    // Another user cannot use it either.
    const other = await createUser(db.pool, { tier: "elite" });
    const otherCheck = await requestConnectionCheck(db.appPool, userClaims(other), { server: typed.server, login: "8", password: "investor-ok" });
    await waitForConnectionCheck(db.appPool, userClaims(other), otherCheck, FAST);
    expect((await refusal(createAccountFromCheck(db.appPool, claims, otherCheck, { ...typed, login: "8" }))).code).toBe("conflict");
  });
});

async function pausedAccount(tier: "pro" | "elite" = "pro") {
  const user = await createUser(db.pool, { tier });
  const outcome = await connectMt5Account(db.appPool, userClaims(user), input(), FAST);
  const accountId = (outcome as { accountId: string }).accountId;
  // What the jobs process writes after three refused logins.
  await db.pool.query(
    `insert into public.account_sync_state (account_id, user_id, consecutive_login_failures, paused_at, paused_reason)
     values ($1, $2, 3, now(), 'auth_failed x3')`,
    [accountId, user],
  );
  await db.pool.query(
    "update public.accounts set sync_status = 'paused', sync_error = 'Reconnect with the current investor password.' where id = $1",
    [accountId],
  );
  return { user, accountId };
}

async function syncState(accountId: string) {
  const { rows } = await db.pool.query(
    `select a.sync_enabled, a.sync_status, a.sync_error, s.paused_at, s.paused_reason, s.consecutive_login_failures
       from public.accounts a left join public.account_sync_state s on s.account_id = a.id where a.id = $1`,
    [accountId],
  );
  return rows[0];
}

describe("reconnect", () => {
  it("verifies the new password, stores it and lifts the pause", async () => {
    const { user, accountId } = await pausedAccount();
    PASSWORDS["new-investor"] = { status: "ok", result: {} };
    expect(await reconnectMt5Account(db.appPool, userClaims(user), accountId, "new-investor", FAST)).toEqual({ status: "reconnected" });
    expect(await storedPassword(accountId)).toBe("new-investor");
    expect(await syncState(accountId)).toEqual({
      sync_enabled: true,
      sync_status: "pending",
      sync_error: null,
      paused_at: null,
      paused_reason: null,
      consecutive_login_failures: 0,
    });
    expect(double.seen.filter((c) => c.userId === user).map((c) => c.password)).toEqual(["investor-ok", "new-investor"]);
    expect((await rowsOf(user)).checks).toBe(0);
  });

  it("keeps the old password and the pause when the broker refuses the new one", async () => {
    const { user, accountId } = await pausedAccount();
    const outcome = await reconnectMt5Account(db.appPool, userClaims(user), accountId, "wrong-password", FAST);
    expect(outcome).toMatchObject({ status: "refused", refusal: { field: "investorPassword" } });
    expect(await storedPassword(accountId)).toBe("investor-ok");
    expect(await syncState(accountId)).toMatchObject({ sync_status: "paused", consecutive_login_failures: 3 });
    expect((await rowsOf(user)).checks).toBe(0);
  });

  it("is not possible without a verified check of the account's own login, nor on someone else's account", async () => {
    const { user, accountId } = await pausedAccount();
    const claims = userClaims(user);
    const resume = (checkId: string, account = accountId, as = claims) =>
      withRlsTransaction(db.appPool, as, (c) => c.query("select public.resume_mt5_account_after_check($1, $2)", [account, checkId]));
    await expect(resume(randomUUID())).rejects.toMatchObject({ code: "RJ006" });
    // A verified check, but for another login.
    const otherLogin = await requestConnectionCheck(db.appPool, claims, { server: "ICMarketsSC-Demo", login: "42", password: "investor-ok" });
    await waitForConnectionCheck(db.appPool, claims, otherLogin, FAST);
    await expect(resume(otherLogin)).rejects.toMatchObject({ code: "RJ006" });
    // A refused check.
    const { rows } = await db.pool.query("select mt5_login::text from public.accounts where id = $1", [accountId]);
    const refused = await requestConnectionCheck(db.appPool, claims, {
      server: "ICMarketsSC-Demo",
      login: rows[0].mt5_login,
      password: "wrong-password",
    });
    await waitForConnectionCheck(db.appPool, claims, refused, FAST);
    await expect(resume(refused)).rejects.toMatchObject({ code: "RJ006" });
    // Someone else's account, with their own verified check.
    const mallory = await createUser(db.pool, { tier: "pro" });
    const theirs = await requestConnectionCheck(db.appPool, userClaims(mallory), {
      server: "ICMarketsSC-Demo",
      login: rows[0].mt5_login,
      password: "investor-ok",
    });
    await waitForConnectionCheck(db.appPool, userClaims(mallory), theirs, FAST);
    await expect(resume(theirs, accountId, userClaims(mallory))).rejects.toMatchObject({ code: "42501" });
    // Clients still cannot write the jobs' table directly.
    await expect(
      withRlsTransaction(db.appPool, claims, (c) =>
        c.query("update public.account_sync_state set paused_at = null where account_id = $1", [accountId]),
      ),
    ).rejects.toMatchObject({ code: "42501" });
    expect(await syncState(accountId)).toMatchObject({ sync_status: "paused", consecutive_login_failures: 3 });
  });
});

describe("disconnect", () => {
  it("stops sync, deletes the password and the live positions, and keeps the account", async () => {
    const { user, accountId } = await pausedAccount();
    await db.pool.query(
      `insert into public.open_positions (user_id, account_id, position_id, symbol, direction, opened_at, volume, entry_price)
       values ($1, $2, '1', 'EURUSD', 'buy', now(), 1, 1.1)`,
      [user, accountId],
    );
    await disconnectMt5Account(db.appPool, userClaims(user), accountId);
    expect(await rowsOf(user)).toEqual({ accounts: 1, credentials: 0, checks: 0 });
    const { rows } = await db.pool.query("select count(*)::int as n from public.open_positions where account_id = $1", [accountId]);
    expect(rows[0].n).toBe(0);
    expect(await syncState(accountId)).toMatchObject({ sync_enabled: false, sync_status: "idle" });
    expect(await loadMt5SyncDetails(db.appPool, userClaims(user), accountId)).toMatchObject({ syncEnabled: false, hasCredentials: false });

    // Reconnecting turns it back on.
    expect((await reconnectMt5Account(db.appPool, userClaims(user), accountId, "investor-ok", FAST)).status).toBe("reconnected");
    expect(await loadMt5SyncDetails(db.appPool, userClaims(user), accountId)).toMatchObject({
      syncEnabled: true,
      hasCredentials: true,
      syncStatus: "pending",
      pausedAt: null,
    });
  });

  it("refuses manual accounts and other users' accounts", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    const manual = await createAccount(db.pool, user);
    expect((await refusal(disconnectMt5Account(db.appPool, userClaims(user), manual))).code).toBe("bad_request");
    const { accountId } = await pausedAccount();
    expect((await refusal(disconnectMt5Account(db.appPool, userClaims(user), accountId))).code).toBe("not_found");
    await expect(
      withRlsTransaction(db.appPool, userClaims(user), (c) => c.query("select public.disconnect_mt5_account($1)", [accountId])),
    ).rejects.toMatchObject({ code: "42501" });
    await expect(
      withRlsTransaction(db.appPool, userClaims(user), (c) => c.query("select public.mt5_account_has_credentials($1) as has", [accountId])).then(
        (r) => r.rows[0].has,
      ),
    ).resolves.toBe(false);
  });
});
