// Accounts through the model functions the /accounts actions call: plan limits
// checked before inserting and by the database trigger (both end in the same
// upgrade prompt), tenancy, exact balances, and what deleting takes with it.
import pg from "pg";
import { describe, expect, it } from "vitest";
import { AppError } from "../../app/lib/app-error.ts";
import { withRlsTransaction } from "../../app/lib/db.server.ts";
import {
  createManualAccount as createManualAccountInRequest,
  deleteTradingAccount as deleteTradingAccountInRequest,
  listAccounts as listAccountsInRequest,
  loadAccount as loadAccountInRequest,
  removeInstrumentOverride as removeInstrumentOverrideInRequest,
  saveInstrumentOverride as saveInstrumentOverrideInRequest,
  updateAccount as updateAccountInRequest,
} from "../../app/models/accounts.server.ts";
import type { AccountInput } from "../../app/schemas/account.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createTrade, createUser, userClaims } from "../support/fixtures.ts";
import { asRequest } from "./as-request.ts";

const createManualAccount = asRequest(createManualAccountInRequest);
const deleteTradingAccount = asRequest(deleteTradingAccountInRequest);
const listAccounts = asRequest(listAccountsInRequest);
const loadAccount = asRequest(loadAccountInRequest);
const removeInstrumentOverride = asRequest(removeInstrumentOverrideInRequest);
const saveInstrumentOverride = asRequest(saveInstrumentOverrideInRequest);
const updateAccount = asRequest(updateAccountInRequest);

const db = await createTestDatabase();
const asUser = <T>(userId: string, work: (c: pg.PoolClient) => Promise<T>) => withRlsTransaction(db.appPool, userClaims(userId), work);

const input = (fields: Partial<AccountInput> = {}): AccountInput => ({
  name: "Manual",
  broker: "IC Markets",
  currency: "USD",
  initialBalance: "10000",
  serverTimeZone: "NY+7",
  marginMode: "hedging",
  ...fields,
});

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const insertMt5AsUser = (userId: string, login: number) =>
  asUser(userId, (c) =>
    c.query("insert into public.accounts (user_id, name, kind, mt5_server, mt5_login) values ($1, 'MT5', 'mt5', 'Broker-Live', $2)", [userId, login]),
  );

const sqlState = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (e: { code?: string }) => e.code,
  );

describe("plan limits", () => {
  it("free: the first account is created, the second is refused with an upgrade prompt before any insert", async () => {
    const user = await createUser(db.pool);
    const id = await createManualAccount(db.appPool, userClaims(user), input({ name: "First" }));
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const error = await refusal(createManualAccount(db.appPool, userClaims(user), input({ name: "Second" })));
    expect(error.code).toBe("forbidden");
    expect(error.hint).toBe("upgrade");
    expect(error.message).toBe("The Free plan allows 1 account, and you have 1. Upgrade to add another.");
    const { rows } = await db.pool.query("select name from public.accounts where user_id = $1", [user]);
    expect(rows).toEqual([{ name: "First" }]);
  });

  it("the model's own check refuses even with the database trigger switched off", async () => {
    const user = await createUser(db.pool);
    await createAccount(db.pool, user);
    await db.pool.query("alter table public.accounts disable trigger accounts_enforce_limits");
    try {
      const error = await refusal(createManualAccount(db.appPool, userClaims(user), input({ name: "Second" })));
      expect(error.hint).toBe("upgrade");
    } finally {
      await db.pool.query("alter table public.accounts enable trigger accounts_enforce_limits");
    }
    expect((await db.pool.query("select count(*)::int as n from public.accounts where user_id = $1", [user])).rows[0].n).toBe(1);
  });

  it("free: a creation that passes the model's check but loses the race meets the trigger, and gets the same prompt", async () => {
    const user = await createUser(db.pool);
    // Another request's insert, not yet committed: invisible to the model's count, but
    // holding the trigger's per-user lock, so the model's insert waits and then counts it.
    const other = await db.pool.connect();
    try {
      await other.query("begin");
      await other.query("insert into public.accounts (user_id, name) values ($1, 'Other tab')", [user]);
      const creating = createManualAccount(db.appPool, userClaims(user), input({ name: "This tab" })).then(
        () => null,
        (e: unknown) => e,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      await other.query("commit");
      const error = await creating;
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).hint).toBe("upgrade");
      expect((error as AppError).message).toBe("The Free plan allows 1 account, and you have 1. Upgrade to add another.");
      expect(((error as AppError).cause as { code?: string }).code).toBe("RJ003");
    } finally {
      other.release();
    }
    const { rows } = await db.pool.query("select name from public.accounts where user_id = $1", [user]);
    expect(rows).toEqual([{ name: "Other tab" }]);
  });

  it("free: the trigger refuses a second account and any MT5 account written directly (RJ003, RJ004)", async () => {
    const user = await createUser(db.pool);
    expect(await sqlState(insertMt5AsUser(user, 1001))).toBe("RJ004");
    await createAccount(db.pool, user);
    expect(await sqlState(asUser(user, (c) => c.query("insert into public.accounts (user_id, name) values ($1, 'Two')", [user])))).toBe("RJ003");
  });

  it("pro: any number of manual accounts and one MT5 account", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    for (const name of ["One", "Two", "Three"]) await createManualAccount(db.appPool, userClaims(user), input({ name }));
    expect(await sqlState(insertMt5AsUser(user, 2001))).toBe("ok");
    expect(await sqlState(insertMt5AsUser(user, 2002))).toBe("RJ004");
    await createManualAccount(db.appPool, userClaims(user), input({ name: "Four" }));
    const { limits, accounts, plans } = await listAccounts(db.appPool, userClaims(user));
    expect(limits).toEqual({ tier: "pro", maxAccounts: null, maxMt5Accounts: 1, total: 5, mt5: 1 });
    expect(plans).toEqual([
      { tier: "free", maxAccounts: 1, maxMt5Accounts: 0 },
      { tier: "pro", maxAccounts: null, maxMt5Accounts: 1 },
      { tier: "elite", maxAccounts: null, maxMt5Accounts: 5 },
    ]);
    expect(accounts.map((a) => a.name)).toEqual(["One", "Two", "Three", "MT5", "Four"]);
  });

  it("elite: five MT5 accounts, not six", async () => {
    const user = await createUser(db.pool, { tier: "elite" });
    for (let login = 1; login <= 5; login++) expect(await sqlState(insertMt5AsUser(user, 3000 + login))).toBe("ok");
    expect(await sqlState(insertMt5AsUser(user, 3006))).toBe("RJ004");
    await createManualAccount(db.appPool, userClaims(user), input());
  });

  it("reads the limits from public.plan_limits, not from the app's copy", async () => {
    const user = await createUser(db.pool);
    // This file's own database: nothing else sees the change, and it is put back.
    await db.pool.query("update public.plan_limits set max_accounts = 2 where tier = 'free'");
    try {
      await createManualAccount(db.appPool, userClaims(user), input({ name: "One" }));
      await createManualAccount(db.appPool, userClaims(user), input({ name: "Two" }));
      const error = await refusal(createManualAccount(db.appPool, userClaims(user), input({ name: "Three" })));
      expect(error.message).toBe("The Free plan allows 2 accounts, and you have 2. Upgrade to add another.");
      expect((await listAccounts(db.appPool, userClaims(user))).limits).toMatchObject({ maxAccounts: 2, total: 2 });
    } finally {
      await db.pool.query("update public.plan_limits set max_accounts = 1 where tier = 'free'");
    }
  });
});

describe("balances and counts", () => {
  it("adds every trade's realised net P&L (an open one's booked part too) and cash movements to the initial balance, exactly", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    const account = await createManualAccount(db.appPool, userClaims(user), input({ initialBalance: "1000.10" }));
    await createTrade(db.pool, user, account, { gross_profit: "0.1" });
    await createTrade(db.pool, user, account, { gross_profit: "0.2" });
    await createTrade(db.pool, user, account, { gross_profit: "-12.35" });
    // An open position whose closed part booked 999 (issue 18: the broker's balance holds it, so the ledger does too).
    await createTrade(db.pool, user, account, { status: "open", closed_at: null, exit_price: null, gross_profit: "999" });
    await db.pool.query("update public.trades set commission = -0.07, swap = 0.01 where account_id = $1 and status = 'closed'", [account]);
    await db.pool.query(
      `insert into public.cash_movements (user_id, account_id, kind, amount, occurred_at)
       values ($1, $2, 'deposit', 500, now()), ($1, $2, 'withdrawal', -200.55, now())`,
      [user, account],
    );
    // 1000.10 + (0.1 + 0.2 - 12.35 + 3 × -0.06) + 999 + 500 - 200.55
    const { accounts } = await listAccounts(db.appPool, userClaims(user));
    expect(accounts[0]).toMatchObject({ balance: "2286.32", initialBalance: "1000.10", tradeCount: 4 });
  });
});

describe("tenancy", () => {
  it("another user can neither see, change nor delete an account, nor add overrides to it", async () => {
    const owner = await createUser(db.pool);
    const other = await createUser(db.pool);
    const account = await createManualAccount(db.appPool, userClaims(owner), input({ name: "Mine" }));
    expect((await listAccounts(db.appPool, userClaims(other))).accounts).toEqual([]);
    expect((await refusal(loadAccount(db.appPool, userClaims(other), account))).code).toBe("not_found");
    expect((await refusal(updateAccount(db.appPool, userClaims(other), account, input({ name: "Stolen" })))).code).toBe("not_found");
    expect((await refusal(deleteTradingAccount(db.appPool, userClaims(other), account))).code).toBe("not_found");
    const override = {
      symbol: "XAUUSD",
      contractSize: "10",
      point: null,
      pipSize: null,
      tickSize: null,
      tickValue: null,
      digits: null,
      profitCurrency: null,
      calculationMode: null,
    };
    expect((await refusal(saveInstrumentOverride(db.appPool, userClaims(other), account, override))).code).toBe("not_found");
    const { rows } = await db.pool.query("select name from public.accounts where id = $1", [account]);
    expect(rows).toEqual([{ name: "Mine" }]);
    expect((await db.pool.query("select count(*)::int as n from public.account_instrument_overrides")).rows[0].n).toBe(0);
  });

  it("an id that is not a uuid is simply not found", async () => {
    const user = await createUser(db.pool);
    expect((await refusal(loadAccount(db.appPool, userClaims(user), "not-a-uuid"))).code).toBe("not_found");
  });
});

describe("editing", () => {
  it("saves every field", async () => {
    const user = await createUser(db.pool);
    const account = await createManualAccount(db.appPool, userClaims(user), input());
    await updateAccount(
      db.appPool,
      userClaims(user),
      account,
      input({
        name: "Renamed",
        broker: null,
        currency: "EUR",
        initialBalance: "0.000001",
        serverTimeZone: "Europe/Athens",
        marginMode: "netting",
      }),
    );
    const { account: saved } = await loadAccount(db.appPool, userClaims(user), account);
    expect(saved).toMatchObject({
      name: "Renamed",
      broker: null,
      currency: "EUR",
      initialBalance: "0.000001",
      serverTimeZone: "Europe/Athens",
      marginMode: "netting",
    });
  });

  it("turns a zone the database refuses into a field-level message, keeping the saved value", async () => {
    const user = await createUser(db.pool);
    const account = await createManualAccount(db.appPool, userClaims(user), input());
    const error = await refusal(updateAccount(db.appPool, userClaims(user), account, input({ serverTimeZone: "Mars/Olympus" })));
    expect(error.code).toBe("bad_request");
    expect(error.message).toMatch(/server time zone/);
    expect((await loadAccount(db.appPool, userClaims(user), account)).account.serverTimeZone).toBe("NY+7");
  });
});

describe("instrument overrides", () => {
  const empty = {
    contractSize: null,
    point: null,
    pipSize: null,
    tickSize: null,
    tickValue: null,
    digits: null,
    profitCurrency: null,
    calculationMode: null,
  };

  it("replaces a symbol's override rather than adding a second one", async () => {
    const user = await createUser(db.pool);
    const account = await createManualAccount(db.appPool, userClaims(user), input());
    await saveInstrumentOverride(db.appPool, userClaims(user), account, { ...empty, symbol: "XAUUSD", contractSize: "10" });
    await saveInstrumentOverride(db.appPool, userClaims(user), account, { ...empty, symbol: "XAUUSD", tickValue: "0.1", digits: 2 });
    const { overrides } = await loadAccount(db.appPool, userClaims(user), account);
    expect(overrides).toEqual([{ ...empty, symbol: "XAUUSD", tickValue: "0.1", digits: 2 }]);
    await removeInstrumentOverride(db.appPool, userClaims(user), account, "XAUUSD");
    expect((await loadAccount(db.appPool, userClaims(user), account)).overrides).toEqual([]);
    expect((await refusal(removeInstrumentOverride(db.appPool, userClaims(user), account, "XAUUSD"))).code).toBe("not_found");
  });

  it("needs a contract size and profit currency for a symbol the catalogue lacks", async () => {
    const user = await createUser(db.pool);
    const account = await createManualAccount(db.appPool, userClaims(user), input());
    const error = await refusal(saveInstrumentOverride(db.appPool, userClaims(user), account, { ...empty, symbol: "ZZTOP", contractSize: "5" }));
    expect(error.code).toBe("bad_request");
    expect(error.message).toBe("ZZTOP isn't in the instrument catalogue, so give at least its contract size and profit currency.");
    await saveInstrumentOverride(db.appPool, userClaims(user), account, { ...empty, symbol: "ZZTOP", contractSize: "5", profitCurrency: "USD" });
    expect((await loadAccount(db.appPool, userClaims(user), account)).overrides.map((o) => o.symbol)).toEqual(["ZZTOP"]);
  });
});

describe("deleting", () => {
  it("reports what will go, then deletes the account with its trades, journals, cash movements and overrides", async () => {
    const user = await createUser(db.pool);
    const account = await createManualAccount(db.appPool, userClaims(user), input());
    const trades = [];
    for (let i = 0; i < 3; i++) trades.push(await createTrade(db.pool, user, account));
    for (const trade of trades.slice(0, 2)) {
      await db.pool.query("insert into public.journals (user_id, trade_id, notes) values ($1, $2, 'note')", [user, trade]);
    }
    await db.pool.query("insert into public.cash_movements (user_id, account_id, kind, amount, occurred_at) values ($1, $2, 'deposit', 100, now())", [
      user,
      account,
    ]);
    await saveInstrumentOverride(db.appPool, userClaims(user), account, {
      symbol: "XAUUSD",
      contractSize: "10",
      point: null,
      pipSize: null,
      tickSize: null,
      tickValue: null,
      digits: null,
      profitCurrency: null,
      calculationMode: null,
    });

    const { account: detail, overrides } = await loadAccount(db.appPool, userClaims(user), account);
    expect({ trades: detail.tradeCount, cash: detail.cashMovementCount, journals: detail.journalCount, overrides: overrides.length }).toEqual({
      trades: 3,
      cash: 1,
      journals: 2,
      overrides: 1,
    });

    expect(await deleteTradingAccount(db.appPool, userClaims(user), account)).toEqual({ name: "Manual" });
    const { rows } = await db.pool.query(
      `select (select count(*) from public.accounts where user_id = $1)::int as accounts,
              (select count(*) from public.trades where user_id = $1)::int as trades,
              (select count(*) from public.journals where user_id = $1)::int as journals,
              (select count(*) from public.cash_movements where user_id = $1)::int as cash,
              (select count(*) from public.account_instrument_overrides where user_id = $1)::int as overrides`,
      [user],
    );
    expect(rows[0]).toEqual({ accounts: 0, trades: 0, journals: 0, cash: 0, overrides: 0 });
    // The free slot is usable again.
    await createManualAccount(db.appPool, userClaims(user), input({ name: "Fresh start" }));
  });
});
