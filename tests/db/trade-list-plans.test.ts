// The trade list's fast paths give the same answers as the plain queries: the
// per-value totals (public.trade_facet_counts) stay exact through every kind
// of write, every count shortcut equals count(*), and every page plan (walk,
// filter first, date branches) returns exactly the page a plain
// WHERE … ORDER BY … LIMIT … OFFSET would. The reference SQL here is written
// out by hand, independently of app/models/trade-list-queries.ts.
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { withRlsTransaction } from "../../app/lib/db.server.ts";
import { metaQuery, pagePlan, pageQuery, type PagePlan } from "../../app/models/trade-list-queries.ts";
import { deleteTrades as deleteTradesInRequest, listTrades as listTradesInRequest } from "../../app/models/trade-list.server.ts";
import { parseTradeFilters } from "../../app/schemas/trade-filters.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createTag, createUser, userClaims } from "../support/fixtures.ts";
import { asRequest } from "./as-request.ts";

const deleteTrades = asRequest(deleteTradesInRequest);
const listTrades = asRequest(listTradesInRequest);

const db = await createTestDatabase();
const filtersOf = (query: string) => parseTradeFilters(new URLSearchParams(query));

/**
 * A pro trader (UTC) with 420 trades over March 2026 in two accounts: four
 * symbols, both sides, every 7th open, breakeven, wins and losses, volume
 * ties; every 5th tagged "A", every 9th journaled.
 */
async function trader() {
  const userId = await createUser(db.pool, { tier: "pro", timeZone: "UTC" });
  const main = await createAccount(db.pool, userId, { name: "Main" });
  const prop = await createAccount(db.pool, userId, { name: "Prop" });
  await db.pool.query(
    `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at,
                               volume, closed_volume, entry_price, exit_price, gross_profit, commission, pips)
     select $1, case when g % 3 = 0 then $3::uuid else $2::uuid end, 'p' || g,
            (array['EURUSD', 'GBPUSD', 'XAUUSD', 'US30'])[1 + g % 4],
            case when g % 2 = 0 then 'buy' else 'sell' end,
            case when g % 7 = 0 then 'open' else 'closed' end,
            timestamptz '2026-03-01 00:00Z' + (g * 97 || ' minutes')::interval,
            case when g % 7 = 0 then null else timestamptz '2026-03-01 00:00Z' + (g * 97 + 5 + g % 240 || ' minutes')::interval end,
            0.1 * (1 + g % 4), case when g % 7 = 0 then 0 else 0.1 * (1 + g % 4) end,
            1.1, case when g % 7 = 0 then null else 1.1 + (g % 13) / 1000.0 end,
            case when g % 11 = 0 then 3.5 else (g % 17) * 10 - 80 end, -3.5,
            case when g % 7 = 0 then null else g % 23 - 11 end
       from generate_series(1, 420) g`,
    [userId, main, prop],
  );
  const tag = await createTag(db.pool, userId, "A");
  await db.pool.query(
    `insert into public.trade_tags (user_id, trade_id, tag_id)
     select user_id, id, $2 from public.trades where user_id = $1 and substring(position_id from 2)::int % 5 = 0`,
    [userId, tag],
  );
  await db.pool.query(
    `insert into public.journals (user_id, trade_id, notes)
     select user_id, id, 'n' from public.trades where user_id = $1 and substring(position_id from 2)::int % 9 = 0`,
    [userId],
  );
  return { userId, main, prop, tag };
}

/** The user's totals per (facet, value), as trade_facet_counts holds them and as counted from the trades. */
async function facetTotals(userId: string) {
  const kept = await db.pool.query<{ facet: string; value: string; trades: string }>(
    "select facet, value, trades::text from public.trade_facet_counts where user_id = $1 order by facet, value",
    [userId],
  );
  const counted = await db.pool.query<{ facet: string; value: string; trades: string }>(
    `select facet, value, count(*)::text as trades from (
       select 'account' as facet, account_id::text as value from public.trades where user_id = $1
       union all select 'symbol', symbol from public.trades where user_id = $1
       union all select 'direction', direction from public.trades where user_id = $1
       union all select 'session', session_tag from public.trades where user_id = $1 and session_tag is not null
       union all select 'status', status from public.trades where user_id = $1
       union all select 'result', case when gross_profit + commission + swap + fee > 0 then 'win'
                                       when gross_profit + commission + swap + fee < 0 then 'loss' else 'breakeven' end
                   from public.trades where user_id = $1 and status = 'closed'
     ) v group by facet, value order by facet, value`,
    [userId],
  );
  return { kept: kept.rows, counted: counted.rows };
}

describe("per-value totals (public.trade_facet_counts)", () => {
  it("match the trades after inserts, updates of every counted column, deletes and an account's deletion", async () => {
    const { userId, main, prop } = await trader();
    const check = async (step: string) => {
      const { kept, counted } = await facetTotals(userId);
      expect(kept, step).toEqual(counted);
    };
    await check("after the bulk insert");
    expect((await facetTotals(userId)).kept.find((r) => r.facet === "result" && r.value === "breakeven")).toBeTruthy();

    // Close some open trades as wins, and move a few to the other account.
    await db.pool.query(
      `update public.trades set status = 'closed', closed_at = opened_at + interval '1 hour', exit_price = 1.2, closed_volume = volume, gross_profit = 50
        where user_id = $1 and status = 'open' and substring(position_id from 2)::int % 2 = 0`,
      [userId],
    );
    await check("after closing open trades");
    await db.pool.query("update public.trades set account_id = $1 where account_id = $2 and symbol = 'US30'", [prop, main]);
    await check("after moving trades between accounts");
    // Side, symbol, open time (re-tags the session) and a loss turned into breakeven.
    await db.pool.query(
      "update public.trades set direction = 'sell', symbol = 'NAS100' where user_id = $1 and symbol = 'XAUUSD' and direction = 'buy'",
      [userId],
    );
    await db.pool.query(
      "update public.trades set opened_at = opened_at - interval '9 hours' where user_id = $1 and symbol = 'EURUSD' and status = 'closed'",
      [userId],
    );
    await db.pool.query("update public.trades set gross_profit = 3.5 where user_id = $1 and gross_profit = -80", [userId]);
    // An update that changes no counted column.
    await db.pool.query("update public.trades set comment = 'reviewed' where user_id = $1", [userId]);
    await check("after updates");
    // Every XAUUSD trade was a buy (g % 4 = 2 is even), so the symbol's row went with the rename.
    const symbols = (await facetTotals(userId)).kept.filter((r) => r.facet === "symbol").map((r) => r.value);
    expect(symbols).toEqual(["EURUSD", "GBPUSD", "NAS100", "US30"]);

    // Deleting through the app, as the user.
    const some = await db.pool.query<{ id: string }>("select id from public.trades where user_id = $1 and symbol = 'GBPUSD' limit 40", [userId]);
    expect(
      await deleteTrades(
        db.appPool,
        userClaims(userId),
        some.rows.map((r) => r.id),
      ),
    ).toBe(40);
    await check("after a bulk delete");
    // A value whose last trade goes leaves no row behind.
    await db.pool.query("delete from public.trades where user_id = $1 and symbol = 'NAS100'", [userId]);
    await check("after deleting every NAS100 trade");
    expect((await facetTotals(userId)).kept.some((r) => r.value === "NAS100")).toBe(false);

    await db.pool.query("delete from public.accounts where id = $1", [prop]);
    await check("after deleting an account");
    expect((await facetTotals(userId)).kept.some((r) => r.value === prop)).toBe(false);
  });

  it("keep other users' totals apart, and only the triggers write them", async () => {
    const a = await trader();
    const b = await trader();
    const seen = await withRlsTransaction(db.appPool, userClaims(a.userId), (c) => c.query("select distinct user_id from public.trade_facet_counts"));
    expect(seen.rows).toEqual([{ user_id: a.userId }]);
    const write = withRlsTransaction(db.appPool, userClaims(a.userId), (c) =>
      c.query("update public.trade_facet_counts set trades = 0 where user_id = $1", [a.userId]),
    );
    await expect(write).rejects.toMatchObject({ code: "42501" });
    expect((await facetTotals(b.userId)).kept).toEqual((await facetTotals(b.userId)).counted);
  });

  it("go with the user's profile", async () => {
    const { userId } = await trader();
    await db.pool.query("delete from auth.users where id = $1", [userId]);
    const { rows } = await db.pool.query("select count(*)::int as n from public.trade_facet_counts where user_id = $1", [userId]);
    expect(rows[0].n).toBe(0);
  });
});

describe("the journal flag (trades.journaled)", () => {
  it("follows the journal: written, moved to another trade, removed, and through the user's own writes", async () => {
    const { userId } = await trader();
    const flagged = async () =>
      (
        await db.pool.query<{ position_id: string }>("select position_id from public.trades where user_id = $1 and journaled order by position_id", [
          userId,
        ])
      ).rows.map((r) => r.position_id);
    const journaled = async () =>
      (
        await db.pool.query<{ position_id: string }>(
          "select t.position_id from public.trades t where t.user_id = $1 and exists (select 1 from public.journals j where j.trade_id = t.id) order by t.position_id",
          [userId],
        )
      ).rows.map((r) => r.position_id);
    expect(await flagged()).toEqual(await journaled());
    expect((await flagged()).length).toBe(46);

    const idOf = async (position: string) =>
      (await db.pool.query<{ id: string }>("select id from public.trades where user_id = $1 and position_id = $2", [userId, position])).rows[0]!.id;
    const [p1, p2, p9] = [await idOf("p1"), await idOf("p2"), await idOf("p9")];
    // Written as the user, through RLS.
    await withRlsTransaction(db.appPool, userClaims(userId), (c) =>
      c.query("insert into public.journals (user_id, trade_id, notes) values ($1, $2, 'new')", [userId, p1]),
    );
    expect(await flagged()).toContain("p1");
    // Moved to another trade.
    await db.pool.query("update public.journals set trade_id = $2 where trade_id = $1", [p1, p2]);
    expect(await flagged()).toEqual(await journaled());
    expect(await flagged()).not.toContain("p1");
    // Removed, as the user.
    await withRlsTransaction(db.appPool, userClaims(userId), (c) => c.query("delete from public.journals where trade_id = $1", [p9]));
    expect(await flagged()).not.toContain("p9");
    // A trade deleted with its journal takes both.
    await deleteTrades(db.appPool, userClaims(userId), [p2]);
    expect(await flagged()).toEqual(await journaled());
    // Sorting by journal puts the journaled ones first.
    const first = await listTrades(db.appPool, userClaims(userId), filtersOf("sort=journal&dir=desc"));
    expect(first.trades.slice(0, 45).every((t) => t.hasJournal)).toBe(true);
    expect(first.trades[45]!.hasJournal).toBe(false);
  });
});

/** The reference: filters written out as plain SQL, in the list's order. */
const REFERENCE_ORDER: Record<string, string> = {
  closed_at: "t.closed_at {d}, t.id {d}",
  opened_at: "t.opened_at {d}, t.id {d}",
  symbol: "t.symbol {d}, t.id {d}",
  net_profit: "t.net_profit {d}, t.id {d}",
  pips: "t.pips {d}, t.id {d}",
  duration: "(t.closed_at - t.opened_at) {d}, t.id {d}",
  status: "t.status {d}, t.opened_at {d}, t.id {d}",
  journal: "exists (select 1 from public.journals j where j.trade_id = t.id) {d}, t.closed_at {d}, t.id {d}",
  volume: "t.volume {d}, t.id {d}",
};

async function referencePage(userId: string, where: string, sort: string, dir: string, page: number, values: unknown[]) {
  const order = REFERENCE_ORDER[sort]!.replaceAll("{d}", dir);
  const { rows } = await db.pool.query<{ id: string }>(
    `select t.id from public.trades t where t.user_id = $1 and ${where} order by ${order} limit 50 offset ${(page - 1) * 50}`,
    [userId, ...values],
  );
  const count = await db.pool.query<{ n: string }>(`select count(*) as n from public.trades t where t.user_id = $1 and ${where}`, [
    userId,
    ...values,
  ]);
  return { ids: rows.map((r) => r.id), total: Number(count.rows[0]!.n) };
}

/** One page through a given plan, as the user. */
async function pageThrough(userId: string, query: string, plan: PagePlan, page: number): Promise<string[]> {
  const filters = filtersOf(query);
  const built = pageQuery(userId, filters, page, plan, { dayRule: { timeZone: "UTC", dayStartMinutes: 0 } });
  const { rows } = await withRlsTransaction(db.appPool, userClaims(userId), (c: pg.PoolClient) => c.query<{ id: string }>(built.text, built.values));
  return rows.map((r) => r.id);
}

describe("counts and pages", () => {
  it("every single filter's count shortcut equals count(*), and each page plan returns the plain query's page", async () => {
    const { userId, main, tag } = await trader();
    const closedOrOpenIn = (from: string, to: string) =>
      `((t.status = 'closed' and t.closed_at >= '${from}' and t.closed_at < '${to}') or (t.status = 'open' and t.opened_at >= '${from}' and t.opened_at < '${to}'))`;
    const cases: { query: string; where: string; values?: unknown[] }[] = [
      { query: "", where: "true" },
      { query: `account=${main}`, where: "t.account_id = $2", values: [main] },
      { query: "symbol=XAUUSD", where: "t.symbol = 'XAUUSD'" },
      { query: "direction=sell", where: "t.direction = 'sell'" },
      { query: "session=london", where: "t.session_tag = 'london'" },
      { query: "status=open", where: "t.status = 'open'" },
      { query: "status=closed", where: "t.status = 'closed'" },
      { query: "result=win", where: "t.status = 'closed' and t.net_profit > 0" },
      { query: "result=breakeven", where: "t.status = 'closed' and t.net_profit = 0" },
      { query: `tag=${tag}`, where: "t.id in (select trade_id from public.trade_tags where tag_id = $2)", values: [tag] },
      { query: "from=2026-03-10&to=2026-03-20", where: closedOrOpenIn("2026-03-10", "2026-03-21") },
      {
        query: "from=2026-03-25",
        where: "((t.status = 'closed' and t.closed_at >= '2026-03-25') or (t.status = 'open' and t.opened_at >= '2026-03-25'))",
      },
      {
        query: "to=2026-03-05",
        where: "((t.status = 'closed' and t.closed_at < '2026-03-06') or (t.status = 'open' and t.opened_at < '2026-03-06'))",
      },
      {
        query: `symbol=EURUSD&direction=buy&tag=${tag}`,
        where: "t.symbol = 'EURUSD' and t.direction = 'buy' and t.id in (select trade_id from public.trade_tags where tag_id = $2)",
        values: [tag],
      },
      { query: "from=2026-03-10&to=2026-03-20&status=closed", where: `t.status = 'closed' and ${closedOrOpenIn("2026-03-10", "2026-03-21")}` },
    ];
    const sorts = [
      ["closed_at", "desc"],
      ["opened_at", "asc"],
      ["net_profit", "asc"],
      ["pips", "desc"],
      ["duration", "desc"],
      ["status", "asc"],
      ["status", "desc"],
      ["volume", "asc"],
      ["journal", "desc"],
      ["journal", "asc"],
    ];
    for (const { query, where, values = [] } of cases) {
      for (const [sort, dir] of sorts) {
        const full = `${query}${query ? "&" : ""}sort=${sort}&dir=${dir}`;
        const first = await referencePage(userId, where, sort!, dir!, 1, values);
        const listed = await listTrades(db.appPool, userClaims(userId), filtersOf(full));
        expect(listed.total, `${full}: total`).toBe(first.total);
        expect(
          listed.trades.map((t) => t.id),
          `${full}: page 1 as listed`,
        ).toEqual(first.ids);
        const lastPage = Math.max(1, Math.ceil(first.total / 50));
        const branched = query.includes("from") || query.includes("to=") || sort === "journal";
        const plans: PagePlan[] = branched ? ["filter-first", "branches"] : ["walk", "filter-first"];
        for (const page of [...new Set([1, 2, lastPage])]) {
          const expected = page === 1 ? first.ids : (await referencePage(userId, where, sort!, dir!, page, values)).ids;
          for (const plan of plans) {
            expect(await pageThrough(userId, full, plan, page), `${full}: page ${page} by ${plan}`).toEqual(expected);
          }
        }
      }
    }
  });

  it("reads the count of a lone filter from the kept totals, not from the trades", async () => {
    const { userId } = await trader();
    // Totals changed behind the triggers' back show through: the count comes from them.
    await db.pool.query("update public.trade_facet_counts set trades = 7777 where user_id = $1 and facet = 'direction' and value = 'sell'", [userId]);
    expect((await listTrades(db.appPool, userClaims(userId), filtersOf("direction=sell"))).total).toBe(7777);
    // Two filters are counted from the rows.
    const both = await listTrades(db.appPool, userClaims(userId), filtersOf("direction=sell&symbol=EURUSD"));
    const { rows } = await db.pool.query(
      "select count(*)::int as n from public.trades where user_id = $1 and direction = 'sell' and symbol = 'EURUSD'",
      [userId],
    );
    expect(both.total).toBe(rows[0].n);
  });

  it("lists the user's symbols from the kept totals", async () => {
    const { userId } = await trader();
    const meta = metaQuery(userId, filtersOf(""));
    const { rows } = await withRlsTransaction(db.appPool, userClaims(userId), (c) => c.query(meta.text, meta.values));
    expect(rows[0].symbols).toEqual(["EURUSD", "GBPUSD", "US30", "XAUUSD"]);
    expect(Number(rows[0].user_total)).toBe(420);
  });
});

describe("pagePlan", () => {
  const plan = (query: string, total: number, page = 1, userTotal = 100_000) => pagePlan(filtersOf(query), { total, userTotal, page });

  it("walks the sort index for no filter or many matches, and filters first for few", () => {
    expect(plan("", 100_000)).toBe("walk");
    expect(plan("direction=sell", 50_000)).toBe("walk");
    expect(plan("symbol=XAUUSD", 7_000)).toBe("walk");
    expect(plan("symbol=XAUUSD", 400)).toBe("filter-first");
    expect(plan("result=breakeven", 30)).toBe("filter-first");
  });

  it("keeps walking for a filter the index answers while the walk is short", () => {
    // 2,500 tagged of 100,000: page 1 passes ~2,000 index entries.
    expect(plan("tag=8c0f6a52-1b51-4c1b-9d0e-0f3f4f0a0a01", 2_500)).toBe("walk");
    expect(plan("tag=8c0f6a52-1b51-4c1b-9d0e-0f3f4f0a0a01", 2_500, 10)).toBe("filter-first");
    expect(plan("tag=8c0f6a52-1b51-4c1b-9d0e-0f3f4f0a0a01", 50)).toBe("filter-first");
    expect(plan("status=open", 3_000)).toBe("walk");
    expect(plan("status=open&sort=pips", 3_000)).toBe("filter-first");
  });

  it("sorts by journal as two branches, journaled trades and the rest", () => {
    expect(plan("sort=journal", 100_000)).toBe("branches");
    expect(plan("sort=journal&dir=asc&direction=buy", 50_000)).toBe("branches");
    expect(plan("sort=journal&symbol=XAUUSD", 300)).toBe("filter-first");
  });

  it("reads a date range as two index ranges when sorted by time", () => {
    expect(plan("from=2026-03-01", 100)).toBe("branches");
    expect(plan("from=2026-03-01&sort=opened_at&dir=asc", 100_000)).toBe("branches");
    expect(plan("from=2026-03-01&sort=pips", 100)).toBe("filter-first");
    expect(plan("from=2026-03-01&sort=pips", 20_000)).toBe("branches");
  });
});
