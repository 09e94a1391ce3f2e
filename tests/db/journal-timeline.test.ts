// The journal timeline (/journal) through the model function its route
// calls, as the signed-in user under RLS: full-text search with English
// stemming, ranking and highlighted snippets, never another user's entries,
// the filters and the pages.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { withRlsTransaction } from "../../app/lib/db.server.ts";
import { HIGHLIGHT_START, HIGHLIGHT_STOP } from "../../app/models/journal/timeline-queries.ts";
import { loadTimeline as loadInRequest } from "../../app/models/journal/timeline.server.ts";
import { parseJournalFilters } from "../../app/schemas/journal-filters.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createTag, createTrade, createUser, userClaims, type Queryable } from "../support/fixtures.ts";
import { asRequestOf } from "./as-request.ts";

const db = await createTestDatabase();
const timeline = (userId: string, query = "") =>
  asRequestOf(loadInRequest)(db.appPool, userClaims(userId), userId, parseJournalFilters(new URLSearchParams(query)));
const keysOf = (page: Awaited<ReturnType<typeof timeline>>) =>
  page.entries.map((entry) => (entry.kind === "trade" ? `trade:${entry.symbol}` : `day:${entry.day}`));

async function journal(
  pool: Queryable,
  userId: string,
  tradeId: string,
  fields: { notes?: string; lessons?: string; mood?: number; followed_plan?: string } = {},
) {
  await pool.query("insert into public.journals (user_id, trade_id, notes, lessons, mood, followed_plan) values ($1, $2, $3, $4, $5, $6)", [
    userId,
    tradeId,
    fields.notes ?? null,
    fields.lessons ?? null,
    fields.mood ?? null,
    fields.followed_plan ?? null,
  ]);
}

async function dailyReview(pool: Queryable, userId: string, day: string, fields: { plan?: string; review?: string; mood?: number } = {}) {
  const { rows } = await pool.query<{ id: string }>(
    "insert into public.daily_journals (user_id, trading_day, premarket_plan, review, mood) values ($1, $2, $3, $4, $5) returning id",
    [userId, day, fields.plan ?? null, fields.review ?? null, fields.mood ?? null],
  );
  return rows[0]!.id;
}

async function screenshot(pool: Queryable, userId: string, owner: { tradeId?: string; dayId?: string }, caption: string | null = null) {
  await pool.query(
    `insert into public.journal_screenshots (user_id, trade_id, daily_journal_id, object_path, content_type, bytes, width, height, caption)
     values ($1, $2, $3, $4, 'image/webp', 1000, 1920, 1080, $5)`,
    [userId, owner.tradeId ?? null, owner.dayId ?? null, `${userId}/${owner.tradeId ?? `day-${owner.dayId}`}/${randomUUID()}.webp`, caption],
  );
}

/** A trader with three journaled trades on three UTC days and two daily reviews. */
async function trader() {
  const userId = await createUser(db.pool, { tier: "pro", timeZone: "UTC" });
  const accountId = await createAccount(db.pool, userId, { name: "Main" });
  const eurusd = await createTrade(db.pool, userId, accountId, { symbol: "EURUSD", closed_at: "2026-11-02T10:00:00Z" });
  const gbpusd = await createTrade(db.pool, userId, accountId, {
    symbol: "GBPUSD",
    direction: "sell",
    closed_at: "2026-11-03T10:00:00Z",
    gross_profit: "-40.00",
  });
  const xauusd = await createTrade(db.pool, userId, accountId, { symbol: "XAUUSD", closed_at: "2026-11-04T10:00:00Z" });
  await journal(db.pool, userId, eurusd, { notes: "Scaled out at the first target, then it ran.", mood: 4, followed_plan: "yes" });
  await journal(db.pool, userId, gbpusd, {
    notes: "Revenge entry after the news spike. Scaling in against the trend again; scaling is my weak spot.",
    lessons: "Stop scaling into losers.",
    mood: 1,
    followed_plan: "no",
  });
  await journal(db.pool, userId, xauusd, { notes: "Clean breakout retest.", mood: 5, followed_plan: "partly" });
  const day3 = await dailyReview(db.pool, userId, "2026-11-03", { plan: "No trades before London open.", review: "Broke my plan twice.", mood: 2 });
  await dailyReview(db.pool, userId, "2026-11-05", { plan: "Wait for the NFP release.", mood: 3 });
  return { userId, accountId, eurusd, gbpusd, xauusd, day3 };
}

describe("the timeline", () => {
  it("lists trade entries and daily reviews newest day first, the review heading its day", async () => {
    const { userId } = await trader();
    const page = await timeline(userId);
    expect(keysOf(page)).toEqual(["day:2026-11-05", "trade:XAUUSD", "day:2026-11-03", "trade:GBPUSD", "trade:EURUSD"]);
    // Browsing reads one page and counts nothing; a search counts its matches.
    expect(page.total).toBeNull();
    expect(page.hasNext).toBe(false);
    const gbp = page.entries.find((e) => e.kind === "trade" && e.symbol === "GBPUSD");
    expect(gbp).toMatchObject({ direction: "sell", result: "loss", netProfit: "-40.00", currency: "USD", mood: 1, followedPlan: "no" });
    expect(gbp!.firstText).toContain("Revenge entry");
  });

  it("finds stemmed words: 'scaling' finds 'scaled', ranked by how well each entry matches, with highlighted snippets", async () => {
    const { userId } = await trader();
    const page = await timeline(userId, "q=scaling");
    // GBPUSD says scaling three times; EURUSD says scaled once.
    expect(keysOf(page)).toEqual(["trade:GBPUSD", "trade:EURUSD"]);
    expect(page.total).toBe(2);
    expect(page.entries[0]!.rank).toBeGreaterThan(page.entries[1]!.rank);
    expect(page.entries[1]!.firstText).toContain(`${HIGHLIGHT_START}Scaled${HIGHLIGHT_STOP}`);
    expect(page.entries[0]!.secondText).toContain(`${HIGHLIGHT_START}scaling${HIGHLIGHT_STOP}`);
    // Daily plan and review are searched too.
    expect(keysOf(await timeline(userId, "q=broke"))).toEqual(["day:2026-11-03"]);
    expect(keysOf(await timeline(userId, "q=planning"))).toEqual(["day:2026-11-03"]);
    // websearch syntax: a phrase, and a word left out.
    expect(keysOf(await timeline(userId, `q="news spike"`))).toEqual(["trade:GBPUSD"]);
    expect(keysOf(await timeline(userId, "q=scaling -revenge"))).toEqual(["trade:EURUSD"]);
    // Nothing matches: an empty page, not an error.
    expect((await timeline(userId, "q=zzzyx")).entries).toEqual([]);
    // A query of stop words only ("the") matches nothing rather than everything.
    expect((await timeline(userId, "q=the")).entries).toEqual([]);
  });

  it("keeps HTML in a snippet as typed (ts_headline would drop it); the page shows it as text", async () => {
    const userId = await createUser(db.pool, { tier: "pro" });
    const accountId = await createAccount(db.pool, userId);
    const tradeId = await createTrade(db.pool, userId, accountId);
    await journal(db.pool, userId, tradeId, { notes: "Scaled in <b>twice</b> <script>alert(1)</script> then left." });
    const [entry] = (await timeline(userId, "q=scale")).entries;
    expect(entry!.firstText).toBe(`${HIGHLIGHT_START}Scaled${HIGHLIGHT_STOP} in <b>twice</b> <script>alert(1)</script> then left`);
  });

  it("searches screenshot captions, on trades and on days", async () => {
    const { userId, xauusd, day3 } = await trader();
    await screenshot(db.pool, userId, { tradeId: xauusd }, "Liquidity sweep below the Asian low");
    await screenshot(db.pool, userId, { dayId: day3 }, "Sweeping the highs before the reversal");
    const page = await timeline(userId, "q=sweep");
    expect(keysOf(page).sort()).toEqual(["day:2026-11-03", "trade:XAUUSD"]);
    const gold = page.entries.find((e) => e.kind === "trade")!;
    expect(gold.captions).toContain(`${HIGHLIGHT_START}sweep${HIGHLIGHT_STOP}`);
    expect(gold.screenshotCount).toBe(1);
    expect(gold.screenshots[0]!.objectPath).toMatch(new RegExp(`^${userId}/${xauusd}/`));
    // With a filter the entries are filtered first, then matched: captions still count.
    expect(keysOf(await timeline(userId, "q=sweep&from=2026-11-03&to=2026-11-03"))).toEqual(["day:2026-11-03"]);
    expect(keysOf(await timeline(userId, "q=sweep&from=2026-11-04"))).toEqual(["trade:XAUUSD"]);
  });

  it("never shows or finds another user's entries", async () => {
    const { userId } = await trader();
    const other = await createUser(db.pool, { tier: "pro" });
    const otherAccount = await createAccount(db.pool, other);
    const theirs = await createTrade(db.pool, other, otherAccount, { symbol: "USDJPY", closed_at: "2026-11-06T10:00:00Z" });
    await journal(db.pool, other, theirs, { notes: "Scaling in, their secret." });
    const theirDay = await dailyReview(db.pool, other, "2026-11-06", { review: "Their scaling day." });
    expect(keysOf(await timeline(userId, "q=scaling"))).toEqual(["trade:GBPUSD", "trade:EURUSD"]);
    expect(keysOf(await timeline(userId))).not.toContain("trade:USDJPY");
    expect(keysOf(await timeline(other))).toEqual(["day:2026-11-06", "trade:USDJPY"]);
    // The search function behind an unfiltered search reads past RLS (so its indexes serve it): the caller's rows only.
    const direct = await withRlsTransaction(db.appPool, userClaims(other), (tx) =>
      tx.query<{ kind: string; entry_id: string }>("select kind, entry_id from public.journal_search(websearch_to_tsquery('english', 'scaling'))"),
    );
    expect(direct.rows.map((row) => row.entry_id).sort()).toEqual([theirs, theirDay].sort());
    // Filters naming the other user's account find nothing of theirs (only this user's daily reviews stay).
    expect(keysOf(await timeline(userId, `account=${otherAccount}`))).toEqual(["day:2026-11-05", "day:2026-11-03"]);
    expect((await timeline(userId, `account=${otherAccount}&q=secret`)).entries).toEqual([]);
  });

  it("filters by date range, tags, mood, followed plan, screenshots, account and kind, with a search", async () => {
    const { userId, eurusd, gbpusd, xauusd, day3 } = await trader();
    const side = await createAccount(db.pool, userId, { name: "Side" });
    const onSide = await createTrade(db.pool, userId, side, { symbol: "US30", closed_at: "2026-11-03T12:00:00Z" });
    await journal(db.pool, userId, onSide, { notes: "Index scalp.", mood: 2 });
    const revenge = await createTag(db.pool, userId, "revenge");
    const fomo = await createTag(db.pool, userId, "fomo");
    await db.pool.query("insert into public.trade_tags (user_id, trade_id, tag_id) values ($1, $2, $3), ($1, $2, $4), ($1, $5, $3)", [
      userId,
      gbpusd,
      revenge,
      fomo,
      eurusd,
    ]);
    await screenshot(db.pool, userId, { tradeId: xauusd });
    await screenshot(db.pool, userId, { dayId: day3 });

    expect(keysOf(await timeline(userId, "from=2026-11-03&to=2026-11-04"))).toEqual(["trade:XAUUSD", "day:2026-11-03", "trade:US30", "trade:GBPUSD"]);
    // Tags narrow to trades carrying every tag named.
    expect(keysOf(await timeline(userId, `tag=${revenge}`))).toEqual(["trade:GBPUSD", "trade:EURUSD"]);
    expect(keysOf(await timeline(userId, `tag=${revenge}&tag=${fomo}`))).toEqual(["trade:GBPUSD"]);
    // Mood applies to both kinds.
    expect(keysOf(await timeline(userId, "mood=2"))).toEqual(["day:2026-11-03", "trade:US30"]);
    expect(keysOf(await timeline(userId, "plan=partly"))).toEqual(["trade:XAUUSD"]);
    expect(keysOf(await timeline(userId, "shots=1"))).toEqual(["trade:XAUUSD", "day:2026-11-03"]);
    // The account narrows trade entries and keeps the daily reviews.
    expect(keysOf(await timeline(userId, `account=${side}`))).toEqual(["day:2026-11-05", "day:2026-11-03", "trade:US30"]);
    expect(keysOf(await timeline(userId, "kind=day"))).toEqual(["day:2026-11-05", "day:2026-11-03"]);
    expect(keysOf(await timeline(userId, "kind=trade&mood=2"))).toEqual(["trade:US30"]);
    // A filter plus a search.
    expect(keysOf(await timeline(userId, "q=scaling&plan=yes"))).toEqual(["trade:EURUSD"]);
    expect(keysOf(await timeline(userId, `q=scaling&tag=${fomo}`))).toEqual(["trade:GBPUSD"]);
    expect(keysOf(await timeline(userId, "q=scaling&from=2026-11-03"))).toEqual(["trade:GBPUSD"]);
    // A bad value is ignored, not an error.
    expect((await timeline(userId, "mood=9&tag=nope&from=yesterday")).entries).toHaveLength(6);
  });

  it("dates a trade by its trading day (17:00 New York)", async () => {
    const userId = await createUser(db.pool, { tier: "pro" });
    await db.pool.query(
      "update public.user_settings set trading_day_start_hour = 17, trading_day_time_zone = 'America/New_York' where user_id = $1",
      [userId],
    );
    const accountId = await createAccount(db.pool, userId);
    // 22:30 UTC on Monday 2 November is 17:30 EST: Tuesday's trading day.
    const late = await createTrade(db.pool, userId, accountId, { symbol: "EURUSD", closed_at: "2026-11-02T22:30:00Z" });
    await journal(db.pool, userId, late, { notes: "After the roll." });
    const page = await timeline(userId);
    expect(page.entries[0]!.day).toBe("2026-11-03");
    expect(keysOf(await timeline(userId, "from=2026-11-03&to=2026-11-03"))).toEqual(["trade:EURUSD"]);
    expect((await timeline(userId, "to=2026-11-02")).entries).toEqual([]);
  });

  it("pages 20 at a time with Next and Previous", async () => {
    const userId = await createUser(db.pool, { tier: "pro" });
    await db.pool.query(
      `insert into public.daily_journals (user_id, trading_day, review)
       select $1, date '2026-01-01' + g, 'Day ' || g from generate_series(0, 44) g`,
      [userId],
    );
    const first = await timeline(userId);
    expect(first.entries).toHaveLength(20);
    expect(first).toMatchObject({ hasNext: true, page: 1 });
    expect(first.entries[0]!.day).toBe("2026-02-14");
    const third = await timeline(userId, "page=3");
    expect(third.entries).toHaveLength(5);
    expect(third.hasNext).toBe(false);
    expect(third.entries.at(-1)!.day).toBe("2026-01-01");
    const past = await timeline(userId, "page=9");
    expect(past).toMatchObject({ entries: [], total: null, hasNext: false });
  });
});
