// Manual trade storage as the signed-in user: rows and legs, RLS on the
// account, the free plan's monthly limit (app check first, trigger backstop),
// and edits by source.
import { expect, it, describe } from "vitest";
import type { AccessClaims } from "../../app/lib/access-token.server.ts";
import { isAppError } from "../../app/lib/app-error.ts";
import { CATALOGUE } from "../../app/domain/instruments/catalogue.ts";
import type { ManualTradeValues } from "../../app/domain/trades/manual-trade.ts";
import {
  createManualTrade as createManualTradeInRequest,
  loadEditableTrade as loadEditableTradeInRequest,
  loadTradeFormData as loadTradeFormDataInRequest,
  MONTHLY_LIMIT_HINT,
  MT5_EDIT_REFUSAL,
  updateTrade as updateTradeInRequest,
} from "../../app/models/manual-trades.server.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createTrade, createUser, userClaims } from "../support/fixtures.ts";
import { asRequest } from "./as-request.ts";

const createManualTrade = asRequest(createManualTradeInRequest);
const loadEditableTrade = asRequest(loadEditableTradeInRequest);
const loadTradeFormData = asRequest(loadTradeFormDataInRequest);
const updateTrade = asRequest(updateTradeInRequest);

const db = await createTestDatabase();
const claimsOf = (userId: string) => ({ ...userClaims(userId), exp: Math.floor(Date.now() / 1000) + 3600 }) as AccessClaims;

function eurusd(accountId: string, overrides: Partial<ManualTradeValues> = {}): ManualTradeValues {
  return {
    accountId,
    accountCurrency: "USD",
    symbol: "EURUSD",
    brokerSymbol: "EURUSD.Z",
    direction: "buy",
    openedAt: new Date("2026-03-02T09:15:00Z"),
    closedAt: new Date("2026-03-02T11:40:00Z"),
    entryPrice: "1.0825",
    exitPrice: "1.0842",
    lots: "0.5",
    stopLoss: "1.081",
    takeProfit: "1.0855",
    commission: "-3.5",
    swap: "0",
    fee: "0",
    brokerProfit: null,
    conversionRate: null,
    spec: CATALOGUE.get("EURUSD")!,
    comment: "by hand",
    ...overrides,
  };
}

async function caught(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

describe("createManualTrade", () => {
  it("stores a closed trade with its computed P&L, legs and traceable rate", async () => {
    const user = await createUser(db.pool);
    const account = await createAccount(db.pool, user);
    const id = await createManualTrade(db.appPool, claimsOf(user), eurusd(account));
    const { rows } = await db.pool.query("select * from public.trades where id = $1", [id]);
    const row = rows[0];
    expect(row).toMatchObject({
      user_id: user,
      account_id: account,
      source: "manual",
      symbol: "EURUSD",
      broker_symbol: "EURUSD.Z",
      status: "closed",
      gross_profit: "85.00",
      commission: "-3.5",
      net_profit: "81.50",
      pnl_source: "computed",
      profit_currency: "USD",
      conversion_rate: "1",
      pips: "17",
      initial_stop_loss: "1.081",
      initial_risk_amount: "75.00",
      session_tag: "london",
      comment: "by hand",
    });
    expect(row.position_id).toMatch(/^manual:[0-9a-f-]{36}$/);
    const legs = await db.pool.query(
      "select kind, direction, volume, price, profit from public.trade_legs where trade_id = $1 order by executed_at",
      [id],
    );
    expect(legs.rows).toEqual([
      { kind: "entry", direction: "buy", volume: "0.5", price: "1.0825", profit: "0" },
      { kind: "exit", direction: "sell", volume: "0.5", price: "1.0842", profit: "85.00" },
    ]);
  });

  it("stores an open trade with one leg", async () => {
    const user = await createUser(db.pool);
    const account = await createAccount(db.pool, user);
    const id = await createManualTrade(db.appPool, claimsOf(user), eurusd(account, { closedAt: null, exitPrice: null }));
    const { rows } = await db.pool.query(
      "select status, closed_at, exit_price, gross_profit, (select count(*)::int from public.trade_legs l where l.trade_id = t.id) as legs from public.trades t where id = $1",
      [id],
    );
    expect(rows[0]).toEqual({ status: "open", closed_at: null, exit_price: null, gross_profit: "0", legs: 1 });
  });

  it("refuses another user's account and stores nothing", async () => {
    const owner = await createUser(db.pool);
    const ownersAccount = await createAccount(db.pool, owner);
    const intruder = await createUser(db.pool);
    await createAccount(db.pool, intruder);
    const error = await caught(createManualTrade(db.appPool, claimsOf(intruder), eurusd(ownersAccount)));
    expect(isAppError(error) && error.message).toBe("Choose one of your accounts.");
    const { rows } = await db.pool.query("select count(*)::int as n from public.trades where account_id = $1", [ownersAccount]);
    expect(rows[0].n).toBe(0);
  });

  it("stops the 16th trade of the month on the free plan before inserting", async () => {
    const user = await createUser(db.pool);
    const account = await createAccount(db.pool, user);
    for (let i = 0; i < 15; i++) await createTrade(db.pool, user, account);
    const form = await loadTradeFormData(db.appPool, claimsOf(user));
    expect(form.allowance).toEqual({ limit: 15, addedThisMonth: 15 });
    const error = await caught(createManualTrade(db.appPool, claimsOf(user), eurusd(account)));
    expect(isAppError(error) && error.hint).toBe(MONTHLY_LIMIT_HINT);
    expect(String((error as Error).message)).toMatch(/free plan records up to 15 trades a month/);
    const { rows } = await db.pool.query("select count(*)::int as n from public.trades where user_id = $1", [user]);
    expect(rows[0].n).toBe(15);
    // Trades from last month don't count.
    await db.pool.query("update public.trades set created_at = created_at - interval '40 days' where user_id = $1", [user]);
    await expect(createManualTrade(db.appPool, claimsOf(user), eurusd(account))).resolves.toMatch(/^[0-9a-f-]{36}$/);
  });

  it("maps the database backstop (RJ001) to the same prompt when a concurrent insert wins the race", async () => {
    const user = await createUser(db.pool);
    const account = await createAccount(db.pool, user);
    for (let i = 0; i < 14; i++) await createTrade(db.pool, user, account);
    // A 15th trade in flight: our check still sees 14, the trigger waits for it and then sees 16.
    const racer = await db.pool.connect();
    try {
      await racer.query("begin");
      await racer.query(
        `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, volume, entry_price)
         values ($1, $2, 'racer', 'EURUSD', 'buy', 'open', now(), 1, 1.1)`,
        [user, account],
      );
      const attempt = caught(createManualTrade(db.appPool, claimsOf(user), eurusd(account)));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await racer.query("commit");
      const error = await attempt;
      expect(isAppError(error) && error.hint).toBe(MONTHLY_LIMIT_HINT);
      expect(((error as Error).cause as { code?: string }).code).toBe("RJ001");
    } finally {
      racer.release();
    }
    const { rows } = await db.pool.query("select count(*)::int as n from public.trades where user_id = $1", [user]);
    expect(rows[0].n).toBe(15);
  });

  it("does not limit paid plans", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    const account = await createAccount(db.pool, user);
    for (let i = 0; i < 15; i++) await createTrade(db.pool, user, account);
    await expect(createManualTrade(db.appPool, claimsOf(user), eurusd(account))).resolves.toBeTruthy();
  });
});

describe("loadTradeFormData", () => {
  it("lists the user's accounts, time zone and the latest cached FX closes", async () => {
    const user = await createUser(db.pool, { timeZone: "Asia/Tokyo" });
    const account = await createAccount(db.pool, user, { name: "Yen book", currency: "JPY" });
    await db.pool.query(
      `insert into public.candle_cache (symbol, timeframe, opened_at, open, high, low, close) values
         ('USDJPY', 'H1', '2026-03-02T10:00Z', 150, 151, 149, 150.5), ('USDJPY', 'H1', '2026-03-02T11:00Z', 150.5, 152, 150, 151.25),
         ('NAS100', 'H1', '2026-03-02T11:00Z', 1, 1, 1, 1)`,
    );
    await db.pool.query(
      "insert into public.account_instrument_overrides (user_id, account_id, symbol, contract_size, digits) values ($1, $2, 'US500', 10, 1)",
      [user, account],
    );
    const form = await loadTradeFormData(db.appPool, claimsOf(user));
    expect(form.accounts).toEqual([{ id: account, name: "Yen book", currency: "JPY", kind: "manual" }]);
    expect(form.overrides).toEqual({ [account]: { US500: { contractSize: "10", digits: 1 } } });
    expect(form.timeZone).toBe("Asia/Tokyo");
    expect(form.quotes.USDJPY).toBe("151.25");
    expect(form.quotes.NAS100).toBeUndefined();
  });
});

describe("updateTrade", () => {
  it("rewrites a manual trade and keeps its initial stop", async () => {
    const user = await createUser(db.pool);
    const account = await createAccount(db.pool, user);
    const id = await createManualTrade(db.appPool, claimsOf(user), eurusd(account));
    await updateTrade(db.appPool, claimsOf(user), id, eurusd(account, { exitPrice: "1.0845", stopLoss: "1.0830", brokerProfit: "100.10" }));
    const trade = await loadEditableTrade(db.appPool, claimsOf(user), id);
    expect(trade).toMatchObject({ exitPrice: "1.0845", initialStopLoss: "1.081", stopLoss: "1.0830", grossProfit: "100.10", pnlSource: "user" });
    const legs = await db.pool.query("select price from public.trade_legs where trade_id = $1 and kind = 'exit'", [id]);
    expect(legs.rows).toEqual([{ price: "1.0845" }]);
  });

  it("keeps a file trade's broker P&L unless a money field changes", async () => {
    const user = await createUser(db.pool);
    const account = await createAccount(db.pool, user);
    const id = await createTrade(db.pool, user, account, { gross_profit: "85.00" });
    await db.pool.query("update public.trades set source = 'file', pnl_source = 'broker', commission = -3.5 where id = $1", [id]);
    const unchanged = eurusd(account, { brokerProfit: "85", commission: "-3.50", comment: "reviewed" });
    await updateTrade(db.appPool, claimsOf(user), id, unchanged);
    expect(await loadEditableTrade(db.appPool, claimsOf(user), id)).toMatchObject({ pnlSource: "broker", grossProfit: "85.00", comment: "reviewed" });
    await updateTrade(db.appPool, claimsOf(user), id, { ...unchanged, swap: "-1.2" });
    expect(await loadEditableTrade(db.appPool, claimsOf(user), id)).toMatchObject({ pnlSource: "user", grossProfit: "85", swap: "-1.2" });
  });

  it("refuses MT5-synced trades and other users' trades", async () => {
    const user = await createUser(db.pool);
    const account = await createAccount(db.pool, user);
    const id = await createTrade(db.pool, user, account);
    await db.pool.query("update public.trades set source = 'mt5' where id = $1", [id]);
    const error = await caught(updateTrade(db.appPool, claimsOf(user), id, eurusd(account)));
    expect(isAppError(error) && error.message).toBe(MT5_EDIT_REFUSAL);
    const other = await createUser(db.pool);
    const otherError = await caught(loadEditableTrade(db.appPool, claimsOf(other), id));
    expect(isAppError(otherError) && otherError.code).toBe("not_found");
  });
});
