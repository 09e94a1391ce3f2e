// The demo's journal: written once after its history, on its latest trades,
// under the demo user's own day rule — and never over what a visitor wrote.
import { describe, expect, it } from "vitest";
import { seedDemoJournal } from "../../scripts/seed-demo-journal.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createTrade, createUser } from "../support/fixtures.ts";

const db = await createTestDatabase();

async function demoWithTrades(count: number) {
  const userId = await createUser(db.pool, { tier: "elite", starterTags: true, timeZone: "America/New_York" });
  const accountId = await createAccount(db.pool, userId, { kind: "mt5", mt5_server: "RawBroker-Demo", mt5_login: 50100100 });
  for (let i = 0; i < count; i++) {
    const hour = String(10 + i).padStart(2, "0");
    await createTrade(db.pool, userId, accountId, { opened_at: `2026-12-03T${hour}:00:00Z`, closed_at: `2026-12-03T${hour}:30:00Z` });
  }
  return { userId, accountId };
}

describe("seedDemoJournal", () => {
  it("journals the five latest trades, links a playbook, tags with the starter tags and reviews the latest trading day", async () => {
    const { userId, accountId } = await demoWithTrades(7);
    expect(await seedDemoJournal(db.url, accountId)).toBe(true);
    const { rows } = await db.pool.query(
      `select t.closed_at, j.mood, j.followed_plan, j.playbook_id is not null as linked,
              (select count(*)::int from public.trade_rule_checks c where c.trade_id = t.id) as ticks,
              (select count(*)::int from public.trade_tags g where g.trade_id = t.id) as tags
         from public.trades t left join public.journals j on j.trade_id = t.id where t.account_id = $1 order by t.closed_at desc`,
      [accountId],
    );
    expect(rows.map((r) => r.mood)).toEqual([5, 2, 4, 1, 3, null, null]);
    expect(rows.slice(0, 5).every((r) => r.tags > 0)).toBe(true);
    expect(rows.map((r) => r.ticks)).toEqual([4, 2, 0, 3, 0, 0, 0]);
    // The starter tags are reused, not duplicated.
    const tags = await db.pool.query(
      "select lower(name) as name, count(*)::int as n from public.tags where user_id = $1 group by 1 having count(*) > 1",
      [userId],
    );
    expect(tags.rows).toEqual([]);
    // Latest close 16:30 UTC on 3 December is 11:30 in New York: that trading day.
    const review = await db.pool.query("select trading_day::text as day from public.daily_journals where user_id = $1", [userId]);
    expect(review.rows).toEqual([{ day: "2026-12-03" }]);
  });

  it("leaves a demo user who has written anything alone, and does nothing without trades", async () => {
    const { userId, accountId } = await demoWithTrades(2);
    await db.pool.query("insert into public.daily_journals (user_id, trading_day, review) values ($1, '2026-12-01', 'mine')", [userId]);
    expect(await seedDemoJournal(db.url, accountId)).toBe(false);
    const journals = await db.pool.query("select count(*)::int as n from public.journals where user_id = $1", [userId]);
    expect(journals.rows[0].n).toBe(0);
    const empty = await demoWithTrades(0);
    expect(await seedDemoJournal(db.url, empty.accountId)).toBe(false);
  });
});
