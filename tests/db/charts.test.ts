// The /charts loaders against a real database: the symbol list and one
// symbol's trades under the analytics URL's period and account, as the user —
// another user's trades never appear, whatever the URL says.
import { describe, expect, it } from "vitest";
import {
  loadTradedSymbols as loadTradedSymbolsInRequest,
  loadSymbolTrades as loadSymbolTradesInRequest,
} from "../../app/models/charts/symbol-chart.server.ts";
import { loadTickerSymbols as loadTickerSymbolsInRequest } from "../../app/models/charts/ticker.server.ts";
import { unpackTrades } from "../../app/domain/charts/packed-trades.ts";
import { parseAnalyticsFilters } from "../../app/schemas/analytics-filters.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createTrade, createUser, userClaims } from "../support/fixtures.ts";
import { asRequestOf } from "./as-request.ts";

const db = await createTestDatabase();
const NOW = new Date("2026-12-06T12:00:00Z");
const loadTradedSymbols = (userId: string, query: string) =>
  asRequestOf(loadTradedSymbolsInRequest)(db.appPool, userClaims(userId), userId, parseAnalyticsFilters(new URLSearchParams(query)), NOW);
const loadSymbolTrades = (userId: string, symbol: string, query: string) =>
  asRequestOf(loadSymbolTradesInRequest)(db.appPool, userClaims(userId), userId, symbol, parseAnalyticsFilters(new URLSearchParams(query)), NOW);

/** Alice: two USD accounts and a EUR one, trades on EURUSD and XAUUSD in November and October; Bob trades EURUSD too. */
async function arrange() {
  const alice = await createUser(db.pool, { tier: "pro", timeZone: "UTC" });
  await db.pool.query("update public.user_settings set trading_day_start_hour = 0, trading_day_time_zone = null where user_id = $1", [alice]);
  const main = await createAccount(db.pool, alice, { name: "Main" });
  const prop = await createAccount(db.pool, alice, { name: "Prop" });
  const euro = await createAccount(db.pool, alice, { name: "Euro", currency: "EUR" });
  const novWin = await createTrade(db.pool, alice, main, {
    opened_at: "2026-11-03T08:00:00Z",
    closed_at: "2026-11-03T10:00:00Z",
    gross_profit: "120.50",
  });
  const novLoss = await createTrade(db.pool, alice, prop, {
    direction: "sell",
    opened_at: "2026-11-10T08:00:00Z",
    closed_at: "2026-11-10T09:30:00Z",
    entry_price: "1.09000",
    exit_price: "1.09200",
    gross_profit: "-40.25",
  });
  const octWin = await createTrade(db.pool, alice, main, {
    opened_at: "2026-10-20T08:00:00Z",
    closed_at: "2026-10-20T12:00:00Z",
    gross_profit: "10",
  });
  const open = await createTrade(db.pool, alice, main, {
    opened_at: "2026-11-28T08:00:00Z",
    closed_at: null,
    status: "open",
    exit_price: null,
    gross_profit: "0",
  });
  const gold = await createTrade(db.pool, alice, main, {
    symbol: "XAUUSD",
    opened_at: "2026-11-20T08:00:00Z",
    closed_at: "2026-11-21T08:00:00Z",
    entry_price: "2650.10",
    exit_price: "2660.10",
    gross_profit: "100",
  });
  const euroTrade = await createTrade(db.pool, alice, euro, { opened_at: "2026-11-05T08:00:00Z", closed_at: "2026-11-05T09:00:00Z" });
  const bob = await createUser(db.pool, { tier: "pro", timeZone: "UTC" });
  const bobs = await createAccount(db.pool, bob);
  const bobTrade = await createTrade(db.pool, bob, bobs, { opened_at: "2026-11-04T08:00:00Z", closed_at: "2026-11-04T09:00:00Z" });
  return { alice, bob, main, prop, euro, novWin, novLoss, octWin, open, gold, euroTrade, bobTrade };
}

const NOVEMBER = "period=custom&from=2026-11-01&to=2026-11-30";

describe("loadTradedSymbols", () => {
  it("lists the view's symbols with their counts, net and last traded time, most recent first", async () => {
    const a = await arrange();
    const view = await loadTradedSymbols(a.alice, NOVEMBER);
    expect(view.scope.key).toBe("all-USD");
    expect(view.period).toMatchObject({ key: "custom", firstDay: "2026-11-01", lastDay: "2026-11-30" });
    expect(view.symbols).toEqual([
      // The open trade (opened 28 Nov) counts: it was open during November.
      { symbol: "EURUSD", trades: 3, wins: 1, losses: 1, open: 1, net: "80.25", lastTradedAt: Date.parse("2026-11-28T08:00:00Z") },
      { symbol: "XAUUSD", trades: 1, wins: 1, losses: 0, open: 0, net: "100", lastTradedAt: Date.parse("2026-11-21T08:00:00Z") },
    ]);
  });

  it("narrows to one account and one currency's accounts, and never shows another user's symbols", async () => {
    const a = await arrange();
    const prop = await loadTradedSymbols(a.alice, `${NOVEMBER}&account=${a.prop}`);
    expect(prop.symbols.map((s) => [s.symbol, s.trades])).toEqual([["EURUSD", 1]]);
    const euro = await loadTradedSymbols(a.alice, `${NOVEMBER}&account=all-EUR`);
    expect(euro.symbols.map((s) => [s.symbol, s.trades])).toEqual([["EURUSD", 1]]);
    // Bob's view, even naming Alice's account in the URL, is Bob's alone.
    const bob = await loadTradedSymbols(a.bob, `${NOVEMBER}&account=${a.main}`);
    expect(bob.symbols).toEqual([
      { symbol: "EURUSD", trades: 1, wins: 1, losses: 0, open: 0, net: "85.00", lastTradedAt: Date.parse("2026-11-04T09:00:00Z") },
    ]);
  });
});

describe("loadSymbolTrades", () => {
  it("returns the period's trades on the symbol in opening order, as the chart takes them", async () => {
    const a = await arrange();
    const view = await loadSymbolTrades(a.alice, "EURUSD", NOVEMBER);
    expect(unpackTrades(view.packed)).toEqual([
      {
        id: a.novWin,
        direction: "buy",
        status: "closed",
        openedAt: Date.parse("2026-11-03T08:00:00Z") / 1000,
        closedAt: Date.parse("2026-11-03T10:00:00Z") / 1000,
        entryPrice: "1.08250",
        exitPrice: "1.08420",
        volume: "0.50",
        netProfit: "120.50",
      },
      {
        id: a.novLoss,
        direction: "sell",
        status: "closed",
        openedAt: Date.parse("2026-11-10T08:00:00Z") / 1000,
        closedAt: Date.parse("2026-11-10T09:30:00Z") / 1000,
        entryPrice: "1.09000",
        exitPrice: "1.09200",
        volume: "0.50",
        netProfit: "-40.25",
      },
      {
        id: a.open,
        direction: "buy",
        status: "open",
        openedAt: Date.parse("2026-11-28T08:00:00Z") / 1000,
        closedAt: null,
        entryPrice: "1.08250",
        exitPrice: null,
        volume: "0.50",
        netProfit: null,
      },
    ]);
    expect(view.net).toBe("80.25");
    expect(view.counts).toEqual({ trades: 3, win: 1, loss: 1, breakeven: 0, open: 1 });
    expect([view.firstOpenedAt, view.lastOpenedAt]).toEqual([Date.parse("2026-11-03T08:00:00Z") / 1000, Date.parse("2026-11-28T08:00:00Z") / 1000]);
    expect(view.periodFrom).toBe(Date.parse("2026-11-01T00:00:00Z") / 1000);
    expect(view.periodTo).toBe(Date.parse("2026-12-01T00:00:00Z") / 1000);
  });

  it("narrows by period and account, and shows nothing of another user's", async () => {
    const a = await arrange();
    const october = await loadSymbolTrades(a.alice, "EURUSD", "period=custom&from=2026-10-01&to=2026-10-31");
    expect(unpackTrades(october.packed).map((t) => t.id)).toEqual([a.octWin]);
    const prop = await loadSymbolTrades(a.alice, "EURUSD", `${NOVEMBER}&account=${a.prop}`);
    expect(unpackTrades(prop.packed).map((t) => t.id)).toEqual([a.novLoss]);
    const all = await loadSymbolTrades(a.alice, "EURUSD", "period=all");
    expect(unpackTrades(all.packed).map((t) => t.id)).toEqual([a.octWin, a.novWin, a.novLoss, a.open]);
    expect(unpackTrades(all.packed).map((t) => t.id)).not.toContain(a.bobTrade);
    // Bob asking with Alice's account id sees only his own trade.
    const bob = await loadSymbolTrades(a.bob, "EURUSD", `period=all&account=${a.main}`);
    expect(unpackTrades(bob.packed).map((t) => t.id)).toEqual([a.bobTrade]);
    const none = await loadSymbolTrades(a.alice, "GBPUSD", "period=all");
    expect(none.packed).toBe("");
    expect(none.counts.trades).toBe(0);
    expect(none.firstOpenedAt).toBeNull();
    expect(none.net).toBe("0");
  });
});

describe("loadTickerSymbols", () => {
  it("gives each symbol the user holds a position in with its two newest daily bars, and none of another user's", async () => {
    const a = await arrange();
    const mt5 = await createAccount(db.pool, a.alice, { kind: "mt5", mt5_server: "Demo", mt5_login: 7 });
    await db.pool.query(
      `insert into public.open_positions (user_id, account_id, position_id, symbol, direction, opened_at, volume, entry_price)
       values ($1, $2, '1', 'EURUSD', 'buy', now(), 1, 1.08), ($1, $2, '2', 'EURUSD', 'sell', now(), 1, 1.09),
              ($1, $2, '3', 'GBPJPY', 'buy', now(), 1, 190.1)`,
      [a.alice, mt5],
    );
    const bobs = await createAccount(db.pool, a.bob, { kind: "mt5", mt5_server: "Demo", mt5_login: 8 });
    await db.pool.query(
      `insert into public.open_positions (user_id, account_id, position_id, symbol, direction, opened_at, volume, entry_price)
       values ($1, $2, '1', 'XAUUSD', 'buy', now(), 1, 2650)`,
      [a.bob, bobs],
    );
    await db.pool.query(
      `insert into public.candle_cache (symbol, timeframe, opened_at, open, high, low, close) values
         ('EURUSD', 'D1', '2026-12-02T22:00:00Z', 1.08, 1.09, 1.07, 1.08100),
         ('EURUSD', 'D1', '2026-12-03T22:00:00Z', 1.08, 1.09, 1.07, 1.08200),
         ('EURUSD', 'D1', '2026-12-04T22:00:00Z', 1.08, 1.09, 1.07, 1.08350),
         ('EURUSD', 'H1', '2026-12-05T10:00:00Z', 1.08, 1.09, 1.07, 1.08360)`,
    );
    const ticker = await asRequestOf(loadTickerSymbolsInRequest)(db.appPool, userClaims(a.alice), a.alice);
    expect(ticker).toEqual([
      {
        symbol: "EURUSD",
        bars: [
          { time: Date.parse("2026-12-04T22:00:00Z") / 1000, close: "1.08350" },
          { time: Date.parse("2026-12-03T22:00:00Z") / 1000, close: "1.08200" },
        ],
      },
      { symbol: "GBPJPY", bars: [] },
    ]);
  });
});
