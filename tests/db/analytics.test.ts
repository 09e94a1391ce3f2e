// The analytics read from the database give the figures the pure functions
// give on the same data, to the cent: the 200-trade fixture of
// tests/fixtures/analytics (itself checked against an independent Python
// implementation) is stored as trades, tags and cash movements, and the
// dashboard's and the breakdown page's loaders (as the user, under RLS) are
// compared with summarize/breakdown/… on the fixture. Also: the cache serves
// the same figures until anything changes, a change is seen on the next load,
// another user's rows never count, and accounts in another currency are never
// summed into a view.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  balanceCurve,
  breakdown,
  calendarMonths,
  dailyNet,
  dayHourHeatmap,
  summarize,
  type AnalyticsInput,
  type BreakdownDimension,
} from "../../app/domain/analytics/index.ts";
import { beginRlsTransaction } from "../../app/lib/db.server.ts";
import { dollarQuoted } from "../../app/models/analytics/cache.server.ts";
import { decodedChunks } from "../../app/models/analytics/chunk-cache.ts";
import { loadAnalyticsInput } from "../../app/models/analytics/input.server.ts";
import { loadAnalyticsScope } from "../../app/models/analytics/scope.server.ts";
import { loadAnalyticsBreakdowns as breakdownsInRequest, loadDashboardStats as statsInRequest } from "../../app/models/analytics/views.server.ts";
import { resolvePeriod } from "../../app/domain/periods/period.ts";
import { parseAnalyticsFilters, type AnalyticsFilters } from "../../app/schemas/analytics-filters.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createUser, userClaims } from "../support/fixtures.ts";
import { asRequestOf } from "./as-request.ts";

const db = await createTestDatabase();
const loadStats = asRequestOf(statsInRequest);
const loadBreakdowns = asRequestOf(breakdownsInRequest);
// The figures from the trade rows themselves (no store), as the views computed them before the store.
const rowsInput = asRequestOf(async (db, userId: string, filters: AnalyticsFilters, now: Date) => {
  const scope = await loadAnalyticsScope(db, userId, filters);
  const period = resolvePeriod(filters.period, now, scope.dayRule, filters);
  return loadAnalyticsInput(db, scope, filters, { from: period.from, to: period.to && period.to > now ? now : period.to }, { withTags: true });
});

const fixture = JSON.parse(readFileSync(new URL("../fixtures/analytics/trades.json", import.meta.url), "utf8"));
// "T0046" → a uuid that sorts as the fixture id does, so ties in close time break the same way; one
// prefix per stored copy, since ids are unique across users.
let copies = 0;
const uuidOf = (id: string, copy: number) => `${String(copy).padStart(8, "0")}-0000-4000-8000-${id.replace(/\D/g, "").padStart(12, "0")}`;
const UTC_RULE = { timeZone: "UTC", dayStartMinutes: 0 };
// The fixture's period as a custom range of UTC trading days: 2026-02-16 up to (not including) 2026-04-13.
const FILTERS = parseAnalyticsFilters(new URLSearchParams("period=custom&from=2026-02-16&to=2026-04-12"));
const NOW = new Date("2026-12-06T12:00:00Z");

async function storeFixture(userId: string, accountId: string): Promise<{ copy: number; sessions: Map<string, string> }> {
  const copy = ++copies;
  await db.pool.query(
    "update public.user_settings set time_zone = 'UTC', trading_day_start_hour = 0, trading_day_time_zone = null where user_id = $1",
    [userId],
  );
  await db.pool.query("update public.accounts set initial_balance = $2 where id = $1", [accountId, fixture.startingBalance]);
  const tagIds = new Map<string, string>();
  for (const name of new Set<string>(fixture.trades.flatMap((t: { tags: string[] }) => t.tags))) {
    const { rows } = await db.pool.query("insert into public.tags (user_id, name) values ($1, $2) returning id", [userId, name]);
    tagIds.set(name, rows[0].id);
  }
  for (const t of fixture.trades) {
    await db.pool.query(
      `insert into public.trades (id, user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at, volume, closed_volume,
         entry_price, exit_price, gross_profit, commission, swap, fee, initial_risk_amount, source)
       values ($1, $2, $3, $4, $5, $6, 'closed', $7, $8, 1, 1, 1, 1, $9, $10, $11, $12, $13, 'file')`,
      [
        uuidOf(t.id, copy),
        userId,
        accountId,
        t.id,
        t.symbol,
        t.direction,
        t.openedAt,
        t.closedAt,
        t.profit,
        t.commission,
        t.swap,
        t.fee,
        t.initialRisk,
      ],
    );
    for (const tag of t.tags) {
      await db.pool.query("insert into public.trade_tags (user_id, trade_id, tag_id) values ($1, $2, $3)", [
        userId,
        uuidOf(t.id, copy),
        tagIds.get(tag),
      ]);
    }
  }
  for (const c of fixture.cash) {
    await db.pool.query(
      "insert into public.cash_movements (id, user_id, account_id, kind, amount, occurred_at, deal_id) values ($1, $2, $3, $4, $5, $6, $7)",
      [uuidOf(c.id, copy), userId, accountId, c.kind, c.amount, c.at, c.id],
    );
  }
  // Sessions are the database's own DST-correct tags (tests/db/sessions.test.ts), read back for the pure side.
  const { rows } = await db.pool.query<{ id: string; session_tag: string | null }>(
    "select id, session_tag from public.trades where account_id = $1",
    [accountId],
  );
  return { copy, sessions: new Map(rows.map((row) => [row.id, row.session_tag ?? ""])) };
}

function pureInput({ copy, sessions }: { copy: number; sessions: Map<string, string> }): AnalyticsInput {
  return {
    trades: fixture.trades.map((t: Record<string, unknown>) => ({
      ...t,
      id: uuidOf(t.id as string, copy),
      session: sessions.get(uuidOf(t.id as string, copy)) || null,
      openedAt: new Date(t.openedAt as string),
      closedAt: new Date(t.closedAt as string),
    })),
    cash: fixture.cash.map((c: Record<string, unknown>) => ({ ...c, id: uuidOf(c.id as string, copy), at: new Date(c.at as string) })),
    startingBalance: fixture.startingBalance,
    dayRule: UTC_RULE,
    period: { from: new Date(fixture.period.from), to: new Date(fixture.period.to) },
  };
}

/** Plain JSON, as the cache and the loader hand figures on. */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

describe("analytics from the database", () => {
  it("equal the pure figures on the same 200 trades, to the cent: cards, curve, calendar, breakdowns, heatmap", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    const account = await createAccount(db.pool, user, { name: "Fixture" });
    const input = pureInput(await storeFixture(user, account));

    const { view: stats, cacheHit } = await loadStats(db.pool, userClaims(user), user, FILTERS, NOW);
    expect(cacheHit).toBe(false);
    expect(stats.summary).toEqual(plain(summarize(input)));
    expect(stats.summary.trades).toBe(fixture.trades.length);
    const curve = balanceCurve(input);
    expect(stats.curvePoints).toBe(curve.length);
    expect(stats.curve.map((p) => [p.balance, p.drawdown, p.kind, p.refId])).toEqual(curve.map((p) => [p.balance, p.drawdown, p.kind, p.refId]));
    expect(stats.calendar.filter((m) => m.trades > 0)).toEqual(plain(calendarMonths(dailyNet(input))));

    const { view } = await loadBreakdowns(db.pool, userClaims(user), user, FILTERS, NOW);
    for (const by of ["symbol", "session", "weekday", "hour", "duration", "direction", "tag"] as BreakdownDimension[]) {
      expect(view.breakdowns[by], by).toEqual(plain(breakdown(input, by)));
    }
    expect(view.heatmap).toEqual(plain(dayHourHeatmap(input)));
  });

  it("serve the cached figures until something changes, and the change on the next load", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    const account = await createAccount(db.pool, user, { name: "Fixture" });
    await storeFixture(user, account);
    const first = await loadStats(db.pool, userClaims(user), user, FILTERS, NOW);
    const second = await loadStats(db.pool, userClaims(user), user, FILTERS, NOW);
    expect(second.cacheHit).toBe(true);
    expect(second.view).toEqual(first.view);

    // A trade closed in the period, then its deletion: each shows on the next load.
    await db.pool.query(
      `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at, volume, closed_volume,
         entry_price, exit_price, gross_profit) values ($1, $2, 'late', 'EURUSD', 'buy', 'closed', '2026-04-01T10:00:00Z', '2026-04-01T11:00:00Z', 1, 1, 1, 1, 1234.56)`,
      [user, account],
    );
    const third = await loadStats(db.pool, userClaims(user), user, FILTERS, NOW);
    expect(third.cacheHit).toBe(false);
    expect(third.view.summary.trades).toBe(first.view.summary.trades + 1);
    expect(Number(third.view.summary.netTotal) - Number(first.view.summary.netTotal)).toBeCloseTo(1234.56, 2);
    await db.pool.query("delete from public.trades where position_id = 'late' and account_id = $1", [account]);
    expect((await loadStats(db.pool, userClaims(user), user, FILTERS, NOW)).view.summary).toEqual(first.view.summary);
  });

  it("read from the store, equal the trade rows' figures through changes to trades, tags, accounts and the day rule", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    const account = await createAccount(db.pool, user, { name: "Fixture" });
    const second = await createAccount(db.pool, user, { name: "Second" });
    await storeFixture(user, account);
    const tag = (await db.pool.query("select id from public.tags where user_id = $1 order by name limit 1", [user])).rows[0].id as string;
    const views = [
      "period=custom&from=2026-02-16&to=2026-04-12",
      "period=all",
      "period=all&symbol=EURUSD",
      "period=all&direction=sell",
      "period=all&session=london",
      `period=all&tag=${tag}`,
      "period=custom&from=2026-03-10&to=2026-03-20",
    ];
    const agree = async (step: string) => {
      for (const query of views) {
        const filters = parseAnalyticsFilters(new URLSearchParams(query));
        const rows = await rowsInput(db.pool, userClaims(user), user, filters, NOW);
        const { view: stats } = await loadStats(db.pool, userClaims(user), user, filters, NOW);
        expect(stats.summary, `${step}: ${query}`).toEqual(plain(summarize(rows)));
        // The curve's trade ids too: the store reads only the ids a view names.
        const curve = balanceCurve(rows, { maxPoints: 2_000 });
        expect(
          stats.curve.map((p) => [p.balance, p.kind, p.refId]),
          `${step}: ${query}`,
        ).toEqual(curve.map((p) => [p.balance, p.kind, p.refId]));
        const { view } = await loadBreakdowns(db.pool, userClaims(user), user, filters, NOW);
        for (const by of ["symbol", "session", "hour", "direction", "tag"] as BreakdownDimension[]) {
          expect(view.breakdowns[by], `${step}: ${query} by ${by}`).toEqual(plain(breakdown(rows, by)));
        }
        expect(view.heatmap, `${step}: ${query}`).toEqual(plain(dayHourHeatmap(rows)));
      }
    };
    await agree("stored");
    const someTrade = (await db.pool.query("select id from public.trades where account_id = $1 order by closed_at limit 1 offset 20", [account]))
      .rows[0].id as string;
    await db.pool.query("insert into public.trade_tags (user_id, trade_id, tag_id) values ($1, $2, $3) on conflict do nothing", [
      user,
      someTrade,
      tag,
    ]);
    await agree("a tag added");
    await db.pool.query("update public.tags set name = 'renamed' where id = $1", [tag]);
    await agree("a tag renamed");
    await db.pool.query("update public.trades set gross_profit = gross_profit + 0.015, commission = -3 where id = $1", [someTrade]);
    await agree("a trade's amounts changed");
    await db.pool.query("update public.trades set closed_at = '2026-03-15T12:00:00Z' where account_id = $1 and position_id = 'T0003'", [account]);
    await agree("a trade moved to another month");
    await db.pool.query(
      "update public.user_settings set trading_day_start_hour = 17, trading_day_time_zone = 'America/New_York' where user_id = $1",
      [user],
    );
    await agree("the day rule changed");
    await db.pool.query("update public.trades set account_id = $2 where account_id = $1 and position_id in ('T0010', 'T0011')", [account, second]);
    await agree("trades moved to another account of the same currency");
    await db.pool.query("delete from public.tags where id = $1", [tag]);
    await db.pool.query("delete from public.trades where id = $1", [someTrade]);
    await agree("a tag and a trade deleted");
  });

  it("decode each stored month once per process: a later uncached load takes it from memory, a changed month afresh", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    const account = await createAccount(db.pool, user, { name: "Fixture" });
    await storeFixture(user, account);
    const filters = parseAnalyticsFilters(new URLSearchParams("period=all"));
    const uncached = async () => {
      await db.pool.query("update public.analytics_data_versions set version = version + 1 where user_id = $1", [user]);
      const answer = await loadStats(db.pool, userClaims(user), user, filters, NOW);
      expect(answer.cacheHit).toBe(false);
      return answer.view;
    };
    const first = await uncached();
    const months = await db.pool.query<{ name: string }>(
      "select account_id || '/' || month || '/' || version as name from public.analytics_trade_months where account_id = $1 and built_version = version",
      [account],
    );
    expect(months.rows.length).toBeGreaterThan(1);
    expect(decodedChunks.heldFor([account]).withIds.sort()).toEqual(months.rows.map((m) => m.name).sort());
    // The stored months garbled behind the version's back: a load that read them would fail or differ.
    await db.pool.query("update public.analytics_trade_months set data = 'AAAA' where account_id = $1", [account]);
    expect(await uncached()).toEqual(first);
    // A trade of one month changed: that month's version moves, it is rebuilt from the rows, and the new figures show.
    await db.pool.query("update public.trades set gross_profit = gross_profit + 100 where account_id = $1 and position_id = 'T0003'", [account]);
    const changed = await uncached();
    expect(Number(changed.summary.netTotal) - Number(first.summary.netTotal)).toBeCloseTo(100, 2);
    expect(decodedChunks.heldFor([account]).withIds.length).toBe(months.rows.length);
  });

  it("count only the user's own trades, and never sum accounts of different currencies", async () => {
    const alice = await createUser(db.pool, { tier: "pro" });
    const bob = await createUser(db.pool, { tier: "pro" });
    const usd = await createAccount(db.pool, alice, { name: "USD", currency: "USD" });
    const eur = await createAccount(db.pool, alice, { name: "EUR", currency: "EUR" });
    const bobs = await createAccount(db.pool, bob, { name: "Bob" });
    const trade = (userId: string, accountId: string, profit: string) =>
      db.pool.query(
        `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at, volume, closed_volume,
           entry_price, exit_price, gross_profit) values ($1, $2, gen_random_uuid()::text, 'EURUSD', 'buy', 'closed', '2026-12-01T10:00:00Z', '2026-12-01T11:00:00Z', 1, 1, 1, 1, $3)`,
        [userId, accountId, profit],
      );
    await trade(alice, usd, "100");
    await trade(alice, eur, "40");
    await trade(bob, bobs, "999");
    const all = parseAnalyticsFilters(new URLSearchParams("period=all"));
    const usdView = await loadStats(db.pool, userClaims(alice), alice, all, NOW);
    expect(usdView.view.currency).toBe("USD");
    expect(usdView.view.summary.netTotal).toBe("100");
    const eurView = await loadStats(db.pool, userClaims(alice), alice, parseAnalyticsFilters(new URLSearchParams("period=all&account=all-EUR")), NOW);
    expect(eurView.view.summary.netTotal).toBe("40");
    expect(eurView.scope.accountIds).toEqual([eur]);
    // Bob's account id in Alice's URL: not hers, so her default scope, never his trades.
    const probe = await loadStats(db.pool, userClaims(alice), alice, parseAnalyticsFilters(new URLSearchParams(`period=all&account=${bobs}`)), NOW);
    expect(probe.view.summary.netTotal).toBe("100");
    // Every figure is a number or null on an empty period, never NaN.
    const empty = await loadStats(
      db.pool,
      userClaims(alice),
      alice,
      parseAnalyticsFilters(new URLSearchParams("period=custom&from=2020-01-01&to=2020-01-31")),
      NOW,
    );
    expect(JSON.stringify(empty.view)).not.toMatch(/NaN|Infinity/);
    expect(empty.view.summary.trades).toBe(0);
  });

  it("name the trades of a history longer than the drawn curve by the ids read afterwards, as the rows do", async () => {
    // 2,600 trades in three months: more than the curve draws, so the store reads only the named ids.
    const user = await createUser(db.pool, { tier: "pro" });
    const account = await createAccount(db.pool, user, { name: "Long" });
    await db.pool.query(
      `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at, volume, closed_volume,
         entry_price, exit_price, gross_profit, commission, initial_risk_amount)
       select $1, $2, g::text, (array['EURUSD','XAUUSD','US30'])[1 + g % 3], case when g % 4 = 0 then 'sell' else 'buy' end, 'closed',
              t0 - interval '2 hours', t0, 1, 1, 1, 1, round(((hashint4(g) % 9000) / 100.0)::numeric, 2), -1.5, 25
         from (select g, timestamptz '2026-01-03' + g * interval '50 minutes' as t0 from generate_series(1, 2600) g) s`,
      [user, account],
    );
    const all = parseAnalyticsFilters(new URLSearchParams("period=all"));
    const rows = await rowsInput(db.pool, userClaims(user), user, all, NOW);
    const { view: stats } = await loadStats(db.pool, userClaims(user), user, all, NOW);
    expect(stats.summary).toEqual(plain(summarize(rows)));
    expect(stats.curvePoints).toBe(2_601);
    const curve = balanceCurve(rows, { maxPoints: 2_000 });
    expect(stats.curve.map((p) => [p.balance, p.kind, p.refId])).toEqual(curve.map((p) => [p.balance, p.kind, p.refId]));
    // The same through the cache.
    const again = await loadStats(db.pool, userClaims(user), user, all, NOW);
    expect(again.cacheHit).toBe(true);
    expect(again.view).toEqual(plain(stats));
  });

  it("answer a view whose cache write lost a race to a concurrent load, and keep the rest of the request's transaction", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    const account = await createAccount(db.pool, user, { name: "Fixture" });
    await storeFixture(user, account);
    // The first request's snapshot is taken before the second one stores the view.
    const first = await beginRlsTransaction(db.pool, userClaims(user), { isolation: "repeatable read" });
    try {
      await first.db.query("select 1");
      const second = await loadStats(db.pool, userClaims(user), user, FILTERS, NOW);
      expect(second.cacheHit).toBe(false);
      // Not cached in its snapshot: computed, and its write conflicts with the row it cannot see.
      const raced = await statsInRequest(first.db, user, FILTERS, NOW);
      expect(raced.cacheHit).toBe(false);
      expect(plain(raced.view)).toEqual(plain(second.view));
      const { rows } = await first.db.query<{ xid: string }>("select txid_current()::text as xid");
      await first.end(true);
      const status = await db.pool.query("select txid_status($1::bigint) as status", [rows[0]!.xid]);
      expect(status.rows[0].status).toBe("committed");
    } finally {
      await first.end(false);
    }
    expect((await loadStats(db.pool, userClaims(user), user, FILTERS, NOW)).cacheHit).toBe(true);
  });

  it("write any text into the cache row as the literal it was", async () => {
    const texts = ["", "$", "$$", "$v0$", "x$v0", "$v0", "a$v1$b$v0$c$v2", "it's", "\\'; select 1; --", "ü€𝄞\n\t"];
    for (const text of texts) {
      const { rows } = await db.pool.query(`select ${dollarQuoted(text)} as text`);
      expect(rows[0].text).toBe(text);
    }
  });
});
