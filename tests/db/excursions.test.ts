// MAE/MFE as the user reads it (RLS): a trade's measurement and its states,
// the backfill's progress, and the averages beside each analytics breakdown
// row, worked out by hand from the rows below.
import { describe, expect, it } from "vitest";
import { dayRuleOf } from "../../app/domain/periods/trading-day.ts";
import { loadExcursionBreakdowns, loadExcursionProgress, loadTradeExcursion } from "../../app/models/excursions/excursions.server.ts";
import { parseAnalyticsFilters } from "../../app/schemas/analytics-filters.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createTag, createTrade, createUser, userClaims } from "../support/fixtures.ts";
import { asRequestOf } from "./as-request.ts";

const tradeExcursion = asRequestOf(loadTradeExcursion);
const progress = asRequestOf(loadExcursionProgress);
const breakdowns = asRequestOf(loadExcursionBreakdowns);

const db = await createTestDatabase();

async function measure(tradeId: string, userId: string, fields: { maeR: string | null; mfeR: string | null; efficiency: string | null }) {
  await db.pool.query(
    `insert into public.trade_excursions (trade_id, user_id, status, timeframe, mae_price, mfe_price, mae_pips, mfe_pips, mae_money, mfe_money,
       mae_r, mfe_r, efficiency, mae_at, mfe_at, bars, trade_closed_at)
     select $1, $2, 'measured', 'M1', 0.001, 0.002, 10, 20, 50, 100, $3, $4, $5, t.opened_at, t.opened_at, 5, t.closed_at
       from public.trades t where t.id = $1`,
    [tradeId, userId, fields.maeR, fields.mfeR, fields.efficiency],
  );
}

describe("trade excursions as the user reads them", () => {
  it("shows a trade's measurement, pending until measured for its current close, and never another user's", async () => {
    const user = await createUser(db.pool);
    const other = await createUser(db.pool);
    const account = await createAccount(db.pool, user);
    const trade = await createTrade(db.pool, user, account);
    const open = await createTrade(db.pool, user, account, {
      status: "open",
      closed_at: null as unknown as string,
      exit_price: null as unknown as string,
    });
    expect(await tradeExcursion(db.appPool, userClaims(user), trade)).toEqual({ state: "pending" });
    expect(await tradeExcursion(db.appPool, userClaims(user), open)).toBeNull();

    await measure(trade, user, { maeR: "0.5", mfeR: "1", efficiency: "0.75" });
    expect(await tradeExcursion(db.appPool, userClaims(user), trade)).toMatchObject({
      state: "measured",
      timeframe: "M1",
      maePips: "10",
      mfePips: "20",
      maeMoney: "50",
      mfeMoney: "100",
      maeR: "0.5",
      mfeR: "1",
      efficiency: "0.75",
    });
    expect(await tradeExcursion(db.appPool, userClaims(other), trade)).toBeNull();

    // The close moved (an edit): the old measurement no longer counts.
    await db.pool.query("update public.trades set closed_at = closed_at + interval '1 minute' where id = $1", [trade]);
    expect(await tradeExcursion(db.appPool, userClaims(user), trade)).toEqual({ state: "pending" });
    await db.pool.query(
      "update public.trade_excursions set status = 'unknown_symbol', timeframe = null, mae_price = null, mfe_price = null, trade_closed_at = t.closed_at from public.trades t where t.id = trade_id and trade_id = $1",
      [trade],
    );
    expect(await tradeExcursion(db.appPool, userClaims(user), trade)).toEqual({ state: "unknown_symbol" });
  });

  it("counts progress and averages MAE/MFE in R and efficiency per breakdown row, R left out where a trade has none", async () => {
    const user = await createUser(db.pool);
    const account = await createAccount(db.pool, user);
    const tag = await createTag(db.pool, user, "breakout");
    // Opened Monday 2 March 2026, 09:15 and 14:15 UTC (London session); one EURUSD buy held 2 h 25 min, one sell held 20 min,
    // one GBPUSD buy held 10 min without a stop, one trade not measured yet.
    const a = await createTrade(db.pool, user, account, { opened_at: "2026-03-02T09:15:00Z", closed_at: "2026-03-02T11:40:00Z" });
    const b = await createTrade(db.pool, user, account, { direction: "sell", opened_at: "2026-03-02T14:15:00Z", closed_at: "2026-03-02T14:35:00Z" });
    const c = await createTrade(db.pool, user, account, { symbol: "GBPUSD", opened_at: "2026-03-02T09:20:00Z", closed_at: "2026-03-02T09:30:00Z" });
    await createTrade(db.pool, user, account, { opened_at: "2026-03-03T09:00:00Z", closed_at: "2026-03-03T09:10:00Z" });
    await db.pool.query("insert into public.trade_tags (user_id, trade_id, tag_id) values ($1, $2, $3), ($1, $4, $3)", [user, a, tag, c]);
    await measure(a, user, { maeR: "0.5", mfeR: "2", efficiency: "0.6" });
    await measure(b, user, { maeR: "1.5", mfeR: "1", efficiency: "-0.2" });
    await measure(c, user, { maeR: null, mfeR: null, efficiency: "1" });

    expect(await progress(db.appPool, userClaims(user), user)).toEqual({ closedTrades: 4, processed: 3, measured: 3 });

    const scope = {
      accountIds: [account],
      timeZone: "Europe/London",
      dayRule: dayRuleOf({ timeZone: "Europe/London", startHour: null, dayZone: null }),
    };
    const all = await breakdowns(
      db.appPool,
      userClaims(user),
      scope,
      parseAnalyticsFilters(new URLSearchParams("period=all")),
      new Date("2026-03-10T00:00:00Z"),
    );
    // EURUSD: a and b → MAE (0.5 + 1.5) / 2 = 1, MFE (2 + 1) / 2 = 1.5, efficiency (0.6 − 0.2) / 2 = 0.2.
    expect(all.symbol!.EURUSD).toEqual({ measured: 2, maeR: 1, mfeR: 1.5, efficiency: expect.closeTo(0.2, 10) });
    // GBPUSD: no stop, so no R — null, not 0.
    expect(all.symbol!.GBPUSD).toEqual({ measured: 1, maeR: null, mfeR: null, efficiency: 1 });
    // Side: buys a and c → R from a alone; efficiency (0.6 + 1) / 2 = 0.8.
    expect(all.direction!.buy).toEqual({ measured: 2, maeR: 0.5, mfeR: 2, efficiency: expect.closeTo(0.8, 10) });
    expect(all.direction!.sell).toEqual({ measured: 1, maeR: 1.5, mfeR: 1, efficiency: -0.2 });
    // Monday (key 0) in London; hours 9 (a, c) and 14 (b); held 2–8 h, 5–30 min.
    expect(all.weekday!["0"]!.measured).toBe(3);
    expect(all.hour!["9"]!.measured).toBe(2);
    expect(all.hour!["14"]).toMatchObject({ measured: 1, maeR: 1.5 });
    expect(all.duration!["2h-8h"]).toMatchObject({ measured: 1, maeR: 0.5 });
    expect(all.duration!["5m-30m"]).toMatchObject({ measured: 2, maeR: 1.5 });
    // Tagged a and c; b untagged (key "").
    expect(all.tag!.breakout).toMatchObject({ measured: 2, maeR: 0.5 });
    expect(all.tag![""]).toMatchObject({ measured: 1, maeR: 1.5 });
    // The narrowing filters apply as in the breakdowns.
    const gbp = await breakdowns(
      db.appPool,
      userClaims(user),
      scope,
      parseAnalyticsFilters(new URLSearchParams("period=all&symbol=GBPUSD")),
      new Date("2026-03-10T00:00:00Z"),
    );
    expect(Object.keys(gbp.symbol!)).toEqual(["GBPUSD"]);
  });
});
