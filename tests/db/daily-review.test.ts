// The daily review (/journal/$date) through the model functions its route
// calls, as the signed-in user under RLS: saving, the stale-write check, and
// which trades a trading day lists when the day starts at 17:00 New York.
import { describe, expect, it } from "vitest";
import { loadDailyReview as loadInRequest, saveDailyReview as saveInRequest } from "../../app/models/journal/daily-review.server.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createTrade, createUser, userClaims } from "../support/fixtures.ts";
import { asRequestOf } from "./as-request.ts";

const db = await createTestDatabase();
const load = (userId: string, day: string, accountId: string | null = null, now = new Date("2026-11-20T12:00:00Z")) =>
  asRequestOf(loadInRequest)(db.appPool, userClaims(userId), userId, day, accountId, now);
const save = (userId: string, day: string, content: { premarketPlan?: string; review?: string; mood?: 1 | 2 | 3 | 4 | 5 | null }, version: number) =>
  asRequestOf(saveInRequest)(
    db.appPool,
    userClaims(userId),
    userId,
    day,
    { premarketPlan: content.premarketPlan ?? "", review: content.review ?? "", mood: content.mood ?? null },
    version,
  );

async function forexTrader() {
  const userId = await createUser(db.pool, { tier: "pro", timeZone: "Europe/London" });
  await db.pool.query("update public.user_settings set trading_day_start_hour = 17, trading_day_time_zone = 'America/New_York' where user_id = $1", [
    userId,
  ]);
  return userId;
}

describe("saving a daily review", () => {
  it("creates the day's entry, then updates it naming its version", async () => {
    const userId = await createUser(db.pool, { tier: "pro" });
    const empty = await load(userId, "2026-11-03");
    expect(empty.entry).toMatchObject({ id: null, version: 0, premarketPlan: "", review: "" });

    const first = await save(userId, "2026-11-03", { premarketPlan: "Only London breakouts.", mood: 4 }, 0);
    expect(first.status).toBe("saved");
    if (first.status !== "saved") return;
    expect(first.entry).toMatchObject({ premarketPlan: "Only London breakouts.", review: "", mood: 4, version: 1 });

    const second = await save(userId, "2026-11-03", { premarketPlan: "Only London breakouts.", review: "Scaled out too early.", mood: 4 }, 1);
    expect(second).toMatchObject({ status: "saved", entry: { review: "Scaled out too early.", version: 2 } });
    expect((await load(userId, "2026-11-03")).entry).toMatchObject({ review: "Scaled out too early.", version: 2 });
    // Another day is another entry.
    expect((await load(userId, "2026-11-04")).entry.version).toBe(0);
  });

  it("refuses a save from an older version and returns the stored text, changing nothing", async () => {
    const userId = await createUser(db.pool, { tier: "pro" });
    await save(userId, "2026-11-03", { review: "Tab one, first words." }, 0);
    const tabTwo = await save(userId, "2026-11-03", { review: "Tab two wrote this." }, 1);
    expect(tabTwo).toMatchObject({ status: "saved", entry: { version: 2 } });
    // Tab one still holds version 1.
    const tabOne = await save(userId, "2026-11-03", { review: "Tab one, more words." }, 1);
    expect(tabOne).toEqual({ status: "conflict", current: expect.objectContaining({ review: "Tab two wrote this.", version: 2 }) });
    expect((await load(userId, "2026-11-03")).entry.review).toBe("Tab two wrote this.");
    // Two tabs creating the same day at once: the second insert is the stale one.
    const late = await save(userId, "2026-11-03", { review: "Also new." }, 0);
    expect(late.status).toBe("conflict");
    // The same words from a stale tab lose nothing: saved, at the stored version.
    expect(await save(userId, "2026-11-03", { review: "Tab two wrote this." }, 1)).toMatchObject({ status: "saved", entry: { version: 2 } });
  });

  it("writes over an empty entry made by a screenshot upload, from version 0, without a conflict", async () => {
    const userId = await createUser(db.pool, { tier: "pro" });
    await db.pool.query("insert into public.daily_journals (user_id, trading_day) values ($1, '2026-11-05')", [userId]);
    expect(await save(userId, "2026-11-05", { premarketPlan: "First words." }, 0)).toMatchObject({
      status: "saved",
      entry: { premarketPlan: "First words." },
    });
    // Once it holds words, a version-0 save is stale.
    expect((await save(userId, "2026-11-05", { premarketPlan: "Other words." }, 0)).status).toBe("conflict");
  });

  it("never reads or writes another user's day", async () => {
    const owner = await createUser(db.pool, { tier: "pro" });
    const other = await createUser(db.pool, { tier: "pro" });
    await save(owner, "2026-11-03", { review: "Private." }, 0);
    expect((await load(other, "2026-11-03")).entry.version).toBe(0);
    // The other user's own entry for the day is theirs; the owner's is untouched.
    await save(other, "2026-11-03", { review: "Mine." }, 0);
    expect((await load(owner, "2026-11-03")).entry.review).toBe("Private.");
    expect(await save(other, "2026-11-03", { review: "Overwrite?" }, 1)).toMatchObject({ status: "saved", entry: { review: "Overwrite?" } });
    expect((await load(owner, "2026-11-03")).entry.review).toBe("Private.");
  });
});

describe("the day's trades", () => {
  it("lists the trades of the trading day that starts at 17:00 New York, with P&L, R and the day's total", async () => {
    const userId = await forexTrader();
    const accountId = await createAccount(db.pool, userId, { name: "Main" });
    // Tuesday 3 November 2026 runs from Monday 17:00 EST (22:00 UTC) to Tuesday 17:00 EST.
    const before = await createTrade(db.pool, userId, accountId, { opened_at: "2026-11-02T20:00:00Z", closed_at: "2026-11-02T21:59:00Z" });
    const first = await createTrade(db.pool, userId, accountId, {
      opened_at: "2026-11-02T20:00:00Z",
      closed_at: "2026-11-02T22:00:00Z",
      gross_profit: "85.00",
    });
    const last = await createTrade(db.pool, userId, accountId, {
      symbol: "GBPUSD",
      direction: "sell",
      opened_at: "2026-11-03T18:00:00Z",
      closed_at: "2026-11-03T21:59:59Z",
      entry_price: "1.30000",
      exit_price: "1.30100",
      initial_stop_loss: "1.30200",
      gross_profit: "-50.00",
    });
    const after = await createTrade(db.pool, userId, accountId, { opened_at: "2026-11-03T21:00:00Z", closed_at: "2026-11-03T22:00:00Z" });
    const open = await createTrade(db.pool, userId, accountId, {
      opened_at: "2026-11-03T08:00:00Z",
      closed_at: null,
      exit_price: null,
      status: "open",
    });

    const page = await load(userId, "2026-11-03");
    expect(page.trades.map((t) => t.id)).toEqual([first, open, last]);
    expect(page.trades.map((t) => t.id)).not.toContain(before);
    expect(page.trades.map((t) => t.id)).not.toContain(after);
    expect(page.trades[0]).toMatchObject({ symbol: "EURUSD", direction: "buy", netProfit: "85.00", r: "1.13" });
    expect(page.trades[2]).toMatchObject({ symbol: "GBPUSD", direction: "sell", netProfit: "-50.00", r: "-0.5" });
    expect(page.trades[1]!.r).toBeNull();
    // The total is the calendar's: closed trades only.
    expect(page.totals).toEqual([{ currency: "USD", net: "35.00", trades: 2 }]);
    expect(page).toMatchObject({ previousDay: "2026-11-02", nextDay: "2026-11-04" });
    expect((await load(userId, "2026-11-02")).trades.map((t) => t.id)).toEqual([before]);
    expect((await load(userId, "2026-11-04")).trades.map((t) => t.id)).toEqual([after]);
  });

  it("narrows to the account chosen in the shell and never lists another user's trades", async () => {
    const userId = await createUser(db.pool, { tier: "pro" });
    const main = await createAccount(db.pool, userId, { name: "Main" });
    const side = await createAccount(db.pool, userId, { name: "Side" });
    const onMain = await createTrade(db.pool, userId, main, { closed_at: "2026-03-02T11:00:00Z" });
    const onSide = await createTrade(db.pool, userId, side, { closed_at: "2026-03-02T12:00:00Z" });
    const other = await createUser(db.pool, { tier: "pro" });
    const otherAccount = await createAccount(db.pool, other);
    await createTrade(db.pool, other, otherAccount, { closed_at: "2026-03-02T11:30:00Z" });

    expect((await load(userId, "2026-03-02")).trades.map((t) => t.id)).toEqual([onMain, onSide]);
    const narrowed = await load(userId, "2026-03-02", side);
    expect(narrowed.trades.map((t) => t.id)).toEqual([onSide]);
    expect(narrowed.accountName).toBe("Side");
    // Another user's account id narrows nothing (it is not this user's).
    const foreign = await load(userId, "2026-03-02", otherAccount);
    expect(foreign.accountName).toBeNull();
    expect(foreign.trades).toHaveLength(2);
  });
});
