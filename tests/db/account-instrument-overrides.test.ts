// public.account_instrument_overrides: owners read and write their own
// accounts' overrides; nobody else can read them or attach one to an account
// that is not theirs; sizes must be positive; they go with the account.
import pg from "pg";
import { describe, expect, it } from "vitest";
import { tradePips } from "../../app/domain/trades/pips.ts";
import { withRlsTransaction } from "../../app/lib/db.server.ts";
import { readInstrumentOverrides } from "../../app/models/instrument-overrides.server.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createUser, userClaims } from "../support/fixtures.ts";

const db = await createTestDatabase();
const asUser = <T>(userId: string, work: (c: pg.PoolClient) => Promise<T>) => withRlsTransaction(db.appPool, userClaims(userId), work);
const asAnon = <T>(work: (c: pg.PoolClient) => Promise<T>) => withRlsTransaction(db.appPool, { role: "anon" }, work);
const sqlState = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (e: { code?: string }) => e.code,
  );

const insertOverride = (c: pg.PoolClient, userId: string, accountId: string, symbol = "XAUUSD", contractSize = "10") =>
  c.query("insert into public.account_instrument_overrides (user_id, account_id, symbol, contract_size) values ($1, $2, $3, $4)", [
    userId,
    accountId,
    symbol,
    contractSize,
  ]);

async function tenant() {
  const id = await createUser(db.pool);
  const accountId = await createAccount(db.pool, id);
  return { id, accountId };
}

describe("account_instrument_overrides", () => {
  it("lets the owner insert, read, update and delete their account's overrides", async () => {
    const a = await tenant();
    await asUser(a.id, (c) => insertOverride(c, a.id, a.accountId));
    const { rows } = await asUser(a.id, (c) => c.query("select symbol, contract_size::text from public.account_instrument_overrides"));
    expect(rows).toEqual([{ symbol: "XAUUSD", contract_size: "10" }]);
    const updated = await asUser(a.id, (c) =>
      c.query("update public.account_instrument_overrides set tick_value = 1.5 where account_id = $1 returning updated_at > created_at as bumped", [
        a.accountId,
      ]),
    );
    // The updated_at trigger runs.
    expect(updated.rows).toEqual([{ bumped: true }]);
    const deleted = await asUser(a.id, (c) => c.query("delete from public.account_instrument_overrides where account_id = $1", [a.accountId]));
    expect(deleted.rowCount).toBe(1);
  });

  it("keeps user B out of user A's overrides: no read, no insert, no update, no delete", async () => {
    const a = await tenant();
    const b = await tenant();
    await asUser(a.id, (c) => insertOverride(c, a.id, a.accountId));

    const seen = await asUser(b.id, (c) => c.query("select * from public.account_instrument_overrides where account_id = $1", [a.accountId]));
    expect(seen.rows).toEqual([]);
    // As A (row-level security refuses) and as B (the account is not B's: the composite key refuses).
    expect(await sqlState(asUser(b.id, (c) => insertOverride(c, a.id, a.accountId, "EURUSD", "100000")))).toBe("42501");
    expect(await sqlState(asUser(b.id, (c) => insertOverride(c, b.id, a.accountId, "EURUSD", "100000")))).toBe("23503");
    const changed = await asUser(b.id, (c) =>
      c.query("update public.account_instrument_overrides set contract_size = 1 where account_id = $1", [a.accountId]),
    );
    expect(changed.rowCount).toBe(0);
    const removed = await asUser(b.id, (c) => c.query("delete from public.account_instrument_overrides where account_id = $1", [a.accountId]));
    expect(removed.rowCount).toBe(0);

    const { rows } = await db.pool.query("select symbol, contract_size::text from public.account_instrument_overrides where account_id = $1", [
      a.accountId,
    ]);
    expect(rows).toEqual([{ symbol: "XAUUSD", contract_size: "10" }]);
  });

  it("gives anon nothing at all", async () => {
    const a = await tenant();
    await asUser(a.id, (c) => insertOverride(c, a.id, a.accountId));
    expect(await sqlState(asAnon((c) => c.query("select * from public.account_instrument_overrides")))).toBe("42501");
  });

  it("allows one override per symbol and account, and positive sizes only", async () => {
    const a = await tenant();
    await asUser(a.id, (c) => insertOverride(c, a.id, a.accountId));
    expect(await sqlState(asUser(a.id, (c) => insertOverride(c, a.id, a.accountId)))).toBe("23505");
    for (const column of ["contract_size", "point", "pip_size", "tick_size", "tick_value"]) {
      expect(
        await sqlState(
          asUser(a.id, (c) =>
            c.query(`insert into public.account_instrument_overrides (user_id, account_id, symbol, ${column}) values ($1, $2, 'US30', 0)`, [
              a.id,
              a.accountId,
            ]),
          ),
        ),
        column,
      ).toBe("23514");
    }
    expect(
      await sqlState(
        asUser(a.id, (c) =>
          c.query(
            "insert into public.account_instrument_overrides (user_id, account_id, symbol, calculation_mode) values ($1, $2, 'US30', 'magic')",
            [a.id, a.accountId],
          ),
        ),
      ),
    ).toBe("23514");
  });

  it("goes with its account", async () => {
    const a = await tenant();
    await asUser(a.id, (c) => insertOverride(c, a.id, a.accountId));
    await asUser(a.id, (c) => c.query("delete from public.accounts where id = $1", [a.accountId]));
    expect((await db.pool.query("select count(*)::int as n from public.account_instrument_overrides where user_id = $1", [a.id])).rows[0].n).toBe(0);
  });

  it("read back per account in the shape the catalogue takes, and change the pips a stored trade gets", async () => {
    const a = await tenant();
    await db.pool.query("update public.profiles set subscription_tier = 'pro' where id = $1", [a.id]);
    const other = await createAccount(db.pool, a.id, { name: "Second" });
    await asUser(a.id, (c) =>
      c.query("insert into public.account_instrument_overrides (user_id, account_id, symbol, pip_size, digits) values ($1, $2, 'XAUUSD', 0.01, 2)", [
        a.id,
        a.accountId,
      ]),
    );
    await asUser(a.id, (c) => insertOverride(c, a.id, other, "US30", "10"));
    const all = await asUser(a.id, (c) => readInstrumentOverrides(c, { userId: a.id }));
    expect(all).toEqual({ [a.accountId]: { XAUUSD: { pipSize: "0.01", digits: 2 } }, [other]: { US30: { contractSize: "10" } } });
    const one = await asUser(a.id, (c) => readInstrumentOverrides(c, { accountId: a.accountId }));
    expect(Object.keys(one)).toEqual([a.accountId]);
    const gold = { symbol: "XAUUSD.m", direction: "buy" as const, entryPrice: "2350.10", exitPrice: "2352.60" };
    // Catalogue pip 0.1: 25 pips; this broker counts 0.01: 250.
    expect(tradePips(gold)).toBe("25");
    expect(tradePips(gold, one[a.accountId])).toBe("250");
    // Another user reads none of them.
    const b = await tenant();
    expect(await asUser(b.id, (c) => readInstrumentOverrides(c, { accountId: a.accountId }))).toEqual({});
  });
});
