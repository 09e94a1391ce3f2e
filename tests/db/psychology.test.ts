// Psychology signals against a real database: a hand-built sequence read by
// the model as the user (RLS), on the user's own trading day (17:00 New York,
// after the US clock change), with net P&L including commission and swap.
import { describe, expect, it } from "vitest";
import { loadDaySignals, loadSignalsComparison, loadSignalsComparisonCached, loadTradeSignals } from "../../app/models/psychology.server.ts";
import { parseAnalyticsFilters } from "../../app/schemas/analytics-filters.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createUser, userClaims, type Queryable } from "../support/fixtures.ts";
import { asRequestOf } from "./as-request.ts";

const tradeSignals = asRequestOf(loadTradeSignals);
const daySignals = asRequestOf(loadDaySignals);
const comparison = asRequestOf(loadSignalsComparison);
const cachedComparison = asRequestOf(loadSignalsComparisonCached);

const db = await createTestDatabase();

interface Fields {
  symbol?: string;
  opened: string;
  closed: string | null;
  volume: string;
  gross: string;
  commission?: string;
  swap?: string;
}

async function trade(pool: Queryable, userId: string, accountId: string, f: Fields): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at,
       volume, closed_volume, entry_price, exit_price, gross_profit, commission, swap, source)
     values ($1, $2, gen_random_uuid()::text, $3, 'buy', $4, $5, $6, $7, $8, 1.1, $9, $10, $11, $12, 'manual') returning id`,
    [
      userId,
      accountId,
      f.symbol ?? "EURUSD",
      f.closed ? "closed" : "open",
      f.opened,
      f.closed,
      f.volume,
      f.closed ? f.volume : "0",
      f.closed ? 1.2 : null,
      f.gross,
      f.commission ?? "0",
      f.swap ?? "0",
    ],
  );
  return rows[0]!.id;
}

async function trader() {
  const userId = await createUser(db.pool, { tier: "pro" });
  await db.pool.query(
    "update public.user_settings set time_zone = 'UTC', trading_day_start_hour = 17, trading_day_time_zone = 'America/New_York' where user_id = $1",
    [userId],
  );
  const main = await createAccount(db.pool, userId, { name: "Main" });
  const other = await createAccount(db.pool, userId, { name: "Other" });
  // Ten quiet days, one small win each, closed at noon UTC (morning in New York): 2026-03-01 … 03-10.
  for (let day = 1; day <= 10; day++) {
    const date = `2026-03-${String(day).padStart(2, "0")}`;
    await trade(db.pool, userId, main, { opened: `${date}T11:00:00Z`, closed: `${date}T12:00:00Z`, volume: "0.5", gross: "10" });
  }
  // Trading day 2026-03-12 starts 2026-03-11 21:00 UTC (17:00 EDT, the US clocks went forward on 8 March).
  const loss = await trade(db.pool, userId, main, {
    opened: "2026-03-11T21:05:00Z",
    closed: "2026-03-11T21:30:00Z",
    volume: "1",
    gross: "-230",
    commission: "-7",
    swap: "-3",
  });
  const revenge = await trade(db.pool, userId, main, {
    symbol: "GBPUSD",
    opened: "2026-03-11T21:42:00Z",
    closed: "2026-03-11T22:10:00Z",
    volume: "1.6",
    gross: "35",
  });
  // Other account, bigger, soon after the loss: not compared with another account's loss.
  const elsewhere = await trade(db.pool, userId, other, { opened: "2026-03-11T21:35:00Z", closed: "2026-03-12T14:00:00Z", volume: "5", gross: "1" });
  // A losing position still open (a partial close realised −50): no loss yet for the trade after it.
  const openLoss = await trade(db.pool, userId, main, { opened: "2026-03-12T13:00:00Z", closed: null, volume: "1", gross: "-50" });
  const afterOpenLoss = await trade(db.pool, userId, main, {
    opened: "2026-03-12T13:10:00Z",
    closed: "2026-03-12T13:40:00Z",
    volume: "3",
    gross: "-20",
  });
  // A gross profit turned into a loss by commission: a loss (net < 0), so the bigger trade 10 min later is flagged.
  const costLoss = await trade(db.pool, userId, main, {
    opened: "2026-03-12T14:00:00Z",
    closed: "2026-03-12T14:20:00Z",
    volume: "1",
    gross: "5",
    commission: "-7",
  });
  const afterCostLoss = await trade(db.pool, userId, main, { opened: "2026-03-12T14:30:00Z", closed: null, volume: "1.5", gross: "0" });
  return { userId, main, other, loss, revenge, elsewhere, openLoss, afterOpenLoss, costLoss, afterCostLoss };
}

describe("psychology signals in the database", () => {
  it("flag one trade with the loss it followed, and the overtrading day it closed on", async () => {
    const t = await trader();
    const claims = userClaims(t.userId);
    expect(await tradeSignals(db.appPool, claims, t.userId, t.revenge)).toEqual({
      currency: "USD",
      revenge: { lossTradeId: t.loss, lossSymbol: "EURUSD", lossNet: "-240", minutesAfterLoss: 12, sizeRatio: "1.60" },
      // 2026-03-12 holds 5 closed trades; the median of 11 active days is 1.
      overtradingDay: { day: "2026-03-12", trades: 5, medianPerDay: 1, threshold: 2 },
    });
    expect((await tradeSignals(db.appPool, claims, t.userId, t.elsewhere))?.revenge).toBeNull();
    expect((await tradeSignals(db.appPool, claims, t.userId, t.afterOpenLoss))?.revenge).toBeNull();
    // An open trade can be flagged; it has no day yet.
    expect(await tradeSignals(db.appPool, claims, t.userId, t.afterCostLoss)).toMatchObject({
      revenge: { lossTradeId: t.costLoss, lossNet: "-2", minutesAfterLoss: 10, sizeRatio: "1.50" },
      overtradingDay: null,
    });
    // A quiet day's trade: no signal.
    const { rows } = await db.pool.query<{ id: string }>("select id from public.trades where user_id = $1 and closed_at = '2026-03-05T12:00:00Z'", [
      t.userId,
    ]);
    expect(await tradeSignals(db.appPool, claims, t.userId, rows[0]!.id)).toEqual({ currency: "USD", revenge: null, overtradingDay: null });
  });

  it("report one trading day: its count against the median, and its revenge trades", async () => {
    const t = await trader();
    const day = await daySignals(db.appPool, userClaims(t.userId), t.userId, "2026-03-12");
    expect(day).toEqual({
      day: "2026-03-12",
      trades: 5,
      medianPerDay: 1,
      threshold: 2,
      activeDays: 11,
      minActiveDays: 10,
      overtrading: true,
      revengeTrades: [
        {
          tradeId: t.revenge,
          symbol: "GBPUSD",
          currency: "USD",
          lossTradeId: t.loss,
          lossSymbol: "EURUSD",
          lossNet: "-240",
          minutesAfterLoss: 12,
          sizeRatio: "1.60",
        },
      ],
    });
    const quiet = await daySignals(db.appPool, userClaims(t.userId), t.userId, "2026-03-05");
    expect(quiet).toMatchObject({ trades: 1, overtrading: false, revengeTrades: [] });
  });

  it("compare flagged and unflagged trades under the analytics filters, reading signals from the whole history", async () => {
    const t = await trader();
    const scope = { accountIds: [t.main], currency: "USD", dayRule: { timeZone: "America/New_York", dayStartMinutes: 17 * 60 } };
    const now = new Date("2026-03-20T12:00:00Z");
    const all = await comparison(db.appPool, userClaims(t.userId), t.userId, scope, parseAnalyticsFilters(new URLSearchParams("period=all")), now);
    expect(all.rows).toEqual([
      { group: "revenge", trades: 1, wins: 1, losses: 0, net: "35", winRate: 1, expectancy: "35" },
      // Main's closed trades on 2026-03-12: the loss, the revenge trade, the one after the open loss, the cost loss.
      { group: "overtrading", trades: 4, wins: 1, losses: 3, net: "-227", winRate: 0.25, expectancy: "-56.75" },
      { group: "flagged", trades: 4, wins: 1, losses: 3, net: "-227", winRate: 0.25, expectancy: "-56.75" },
      { group: "unflagged", trades: 10, wins: 10, losses: 0, net: "100", winRate: 1, expectancy: "10" },
    ]);
    expect(all).toMatchObject({ activeDays: 11, medianPerDay: 1, threshold: 2, currency: "USD" });
    // GBPUSD only: the revenge trade still counts (its loss was on EURUSD).
    const gbp = await comparison(
      db.appPool,
      userClaims(t.userId),
      t.userId,
      scope,
      parseAnalyticsFilters(new URLSearchParams("period=all&symbol=GBPUSD")),
      now,
    );
    expect(gbp.rows.map((row) => [row.group, row.trades])).toEqual([
      ["revenge", 1],
      ["overtrading", 1],
      ["flagged", 1],
      ["unflagged", 0],
    ]);
  });

  it("serve the comparison from the analytics cache until the user's data changes", async () => {
    const t = await trader();
    const scope = { accountIds: [t.main], currency: "USD", dayRule: { timeZone: "America/New_York", dayStartMinutes: 17 * 60 } };
    const now = new Date("2026-03-20T12:00:00Z");
    const filters = parseAnalyticsFilters(new URLSearchParams("period=all"));
    const fresh = await comparison(db.appPool, userClaims(t.userId), t.userId, scope, filters, now);
    expect(await cachedComparison(db.appPool, userClaims(t.userId), t.userId, scope, filters, now)).toEqual(fresh);
    const stored = await db.pool.query(
      "select count(*)::int as n from public.analytics_cache where user_id = $1 and cache_key like '%psychology-signals%'",
      [t.userId],
    );
    expect(stored.rows[0].n).toBe(1);
    // A cached answer is served as stored: doctor it, and the next read returns the doctored row…
    await db.pool.query("update public.analytics_cache set payload = jsonb_set(payload, '{threshold}', '99') where user_id = $1", [t.userId]);
    expect((await cachedComparison(db.appPool, userClaims(t.userId), t.userId, scope, filters, now)).threshold).toBe(99);
    // …until a trade changes: the data version moves and the figures are computed again.
    await trade(db.pool, t.userId, t.main, { opened: "2026-03-18T10:00:00Z", closed: "2026-03-18T11:00:00Z", volume: "0.1", gross: "5" });
    const after = await cachedComparison(db.appPool, userClaims(t.userId), t.userId, scope, filters, now);
    expect(after.threshold).toBe(fresh.threshold);
    expect(after.rows.find((row) => row.group === "unflagged")!.trades).toBe(fresh.rows.find((row) => row.group === "unflagged")!.trades + 1);
  });

  it("break a tie between two losses closed in the same instant by id, on the trade page and in /analytics alike", async () => {
    const userId = await createUser(db.pool, { tier: "pro" });
    const account = await createAccount(db.pool, userId, { name: "Main" });
    const insert = (id: string, opened: string, closed: string, volume: string, gross: string) =>
      db.pool.query(
        `insert into public.trades (id, user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at, volume, closed_volume,
           entry_price, exit_price, gross_profit, source)
         values ($1::uuid, $2, $3, $1::text, 'EURUSD', 'buy', 'closed', $4, $5, $6, $6, 1.1, 1.2, $7, 'manual')`,
        [id, userId, account, opened, closed, volume, gross],
      );
    // Both close at 10:00; the later by id (bbbb…) is 1 lot, so 1.6 lots is 1.6× it (it would be 0.8× aaaa…).
    await insert("bbbbbbbb-0000-4000-8000-000000000000", "2026-05-04T09:30:00Z", "2026-05-04T10:00:00Z", "1", "-10");
    await insert("aaaaaaaa-0000-4000-8000-000000000000", "2026-05-04T09:00:00Z", "2026-05-04T10:00:00Z", "2", "-10");
    await insert("cccccccc-0000-4000-8000-000000000000", "2026-05-04T10:05:00Z", "2026-05-04T10:30:00Z", "1.6", "5");
    const claims = userClaims(userId);
    expect((await tradeSignals(db.appPool, claims, userId, "cccccccc-0000-4000-8000-000000000000"))?.revenge).toMatchObject({
      lossTradeId: "bbbbbbbb-0000-4000-8000-000000000000",
      sizeRatio: "1.60",
    });
    const rows = await comparison(
      db.appPool,
      claims,
      userId,
      { accountIds: [account], currency: "USD", dayRule: { timeZone: "UTC", dayStartMinutes: 0 } },
      parseAnalyticsFilters(new URLSearchParams("period=all")),
      new Date("2026-05-20T12:00:00Z"),
    );
    expect(rows.rows[0]).toMatchObject({ group: "revenge", trades: 1, net: "5" });
  });

  it("never read another user's trades (RLS)", async () => {
    const t = await trader();
    const mallory = await createUser(db.pool, { tier: "pro" });
    const claims = userClaims(mallory);
    expect(await tradeSignals(db.appPool, claims, mallory, t.revenge)).toBeNull();
    // Even passing the victim's id and accounts: RLS leaves nothing to read.
    expect(await tradeSignals(db.appPool, claims, t.userId, t.revenge)).toBeNull();
    expect(await daySignals(db.appPool, claims, t.userId, "2026-03-12")).toMatchObject({ trades: 0, activeDays: 0, revengeTrades: [] });
    const stolen = await comparison(
      db.appPool,
      claims,
      t.userId,
      { accountIds: [t.main], currency: "USD", dayRule: { timeZone: "UTC", dayStartMinutes: 0 } },
      parseAnalyticsFilters(new URLSearchParams("period=all")),
      new Date("2026-03-20T12:00:00Z"),
    );
    expect(stolen.rows.every((row) => row.trades === 0)).toBe(true);
  });
});
