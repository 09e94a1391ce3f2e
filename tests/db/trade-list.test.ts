// The trade list, detail, bulk delete and CSV export through the model
// functions the /trades routes call, as the signed-in user under RLS.
import { describe, expect, it } from "vitest";
import { exportTradesCsv } from "../../app/models/trade-export.server.ts";
import { FILTER_FIRST_MAX } from "../../app/models/trade-list-queries.ts";
import { deleteTrades as deleteTradesInRequest, listTrades as listTradesInRequest } from "../../app/models/trade-list.server.ts";
import { loadTradeDetail as loadTradeDetailInRequest } from "../../app/models/trade-detail.server.ts";
import { parseTradeFilters, SORT_COLUMNS, type TradeFilters } from "../../app/schemas/trade-filters.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createTag, createTrade, createUser, userClaims } from "../support/fixtures.ts";
import { asRequest } from "./as-request.ts";

const deleteTrades = asRequest(deleteTradesInRequest);
const listTrades = asRequest(listTradesInRequest);
const loadTradeDetail = asRequest(loadTradeDetailInRequest);

const db = await createTestDatabase();
const filters = (query = ""): TradeFilters => parseTradeFilters(new URLSearchParams(query));
const list = (userId: string, query = "") => listTrades(db.appPool, userClaims(userId), filters(query));

async function readCsv(userId: string, query = ""): Promise<string> {
  const bytes = await new Response(exportTradesCsv(db.appPool, userClaims(userId), filters(query))).arrayBuffer();
  // ignoreBOM keeps the byte-order mark in the text, so tests can see it is there.
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
}

/** A pro user (no monthly limit) with `count` closed EURUSD/GBPUSD trades, one a minute from 2026-03-02 09:00Z. */
async function traderWith(count: number, timeZone = "UTC") {
  const userId = await createUser(db.pool, { tier: "pro", timeZone });
  const accountId = await createAccount(db.pool, userId);
  await db.pool.query(
    `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at,
                               volume, entry_price, exit_price, gross_profit, pips)
     select $1, $2, 'p' || g, case when g % 2 = 0 then 'EURUSD' else 'GBPUSD' end,
            case when g % 3 = 0 then 'sell' else 'buy' end, 'closed',
            timestamptz '2026-03-02 09:00Z' + (g || ' minutes')::interval,
            timestamptz '2026-03-02 09:30Z' + (g || ' minutes')::interval,
            0.1 * (1 + g % 5), 1.1, 1.2, (g % 7) - 3, g % 11
       from generate_series(1, $3::int) g`,
    [userId, accountId, count],
  );
  return { userId, accountId };
}

describe("listing", () => {
  it("pages 50 at a time with the total count, newest close first, stable across equal values", async () => {
    const { userId } = await traderWith(123);
    const first = await list(userId);
    expect(first.total).toBe(123);
    expect(first.pageCount).toBe(3);
    expect(first.trades).toHaveLength(50);
    expect(first.trades[0]!.closedAt).toBe("2026-03-02T11:33:00.000Z");
    const third = await list(userId, "page=3");
    expect(third.trades).toHaveLength(23);
    expect(third.page).toBe(3);

    // Sorting by a column with many ties (volume has 5 values) never repeats or skips a trade.
    const seen = new Set<string>();
    for (const page of [1, 2, 3]) {
      for (const trade of (await list(userId, `sort=volume&dir=asc&page=${page}`)).trades) seen.add(trade.id);
    }
    expect(seen.size).toBe(123);
  });

  it("clamps a page past the end to the last page", async () => {
    const { userId } = await traderWith(60);
    const page = await list(userId, "page=9");
    expect(page.page).toBe(2);
    expect(page.trades).toHaveLength(10);
  });

  it("sorts on every column in both directions", async () => {
    const { userId, accountId } = await traderWith(5);
    await createTrade(db.pool, userId, accountId, {
      symbol: "XAUUSD",
      status: "open",
      closed_at: null,
      exit_price: null,
      opened_at: "2026-03-03T08:00:00Z",
    });
    for (const column of SORT_COLUMNS) {
      for (const dir of ["asc", "desc"]) {
        const page = await list(userId, `sort=${column}&dir=${dir}`);
        expect(page.trades, `${column} ${dir}`).toHaveLength(6);
      }
    }
    const byProfit = (await list(userId, "sort=net_profit&dir=asc")).trades.map((t) => Number(t.netProfit));
    expect(byProfit).toEqual([...byProfit].sort((a, b) => a - b));
    const bySymbol = (await list(userId, "sort=symbol&dir=desc")).trades.map((t) => t.symbol);
    expect(bySymbol[0]).toBe("XAUUSD");
    const byDuration = (await list(userId, "sort=duration&dir=asc")).trades;
    expect(byDuration.at(-1)!.status).toBe("open");
    expect(byDuration[0]!.durationMs).toBe(30 * 60_000);
  });

  it("applies each filter on the server", async () => {
    const { userId, accountId } = await traderWith(30);
    const second = await createAccount(db.pool, userId, { name: "Prop" });
    await createTrade(db.pool, userId, second, {
      symbol: "USDJPY",
      status: "open",
      closed_at: null,
      exit_price: null,
      opened_at: "2026-03-05T01:00:00Z",
      gross_profit: "0",
    });
    const tagged = await createTrade(db.pool, userId, accountId, {
      symbol: "XAUUSD",
      opened_at: "2026-03-04T14:00:00Z",
      closed_at: "2026-03-04T15:00:00Z",
      gross_profit: "-40",
    });
    const tag = await createTag(db.pool, userId, "revenge");
    await db.pool.query("insert into public.trade_tags (user_id, trade_id, tag_id) values ($1, $2, $3)", [userId, tagged, tag]);

    expect((await list(userId, `account=${second}`)).trades.map((t) => t.symbol)).toEqual(["USDJPY"]);
    expect((await list(userId, "symbol=eurusd")).total).toBe(15);
    expect((await list(userId, "direction=sell")).trades.every((t) => t.direction === "sell")).toBe(true);
    expect((await list(userId, "direction=sell")).total).toBe(10);
    expect((await list(userId, "status=open")).trades.map((t) => t.symbol)).toEqual(["USDJPY"]);
    expect((await list(userId, "status=closed")).total).toBe(31);
    expect((await list(userId, `tag=${tag}`)).trades.map((t) => t.id)).toEqual([tagged]);
    expect((await list(userId, `tag=${tag}`)).trades[0]!.tags).toEqual([{ id: tag, name: "revenge", color: "#6366f1" }]);
    // 2026-03-05 01:00Z is Tokyo morning: asian. 14:00Z on 2026-03-04 is London + New York: overlap.
    expect((await list(userId, "session=asian")).trades.map((t) => t.symbol)).toEqual(["USDJPY"]);
    expect((await list(userId, "session=overlap")).trades.map((t) => t.symbol)).toEqual(["XAUUSD"]);
    // net = (g % 7) - 3 over g = 1..30: wins g%7 in {4,5,6}; the XAUUSD loss; the open trade has no result.
    const wins = (await list(userId, "result=win")).trades;
    expect(wins.every((t) => Number(t.netProfit) > 0 && t.status === "closed")).toBe(true);
    expect(wins).toHaveLength(12);
    expect((await list(userId, "result=breakeven")).total).toBe(4);
    expect((await list(userId, "result=loss")).total).toBe(15);
    expect((await list(userId, "symbol=EURUSD&direction=buy&result=win")).trades.every((t) => t.symbol === "EURUSD" && t.direction === "buy")).toBe(
      true,
    );
  });

  it("dates closed trades by their close and open trades by their open, in the user's time zone", async () => {
    const userId = await createUser(db.pool, { tier: "pro", timeZone: "America/New_York" });
    const accountId = await createAccount(db.pool, userId);
    // Opened 2026-03-09 23:00 New York, closed 2026-03-10 00:30 New York (04:30Z).
    const lateClose = await createTrade(db.pool, userId, accountId, { opened_at: "2026-03-10T03:00:00Z", closed_at: "2026-03-10T04:30:00Z" });
    // Open since 2026-03-09 20:00 New York (2026-03-10 00:00Z).
    const open = await createTrade(db.pool, userId, accountId, {
      status: "open",
      opened_at: "2026-03-10T00:00:00Z",
      closed_at: null,
      exit_price: null,
    });
    const ids = async (query: string) => (await list(userId, query)).trades.map((t) => t.id).sort();
    expect(await ids("from=2026-03-09&to=2026-03-09")).toEqual([open]);
    expect(await ids("from=2026-03-10&to=2026-03-10")).toEqual([lateClose]);
    expect(await ids("from=2026-03-10")).toEqual([lateClose]);
    expect(await ids("to=2026-03-09")).toEqual([open]);
    expect(await ids("from=2026-03-11")).toEqual([]);
  });

  it("pages a wide date range (more matches than the filter-first limit) across closed and open trades", async () => {
    const { userId, accountId } = await traderWith(FILTER_FIRST_MAX + 100);
    const open = await createTrade(db.pool, userId, accountId, {
      status: "open",
      opened_at: "2026-03-02T09:00:30Z",
      closed_at: null,
      exit_price: null,
    });
    const query = "from=2026-03-01&to=2026-03-31&sort=opened_at&dir=asc";
    const first = await list(userId, query);
    expect(first.total).toBe(FILTER_FIRST_MAX + 101);
    // g = 1 opens at 09:01; the open trade at 09:00:30 comes first.
    expect(first.trades[0]!.id).toBe(open);
    const opened = first.trades.map((t) => t.openedAt);
    expect(opened).toEqual([...opened].sort());
    const last = await list(userId, `${query}&page=999`);
    expect(last.page).toBe(Math.ceil((FILTER_FIRST_MAX + 101) / 50));
    expect(last.trades).toHaveLength((FILTER_FIRST_MAX + 101) % 50 || 50);
    // Newest close first by default: the open trade (no close) leads.
    expect((await list(userId, "from=2026-03-01&to=2026-03-31")).trades[0]!.id).toBe(open);
  });

  it("pages a date range across closed and open trades in one order", async () => {
    const { userId, accountId } = await traderWith(70);
    for (const hour of [10, 12]) {
      await createTrade(db.pool, userId, accountId, { status: "open", opened_at: `2026-03-02T${hour}:05:00Z`, closed_at: null, exit_price: null });
    }
    const query = "from=2026-03-02&to=2026-03-02&sort=opened_at&dir=asc";
    const first = await list(userId, query);
    const second = await list(userId, `${query}&page=2`);
    expect(first.total).toBe(72);
    expect(second.trades).toHaveLength(22);
    const opened = [...first.trades, ...second.trades].map((t) => t.openedAt);
    expect(opened).toEqual([...opened].sort());
    expect(new Set([...first.trades, ...second.trades].map((t) => t.id)).size).toBe(72);
    expect([...first.trades, ...second.trades].filter((t) => t.status === "open")).toHaveLength(2);
  });

  it("shows whether a trade has a journal, and reads the user's symbols, tags and accounts for the filters", async () => {
    const { userId, accountId } = await traderWith(3);
    const journaled = await createTrade(db.pool, userId, accountId, {
      symbol: "AUDUSD",
      closed_at: "2026-04-01T10:00:00Z",
      opened_at: "2026-04-01T09:00:00Z",
    });
    await db.pool.query("insert into public.journals (user_id, trade_id, notes) values ($1, $2, 'held too long')", [userId, journaled]);
    const page = await list(userId);
    expect(page.trades.find((t) => t.id === journaled)!.hasJournal).toBe(true);
    expect(page.trades.filter((t) => t.hasJournal)).toHaveLength(1);
    expect(page.symbols).toEqual(["AUDUSD", "EURUSD", "GBPUSD"]);
    expect(page.accounts.map((a) => a.id)).toEqual([accountId]);
    expect(page.timeZone).toBe("UTC");
  });
});

describe("tenancy", () => {
  it("never lists, counts, shows or exports another user's trades", async () => {
    const mine = await traderWith(2);
    const theirs = await traderWith(7);
    const theirTrade = (await list(theirs.userId)).trades[0]!.id;
    const page = await list(mine.userId);
    expect(page.total).toBe(2);
    // Even naming their account in the URL finds nothing.
    expect((await list(mine.userId, `account=${theirs.accountId}`)).total).toBe(0);
    expect(await loadTradeDetail(db.appPool, userClaims(mine.userId), theirTrade)).toBeNull();
    const csv = await readCsv(mine.userId);
    expect(csv.trim().split("\r\n")).toHaveLength(3);
    expect(csv).not.toContain(theirTrade);
  });

  it("bulk delete removes only the user's own trades, with their journals, legs and tags", async () => {
    const mine = await traderWith(3);
    const theirs = await traderWith(2);
    const [keep, remove] = (await list(mine.userId)).trades;
    const theirTrade = (await list(theirs.userId)).trades[0]!.id;
    await db.pool.query("insert into public.journals (user_id, trade_id, notes) values ($1, $2, 'x')", [mine.userId, remove!.id]);
    await db.pool.query(
      `insert into public.trade_legs (user_id, trade_id, kind, direction, executed_at, volume, price)
       values ($1, $2, 'entry', 'buy', now(), 0.1, 1.1)`,
      [mine.userId, remove!.id],
    );
    const tag = await createTag(db.pool, mine.userId);
    await db.pool.query("insert into public.trade_tags (user_id, trade_id, tag_id) values ($1, $2, $3)", [mine.userId, remove!.id, tag]);

    const deleted = await deleteTrades(db.appPool, userClaims(mine.userId), [remove!.id, theirTrade, "not-a-uuid", remove!.id]);
    expect(deleted).toBe(1);
    const remaining = await db.pool.query("select id from public.trades where id = any($1::uuid[])", [[keep!.id, remove!.id, theirTrade]]);
    expect(remaining.rows.map((r) => r.id).sort()).toEqual([keep!.id, theirTrade].sort());
    for (const table of ["journals", "trade_legs", "trade_tags"]) {
      const { rows } = await db.pool.query(`select count(*)::int as n from public.${table} where trade_id = $1`, [remove!.id]);
      expect(rows[0].n, table).toBe(0);
    }
    expect(await deleteTrades(db.appPool, userClaims(mine.userId), [])).toBe(0);
  });
});

describe("the unfiltered total (public.trade_counts)", () => {
  it("stays exact through bulk inserts, deletes and account deletion, and only the triggers write it", async () => {
    const { userId, accountId } = await traderWith(130);
    const second = await createAccount(db.pool, userId, { name: "Second" });
    await createTrade(db.pool, userId, second);
    const total = async () => (await list(userId)).total;
    expect(await total()).toBe(131);
    expect((await list(userId, "sort=pips")).total).toBe(131);
    const ids = (await db.pool.query("select id from public.trades where account_id = $1 limit 5", [accountId])).rows.map((r) => r.id);
    await deleteTrades(db.appPool, userClaims(userId), ids);
    expect(await total()).toBe(126);
    await db.pool.query("delete from public.accounts where id = $1", [second]);
    expect(await total()).toBe(125);
    const counted = await db.pool.query("select count(*)::int as n from public.trades where user_id = $1", [userId]);
    expect(counted.rows[0].n).toBe(125);
    // The user can read their count but not change it.
    const write = db.appPool.connect().then(async (client) => {
      try {
        await client.query("begin");
        await client.query("select set_config('request.jwt.claims', $1, true), set_config('role', 'authenticated', true)", [
          JSON.stringify(userClaims(userId)),
        ]);
        await client.query("update public.trade_counts set trades = 1 where user_id = $1", [userId]);
      } finally {
        await client.query("rollback");
        client.release();
      }
    });
    await expect(write).rejects.toMatchObject({ code: "42501" });
  });
});

describe("detail", () => {
  it("reads the trade with its legs in order, account, journal and tags", async () => {
    const { userId, accountId } = await traderWith(0, "Europe/Berlin");
    const tradeId = await createTrade(db.pool, userId, accountId, {
      symbol: "XAUUSD",
      direction: "sell",
      entry_price: "2350.40",
      exit_price: "2338.10",
      initial_stop_loss: "2356.40",
    });
    await db.pool.query(
      `insert into public.trade_legs (user_id, trade_id, deal_id, kind, direction, executed_at, volume, price, profit, commission)
       values ($1, $2, 'D3', 'exit', 'buy', '2026-03-02T11:40:00Z', 0.2, 2338.10, 61.50, -1.4),
              ($1, $2, 'D1', 'entry', 'sell', '2026-03-02T09:15:00Z', 0.5, 2350.40, 0, -3.5),
              ($1, $2, 'D2', 'exit', 'buy', '2026-03-02T10:00:00Z', 0.3, 2340.00, 31.20, -2.1)`,
      [userId, tradeId],
    );
    const detail = await loadTradeDetail(db.appPool, userClaims(userId), tradeId);
    expect(detail!.timeZone).toBe("Europe/Berlin");
    expect(detail!.trade.legs.map((l) => l.dealId)).toEqual(["D1", "D2", "D3"]);
    expect(detail!.trade.legs[2]!.profit).toBe("61.50");
    expect(detail!.trade.account).toMatchObject({ id: accountId, name: "Main", currency: "USD", serverTimeZone: "NY+7" });
    expect(detail!.trade.netProfit).toBe("85.00");
    expect(detail!.trade.hasJournal).toBe(false);
    expect(await loadTradeDetail(db.appPool, userClaims(userId), "nope")).toBeNull();
  });
});

describe("CSV export", () => {
  it("exports the whole filtered set, not just a page, in the list's order", async () => {
    const { userId } = await traderWith(120);
    const csv = await readCsv(userId, "symbol=EURUSD&sort=opened_at&dir=asc&page=2");
    expect(csv.startsWith("\uFEFFtrade_id,account,")).toBe(true);
    const lines = csv.slice(1).trimEnd().split("\r\n");
    expect(lines).toHaveLength(61);
    expect(lines.slice(1).every((line) => line.split(",")[4] === "EURUSD")).toBe(true);
    const opened = lines.slice(1).map((line) => line.split(",")[8]!);
    expect(opened).toEqual([...opened].sort());
  });

  it("streams past one cursor batch and neutralises formula-looking text", async () => {
    const { userId, accountId } = await traderWith(2100);
    await db.pool.query("update public.accounts set name = '=HYPERLINK(\"http://x\")' where id = $1", [accountId]);
    await db.pool.query("update public.trades set comment = '@SUM(1+1)' where account_id = $1", [accountId]);
    const csv = await readCsv(userId);
    const rows = csv.slice(1).trimEnd().split("\r\n").slice(1);
    expect(rows).toHaveLength(2100);
    expect(rows[0]).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(rows[0]!.endsWith(",'@SUM(1+1)")).toBe(true);
    // Negative P&L stays a number.
    expect(rows.some((row) => row.split(",")[21] === "-3")).toBe(true);
  });
});
