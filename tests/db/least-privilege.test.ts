// Issue 19 item 10 (docs/decisions/021): the web process's login can become
// anon and authenticated only, reaches other users' rows through nothing,
// and still does its few jobs outside a user's transaction through functions
// granted to it by name; the jobs process re-seals stored passwords; and a
// disconnect leaves no ciphertext in the tables' pages once the jobs have
// rewritten them.
import { randomBytes, randomUUID } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { withRlsTransaction } from "../../app/lib/db.server.ts";
import { encryptWith, parseEncryptionKeys } from "../../app/lib/credential-crypto.server.ts";
import { parseSealingKey, sealWith } from "../../app/lib/credential-seal.server.ts";
import { generateCredentialKeyPair, loadCredentialKeyring, openCredential } from "../../jobs/credentials/credential-keys.ts";
import { resealStoredCredentials } from "../../jobs/credentials/reseal-credentials.ts";
import { wipeDeadCredentials } from "../../jobs/credentials/wipe-dead-credentials.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createTrade, createUser, userClaims } from "../support/fixtures.ts";

const db = await createTestDatabase();

async function sqlState(run: () => Promise<unknown>): Promise<string | null> {
  try {
    await run();
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

async function asWebLogin<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.webPool.connect();
  try {
    return await work(client);
  } finally {
    client.release(true);
  }
}

describe("the web process's login", () => {
  it("is rawjournal_web: no superuser, no BYPASSRLS, a member of anon and authenticated and of nothing that bypasses RLS", async () => {
    const { rows } = await db.webPool.query<Record<string, unknown>>(
      `select current_user as login, r.rolsuper, r.rolbypassrls, r.rolinherit,
              pg_has_role(current_user, 'anon', 'member') as anon,
              pg_has_role(current_user, 'authenticated', 'member') as authenticated,
              pg_has_role(current_user, 'service_role', 'member') as service_role,
              pg_has_role(current_user, 'authenticator', 'member') as authenticator,
              pg_has_role(current_user, 'postgres', 'member') as owner,
              (select count(*)::int from pg_roles b where b.rolbypassrls and pg_has_role(current_user, b.oid, 'member')) as bypass_roles
         from pg_roles r where r.rolname = current_user`,
    );
    expect(rows[0]).toEqual({
      login: "rawjournal_web",
      rolsuper: false,
      rolbypassrls: false,
      rolinherit: false,
      anon: true,
      authenticated: true,
      service_role: false,
      authenticator: false,
      owner: false,
      bypass_roles: 0,
    });
  });

  it("cannot become service_role, the owner or Supabase's login, however it asks", async () => {
    for (const role of ["service_role", "postgres", "authenticator", "supabase_admin", "supabase_auth_admin"]) {
      expect(await asWebLogin((c) => sqlState(() => c.query(`set role ${role}`))), role).toBe("42501");
      const viaSetConfig = await asWebLogin(async (c) => {
        await c.query("begin");
        const state = await sqlState(() => c.query("select set_config('role', $1, true)", [role]));
        await c.query("rollback");
        return state;
      });
      expect(viaSetConfig, role).toBe("42501");
    }
    // The app's own helper asked for service_role on this login is refused by the database.
    expect(await sqlState(() => withRlsTransaction(db.webPool, { role: "service_role" }, (c) => c.query("select 1")))).toBe("42501");
    // Control: the same login becomes authenticated (so the probes above can pass only by being refused).
    expect(await withRlsTransaction(db.webPool, { role: "authenticated" }, async (c) => (await c.query("select current_user as u")).rows[0].u)).toBe(
      "authenticated",
    );
  });

  it("reads no table as itself, and as a user reads only that user's rows", async () => {
    const alice = await createUser(db.pool);
    const bob = await createUser(db.pool);
    const bobsAccount = await createAccount(db.pool, bob, { name: "Bob's" });
    await createTrade(db.pool, bob, bobsAccount);
    await db.pool.query("insert into public.account_credentials (account_id, user_id, password_ciphertext, key_id) values ($1, $2, '\\x02', 'k')", [
      bobsAccount,
      bob,
    ]);
    for (const table of ["profiles", "accounts", "trades", "account_credentials", "stripe_events"]) {
      expect(await asWebLogin((c) => sqlState(() => c.query(`select * from public.${table} limit 1`))), table).toBe("42501");
    }
    const seen = await withRlsTransaction(db.webPool, userClaims(alice), async (c) => ({
      accounts: (await c.query("select id from public.accounts where user_id = $1", [bob])).rowCount,
      trades: (await c.query("select id from public.trades where user_id = $1", [bob])).rowCount,
      profiles: (await c.query("select id from public.profiles where id = $1", [bob])).rowCount,
    }));
    expect(seen).toEqual({ accounts: 0, trades: 0, profiles: 0 });
    // Even one's own stored password is unreadable to a user.
    expect(
      await sqlState(() =>
        withRlsTransaction(db.webPool, userClaims(bob), (c) => c.query("select password_ciphertext from public.account_credentials")),
      ),
    ).toBe("42501");
    // Bob himself sees his rows through the same login (the probe above is RLS, not a broken login).
    expect(await withRlsTransaction(db.webPool, userClaims(bob), async (c) => (await c.query("select id from public.trades")).rowCount)).toBe(1);
  });

  it("calls exactly the functions it needs as itself, which no client role may call", async () => {
    const user = await createUser(db.pool);
    await asWebLogin(async (c) => {
      await c.query("select * from rate_limit.take(array['sign-in-address'], array[$1], array[true])", [randomUUID()]);
      await c.query("select rate_limit.prune()");
      await c.query("select public.readiness()");
      await c.query("select public.auth_session_active($1, $2)", [randomUUID(), user]);
      expect((await c.query("select billing.event_owner(null, $1) as id", [user])).rows[0].id).toBe(user);
    });
    for (const claims of [{ role: "anon" }, userClaims(user)]) {
      for (const sql of [
        "select billing.event_owner(null, null)",
        "select * from billing.lock_profile(gen_random_uuid())",
        "select public.readiness()",
      ]) {
        expect(await sqlState(() => withRlsTransaction(db.webPool, claims, (c) => c.query(sql))), `${claims.role} ${sql}`).toBe("42501");
      }
    }
  });

  it("deletes the signed-in user's own account, with everything they own, and nobody else's", async () => {
    const leaving = await createUser(db.pool);
    const staying = await createUser(db.pool);
    await createTrade(db.pool, leaving, await createAccount(db.pool, leaving));
    await createTrade(db.pool, staying, await createAccount(db.pool, staying));
    expect(await sqlState(() => withRlsTransaction(db.webPool, { role: "anon" }, (c) => c.query("select public.delete_own_account()")))).toBe(
      "42501",
    );
    await withRlsTransaction(db.webPool, userClaims(leaving), (c) => c.query("select public.delete_own_account()"));
    const { rows } = await db.pool.query<{ id: string; users: number; trades: number }>(
      `select u.id, (select count(*)::int from auth.users where id = u.id) as users,
              (select count(*)::int from public.trades where user_id = u.id) as trades
         from unnest($1::uuid[]) as u(id) order by u.id = $2 desc`,
      [[leaving, staying], leaving],
    );
    expect(rows).toEqual([
      { id: leaving, users: 0, trades: 0 },
      { id: staying, users: 1, trades: 1 },
    ]);
  });
});

describe("stored investor passwords in the jobs process", () => {
  it("re-seals ADR 010 rows and older key pairs to the current key; every row still opens", async () => {
    const legacyKeys = `local1:${randomBytes(32).toString("base64")}`;
    const oldPair = generateCredentialKeyPair("k2026");
    const newPair = generateCredentialKeyPair("k2027");
    const user = await createUser(db.pool, { tier: "elite" });
    const legacyAccount = await createAccount(db.pool, user, { kind: "mt5", mt5_server: "S", mt5_login: 1001 });
    const oldAccount = await createAccount(db.pool, user, { kind: "mt5", mt5_server: "S", mt5_login: 1002 });
    const legacy = encryptWith(parseEncryptionKeys(legacyKeys), "inv-legacy", { context: legacyAccount });
    const old = sealWith(parseSealingKey(oldPair.publicEntry), "inv-old", { context: oldAccount });
    for (const [account, secret] of [
      [legacyAccount, legacy],
      [oldAccount, old],
    ] as const) {
      await withRlsTransaction(db.webPool, userClaims(user), (c) =>
        c.query("select public.set_account_credentials($1, $2, $3)", [account, Buffer.from(secret.ciphertext), secret.keyId]),
      );
    }
    const keyring = loadCredentialKeyring(`${newPair.privateEntry},${oldPair.privateEntry}`, legacyKeys);
    const report = await resealStoredCredentials(db.appPool, keyring);
    expect(report.resealed).toBe(2);
    // (Another test's deliberately malformed row is reported, by account and code, not by content.)
    expect(report.failed.filter((f) => [legacyAccount, oldAccount].includes(f.accountId))).toEqual([]);
    const { rows } = await db.pool.query<{ account_id: string; key_id: string; password_ciphertext: Buffer }>(
      "select account_id, key_id, password_ciphertext from public.account_credentials where user_id = $1",
      [user],
    );
    expect(rows.map((r) => [r.key_id, r.password_ciphertext[0]])).toEqual([
      ["k2027", 2],
      ["k2027", 2],
    ]);
    // Only the new private key is needed from now on.
    const onlyNew = loadCredentialKeyring(newPair.privateEntry);
    const opened = Object.fromEntries(
      rows.map((r) => [r.account_id, openCredential(onlyNew, r.password_ciphertext, r.key_id, { context: r.account_id })]),
    );
    expect(opened).toEqual({ [legacyAccount]: "inv-legacy", [oldAccount]: "inv-old" });
    expect((await resealStoredCredentials(db.appPool, keyring)).resealed).toBe(0);
  });
});

describe("a disconnect's ciphertext in the tables' pages", () => {
  async function heapFiles(table: string): Promise<string> {
    const { rows } = await db.pool.query<{ dir: string; file: string }>(
      "select current_setting('data_directory') as dir, pg_relation_filepath($1::regclass) as file",
      [`public.${table}`],
    );
    return path.join(rows[0]!.dir, rows[0]!.file);
  }

  /** Whether `needle` is anywhere in the table's main fork on disk (all segments), after a checkpoint. */
  async function onDisk(file: string, needle: Buffer): Promise<boolean> {
    await db.pool.query("checkpoint");
    for (let segment = 0; ; segment++) {
      const name = segment === 0 ? file : `${file}.${segment}`;
      const exists = await stat(name).then(
        () => true,
        () => false,
      );
      if (!exists) return false;
      if ((await readFile(name)).includes(needle)) return true;
    }
  }

  it("is still in the page after the delete (why a wipe is needed), and gone once the jobs rewrite the tables", async () => {
    const pair = generateCredentialKeyPair("wipe");
    const user = await createUser(db.pool, { tier: "elite" });
    const account = await createAccount(db.pool, user, { kind: "mt5", mt5_server: "Wipe-Server", mt5_login: 777 });
    const stored = sealWith(parseSealingKey(pair.publicEntry), `inv-${randomUUID()}`, { context: account });
    const checkId = randomUUID();
    const checked = sealWith(parseSealingKey(pair.publicEntry), `inv-${randomUUID()}`, { context: checkId });
    await withRlsTransaction(db.webPool, userClaims(user), async (c) => {
      await c.query("select public.set_account_credentials($1, $2, $3)", [account, Buffer.from(stored.ciphertext), stored.keyId]);
      await c.query("select public.request_mt5_connection_check($1, $2, $3, $4, $5)", [
        checkId,
        "Wipe-Server",
        778,
        Buffer.from(checked.ciphertext),
        checked.keyId,
      ]);
    });
    const credentialsFile = await heapFiles("account_credentials");
    const checksFile = await heapFiles("mt5_connection_checks");
    expect(await onDisk(credentialsFile, stored.ciphertext)).toBe(true);
    expect(await onDisk(checksFile, checked.ciphertext)).toBe(true);

    // The user disconnects; the jobs process answers the check and wipes its ciphertext column, then the user discards it.
    await withRlsTransaction(db.webPool, userClaims(user), (c) => c.query("select public.disconnect_mt5_account($1)", [account]));
    await db.pool.query(
      "update public.mt5_connection_checks set status = 'failed', error_code = 'auth_failed', password_ciphertext = null, key_id = null where id = $1",
      [checkId],
    );
    await withRlsTransaction(db.webPool, userClaims(user), (c) => c.query("delete from public.mt5_connection_checks where id = $1", [checkId]));
    expect((await db.pool.query("select 1 from public.account_credentials where account_id = $1", [account])).rowCount).toBe(0);
    // Deleted, yet the old row versions still hold the bytes.
    expect(await onDisk(credentialsFile, stored.ciphertext)).toBe(true);
    expect(await onDisk(checksFile, checked.ciphertext)).toBe(true);

    expect(await wipeDeadCredentials(db.url)).toBe("wiped");
    for (const [table, oldFile, ciphertext] of [
      ["account_credentials", credentialsFile, stored.ciphertext],
      ["mt5_connection_checks", checksFile, checked.ciphertext],
    ] as const) {
      const newFile = await heapFiles(table);
      expect(newFile, table).not.toBe(oldFile);
      expect(await onDisk(newFile, ciphertext), `${table}: rewritten file`).toBe(false);
      expect(await onDisk(oldFile, ciphertext), `${table}: old file`).toBe(false);
    }
    // Live rows survive the rewrite; nothing more to do until the next dead row.
    expect(await wipeDeadCredentials(db.url)).toBe("clean");
  });
});
