// A trade's account and import batch are checked once per statement
// (20261208100100_trade_references_checked_per_statement.sql) instead of by two
// foreign keys, row by row. Each guarantee the foreign keys gave is proven here:
// a missing or another user's account and a missing batch are refused (as the
// user and as the owner, one bad row in many, on insert and on update), the
// account's deletion takes its trades (and their legs) with it, the batch's
// deletion leaves its trades without a batch, referenced keys cannot change,
// and the referenced rows are locked as the foreign key locked them.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { withRlsTransaction } from "../../app/lib/db.server.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createTrade, createUser, userClaims } from "../support/fixtures.ts";

const db = await createTestDatabase();

async function batch(userId: string, accountId: string): Promise<string> {
  const { rows } = await db.pool.query("insert into public.import_batches (user_id, account_id, format) values ($1, $2, 'mt5-xlsx') returning id", [
    userId,
    accountId,
  ]);
  return rows[0].id;
}

/** n trades in one statement; `lastAccountId` (if given) replaces the account of the last one. */
function insertTrades(
  userId: string,
  accountId: string,
  n: number,
  { batchId = null as string | null, lastAccountId = accountId } = {},
): [string, unknown[]] {
  return [
    `insert into public.trades (user_id, account_id, import_batch_id, position_id, symbol, direction, status, opened_at, closed_at,
       volume, entry_price, exit_price, gross_profit, source)
     select $1, case when g = $4 then $5::uuid else $2::uuid end, $3, 'p' || g || '-' || $6, 'EURUSD', 'buy', 'closed',
            '2026-03-02T09:15:00Z', '2026-03-02T11:40:00Z', 0.5, 1.0825, 1.0842, 85, 'file'
       from generate_series(1, $4) g`,
    [userId, accountId, batchId, n, lastAccountId, randomUUID().slice(0, 8)],
  ];
}

async function refusal(promise: Promise<unknown>): Promise<{ code?: string; constraint?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; constraint?: string; message: string };
  }
  throw new Error("expected the statement to be refused");
}

async function tradeCount(accountId: string): Promise<number> {
  const { rows } = await db.pool.query("select count(*)::int n from public.trades where account_id = $1", [accountId]);
  return rows[0].n;
}

describe("a trade's account", () => {
  it("refuses another user's account as that user (RLS allows the row: the check refuses it) and stores nothing", async () => {
    const alice = await createUser(db.pool);
    const bob = await createUser(db.pool);
    const bobsAccount = await createAccount(db.pool, bob);
    const [sql, params] = insertTrades(alice, bobsAccount, 3);
    const error = await refusal(withRlsTransaction(db.appPool, userClaims(alice), (c) => c.query(sql, params)));
    expect(error).toMatchObject({ code: "23503", constraint: "trades_account_id_user_id_fkey" });
    expect(error.message).toBe('insert or update on table "trades" violates foreign key constraint "trades_account_id_user_id_fkey"');
    expect(await tradeCount(bobsAccount)).toBe(0);
  });

  it("refuses one bad row among many, even for the owner who bypasses RLS, and stores none of them", async () => {
    const alice = await createUser(db.pool, { tier: "pro" });
    const bob = await createUser(db.pool);
    const account = await createAccount(db.pool, alice);
    const bobsAccount = await createAccount(db.pool, bob);
    for (const last of [bobsAccount, randomUUID()]) {
      const [sql, params] = insertTrades(alice, account, 500, { lastAccountId: last });
      expect(await refusal(db.pool.query(sql, params))).toMatchObject({ code: "23503", constraint: "trades_account_id_user_id_fkey" });
    }
    expect(await tradeCount(account)).toBe(0);
    const [sql, params] = insertTrades(alice, account, 500);
    await db.pool.query(sql, params);
    expect(await tradeCount(account)).toBe(500);
  });

  it("refuses moving a trade to another user's account or a missing one, allows the user's own other account", async () => {
    const alice = await createUser(db.pool, { tier: "pro" });
    const bob = await createUser(db.pool);
    const account = await createAccount(db.pool, alice);
    const second = await createAccount(db.pool, alice, { name: "Second" });
    const bobsAccount = await createAccount(db.pool, bob);
    const trade = await createTrade(db.pool, alice, account);
    for (const target of [bobsAccount, randomUUID()]) {
      const error = await refusal(db.pool.query("update public.trades set account_id = $2 where id = $1", [trade, target]));
      expect(error).toMatchObject({ code: "23503", constraint: "trades_account_id_user_id_fkey" });
    }
    const error = await refusal(db.pool.query("update public.trades set user_id = $2 where id = $1", [trade, bob]));
    expect(error).toMatchObject({ code: "23503", constraint: "trades_account_id_user_id_fkey" });
    await db.pool.query("update public.trades set account_id = $2 where id = $1", [trade, second]);
    expect(await tradeCount(second)).toBe(1);
  });

  it("takes its trades and their legs with it when deleted, and keeps other accounts' trades", async () => {
    const alice = await createUser(db.pool, { tier: "pro" });
    const account = await createAccount(db.pool, alice);
    const kept = await createAccount(db.pool, alice, { name: "Kept" });
    const trade = await createTrade(db.pool, alice, account);
    await db.pool.query(
      `insert into public.trade_legs (trade_id, user_id, deal_id, kind, direction, executed_at, volume, price)
       values ($1, $2, 1, 'entry', 'buy', '2026-03-02T09:15:00Z', 0.5, 1.0825)`,
      [trade, alice],
    );
    await createTrade(db.pool, alice, kept);
    await withRlsTransaction(db.appPool, userClaims(alice), (c) => c.query("delete from public.accounts where id = $1", [account]));
    expect(await tradeCount(account)).toBe(0);
    const { rows } = await db.pool.query("select count(*)::int n from public.trade_legs where trade_id = $1", [trade]);
    expect(rows[0].n).toBe(0);
    expect(await tradeCount(kept)).toBe(1);
  });

  it("with the user: deleting the user leaves no trade behind", async () => {
    const alice = await createUser(db.pool);
    const account = await createAccount(db.pool, alice);
    await createTrade(db.pool, alice, account);
    await db.pool.query("delete from auth.users where id = $1", [alice]);
    const { rows } = await db.pool.query("select count(*)::int n from public.trades where user_id = $1", [alice]);
    expect(rows[0].n).toBe(0);
  });

  it("cannot change its id or owner while trades name it", async () => {
    const alice = await createUser(db.pool, { tier: "pro" });
    const bob = await createUser(db.pool);
    const account = await createAccount(db.pool, alice);
    const empty = await createAccount(db.pool, alice, { name: "Empty" });
    await createTrade(db.pool, alice, account);
    // Only the trade names the account (the analytics months' own foreign key would refuse too).
    await db.pool.query("delete from public.analytics_trade_months where account_id = $1", [account]);
    for (const [sql, value] of [
      ["update public.accounts set id = $2 where id = $1", randomUUID()],
      ["update public.accounts set user_id = $2 where id = $1", bob],
    ] as const) {
      expect(await refusal(db.pool.query(sql, [account, value]))).toMatchObject({ code: "23503", constraint: "trades_account_id_user_id_fkey" });
    }
    await db.pool.query("update public.accounts set id = $2 where id = $1", [empty, randomUUID()]);
  });
});

describe("a trade's import batch", () => {
  it("must exist when set; none is fine", async () => {
    const alice = await createUser(db.pool, { tier: "pro" });
    const account = await createAccount(db.pool, alice);
    const [bad, badParams] = insertTrades(alice, account, 50, { batchId: randomUUID() });
    const error = await refusal(withRlsTransaction(db.appPool, userClaims(alice), (c) => c.query(bad, badParams)));
    expect(error).toMatchObject({ code: "23503", constraint: "trades_import_batch_id_fkey" });
    expect(await tradeCount(account)).toBe(0);
    const batchId = await batch(alice, account);
    const [good, goodParams] = insertTrades(alice, account, 50, { batchId });
    await withRlsTransaction(db.appPool, userClaims(alice), (c) => c.query(good, goodParams));
    const [none, noneParams] = insertTrades(alice, account, 5);
    await db.pool.query(none, noneParams);
    expect(await tradeCount(account)).toBe(55);
    const trade = await createTrade(db.pool, alice, account);
    const moved = await refusal(db.pool.query("update public.trades set import_batch_id = $2 where id = $1", [trade, randomUUID()]));
    expect(moved).toMatchObject({ code: "23503", constraint: "trades_import_batch_id_fkey" });
  });

  it("when deleted leaves its trades in place without a batch, and cannot change its id while named", async () => {
    const alice = await createUser(db.pool, { tier: "pro" });
    const account = await createAccount(db.pool, alice);
    const batchId = await batch(alice, account);
    const [sql, params] = insertTrades(alice, account, 20, { batchId });
    await db.pool.query(sql, params);
    const error = await refusal(db.pool.query("update public.import_batches set id = $2 where id = $1", [batchId, randomUUID()]));
    expect(error).toMatchObject({ code: "23503", constraint: "trades_import_batch_id_fkey" });
    await db.pool.query("delete from public.import_batches where id = $1", [batchId]);
    const { rows } = await db.pool.query("select count(*)::int n, count(import_batch_id)::int linked from public.trades where account_id = $1", [
      account,
    ]);
    expect(rows[0]).toEqual({ n: 20, linked: 0 });
  });
});

describe("locking, as the foreign keys locked", () => {
  async function inOpenTransaction(run: (c: pg.Client) => Promise<unknown>) {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query("begin");
    await run(client);
    return client;
  }

  it("an account an uncommitted import names cannot be deleted until it commits; then its trades go too", async () => {
    const alice = await createUser(db.pool, { tier: "pro" });
    const account = await createAccount(db.pool, alice);
    const batchId = await batch(alice, account);
    const [sql, params] = insertTrades(alice, account, 100, { batchId });
    const importing = await inOpenTransaction((c) => c.query(sql, params));
    const deleter = new pg.Client({ connectionString: db.url });
    await deleter.connect();
    try {
      await deleter.query("set lock_timeout = '300ms'");
      for (const del of ["delete from public.accounts where id = $1", "delete from public.import_batches where id = $1"]) {
        const param = del.includes("accounts") ? account : batchId;
        expect(await refusal(deleter.query(del, [param]))).toMatchObject({ code: "55P03" });
      }
      await importing.query("commit");
      await deleter.query("delete from public.accounts where id = $1", [account]);
      expect(await tradeCount(account)).toBe(0);
    } finally {
      await importing.end();
      await deleter.end();
    }
  });

  it("an import whose account was deleted meanwhile is refused, not stored without one", async () => {
    const alice = await createUser(db.pool, { tier: "pro" });
    const account = await createAccount(db.pool, alice);
    const deleting = await inOpenTransaction((c) => c.query("delete from public.accounts where id = $1", [account]));
    const [sql, params] = insertTrades(alice, account, 10);
    let settled = false;
    const inserting = refusal(db.pool.query(sql, params)).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false); // waiting for the deletion, as the foreign key waited
    await deleting.query("commit");
    await deleting.end();
    expect(await inserting).toMatchObject({ code: "23503", constraint: "trades_account_id_user_id_fkey" });
    expect(await tradeCount(account)).toBe(0);
  });
});
