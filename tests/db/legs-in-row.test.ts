// Legs as rows only where they carry information (docs/decisions/017): the
// store keeps a single entry/exit pair in its trade row, public.trade_leg_rows
// gives it back, the migration moves existing pairs, and re-importing after it
// stores nothing new.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { TradeInput } from "../../app/domain/trades/types.ts";
import { withRlsTransaction } from "../../app/lib/db.server.ts";
import { loadDashboard } from "../../app/models/dashboard.server.ts";
import { loadTradeDetail as loadTradeDetailInRequest } from "../../app/models/trade-detail.server.ts";
import { CATALOGUE } from "../../app/domain/instruments/catalogue.ts";
import type { AccessClaims } from "../../app/lib/access-token.server.ts";
import { updateTrade as updateTradeInRequest } from "../../app/models/manual-trades.server.ts";
import { exportTradesCsv } from "../../app/models/trade-export.server.ts";
import { loadTradeLegs } from "../../app/models/trade-legs.server.ts";
import { storeTrades, type StoreContext } from "../../app/models/trade-store.server.ts";
import { parseTradeFilters } from "../../app/schemas/trade-filters.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createUser, userClaims } from "../support/fixtures.ts";
import { closedPair, closedSellPair, disagreeingPair, openEntry, scaleIn } from "../support/leg-pair-trades.ts";
import { asRequest } from "./as-request.ts";

const loadFigures = asRequest(loadDashboard);

const db = await createTestDatabase();
const loadTradeDetail = asRequest(loadTradeDetailInRequest);
const updateTrade = asRequest(updateTradeInRequest);
const MIGRATION = new URL("../../supabase/migrations/20261207140000_legs_in_trade_row.sql", import.meta.url);

async function setUp() {
  const userId = await createUser(db.pool, { tier: "pro" });
  const accountId = await createAccount(db.pool, userId);
  const context: StoreContext = { userId, accountId, source: "file", importBatchId: null };
  const store = (trades: TradeInput[]) =>
    withRlsTransaction(db.appPool, userClaims(userId), (client) => storeTrades(client, context, { trades, cash: [] }));
  const idOf = async (positionId: string) =>
    (await db.pool.query<{ id: string }>("select id from public.trades where account_id = $1 and position_id = $2", [accountId, positionId])).rows[0]!
      .id;
  const legsOf = async (positionId: string) =>
    withRlsTransaction(db.appPool, userClaims(userId), async (client) => loadTradeLegs(client, await idOf(positionId)));
  const legRows = async () =>
    (await db.pool.query<{ n: number }>("select count(*)::int as n from public.trade_legs where user_id = $1", [userId])).rows[0]!.n;
  return { userId, accountId, store, idOf, legsOf, legRows };
}

/** The input's legs as the read API returns them (ids aside). */
function asRead(trade: TradeInput) {
  return trade.legs.map((leg) => ({
    dealId: leg.dealId,
    orderId: leg.orderId,
    kind: leg.kind,
    direction: leg.direction,
    executedAt: leg.executedAt.toISOString(),
    volume: leg.volume,
    price: leg.price,
    profit: leg.profit,
    commission: leg.commission,
    swap: leg.swap,
    fee: leg.fee,
    reason: leg.reason,
    comment: leg.comment,
  }));
}

const withoutIds = <T extends { id: string }>(legs: T[]) => legs.map(({ id: _id, ...leg }) => leg);

const TRADES = () => [closedPair("101"), closedSellPair("102"), openEntry("103"), scaleIn("104"), disagreeingPair("105")];

describe("legs in the trade row", () => {
  it("stores no leg rows for single pairs and reads every trade's legs back exactly", async () => {
    const { store, legsOf, legRows, accountId } = await setUp();
    expect(await store(TRADES())).toMatchObject({ inserted: 5, duplicates: 0 });
    // Only the scale-in (3) and the pair whose exit profit differs (2) are rows.
    expect(await legRows()).toBe(5);
    const { rows } = await db.pool.query("select position_id, legs_in_row from public.trades where account_id = $1 order by position_id", [
      accountId,
    ]);
    expect(rows.map((r) => r.legs_in_row)).toEqual([true, true, true, false, false]);
    for (const trade of TRADES()) expect(withoutIds(await legsOf(trade.positionId))).toEqual(asRead(trade));
  });

  it("synthesises buy and sell pairs and an open entry with the money on the exit leg", async () => {
    const { store, legsOf } = await setUp();
    await store([closedPair("201"), closedSellPair("202"), openEntry("203")]);
    expect(withoutIds(await legsOf("201"))).toMatchObject([
      { kind: "entry", direction: "buy", profit: "0", swap: "0", commission: "-1.75", fee: "0", volume: "0.50", price: "1.08250" },
      { kind: "exit", direction: "sell", profit: "85.00", swap: "-0.42", commission: "-1.75", price: "1.08420", reason: "tp" },
    ]);
    expect(withoutIds(await legsOf("202"))).toMatchObject([
      { kind: "entry", direction: "sell", profit: "0", commission: "-1.75", fee: "0" },
      { kind: "exit", direction: "buy", profit: "-12.30", swap: "0", commission: "0", fee: "-0.20", executedAt: "2026-03-02T11:40:00.000Z" },
    ]);
    const open = await legsOf("203");
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ kind: "entry", executedAt: "2026-03-02T09:15:00.000Z", commission: "-1.75" });
    // Stable ids: the same legs read twice are keyed alike.
    expect((await legsOf("203"))[0]!.id).toBe(open[0]!.id);
  });

  it("hides another user's synthesised legs (RLS through the view)", async () => {
    const { store, idOf } = await setUp();
    await store([closedPair("301")]);
    const id = await idOf("301");
    const stranger = await createUser(db.pool);
    const seen = await withRlsTransaction(db.appPool, userClaims(stranger), (client) => loadTradeLegs(client, id));
    expect(seen).toEqual([]);
  });

  it("an open pair that closes later is updated in its row; a partial close becomes rows", async () => {
    const { store, legsOf, legRows } = await setUp();
    await store([openEntry("401"), openEntry("402")]);
    const partial = closedPair("402", { status: "open", closedAt: null, closeServerUtcOffsetMinutes: null, closeReason: null, closedVolume: "0.20" });
    partial.legs = [partial.legs[0]!, { ...partial.legs[1]!, volume: "0.20" }];
    expect(await store([closedPair("401"), partial])).toMatchObject({ updated: 2 });
    expect(withoutIds(await legsOf("401"))).toEqual(asRead(closedPair("401")));
    expect(withoutIds(await legsOf("402"))).toEqual(asRead(partial));
    expect(await legRows()).toBe(2);
  });

  it("editing an imported pair's row leaves its deals as they were (the pair becomes rows first)", async () => {
    const { userId, accountId, store, idOf, legsOf, legRows } = await setUp();
    await store([closedPair("501")]);
    const claims = { ...userClaims(userId), exp: Math.floor(Date.now() / 1000) + 3600 } as AccessClaims;
    await updateTrade(db.appPool, claims, await idOf("501"), {
      accountId,
      accountCurrency: "USD",
      symbol: "EURUSD",
      brokerSymbol: "EURUSD.Z",
      direction: "buy",
      openedAt: new Date("2026-03-02T09:15:00Z"),
      closedAt: new Date("2026-03-02T11:40:00Z"),
      entryPrice: "1.08250",
      exitPrice: "1.08500",
      lots: "0.50",
      stopLoss: null,
      takeProfit: null,
      commission: "-3.50",
      swap: "-0.42",
      fee: "0",
      brokerProfit: "85.00",
      conversionRate: null,
      spec: CATALOGUE.get("EURUSD")!,
      comment: "entry note",
    });
    const { rows } = await db.pool.query("select exit_price::text, legs_in_row from public.trades where id = $1", [await idOf("501")]);
    expect(rows[0]).toEqual({ exit_price: "1.08500", legs_in_row: false });
    expect(await legRows()).toBe(2);
    expect(withoutIds(await legsOf("501"))).toEqual(asRead(closedPair("501")));
  });

  it("the migration moves stored single pairs into their rows: detail, export and figures unchanged; re-import adds nothing", async () => {
    const { userId, accountId, store, idOf, legRows } = await setUp();
    const trades = TRADES();
    await store(trades);
    // The layout before the migration: every leg a row, as the old store wrote them.
    await db.pool.query(
      `update public.trades set legs_in_row = false, entry_deal_id = null, entry_order_id = null, entry_reason = null, entry_comment = null,
              entry_commission = null, entry_fee = null, exit_deal_id = null, exit_order_id = null, exit_reason = null,
              exit_comment = null, exit_commission = null, exit_fee = null
        where account_id = $1`,
      [accountId],
    );
    await db.pool.query("delete from public.trade_legs where user_id = $1", [userId]);
    for (const trade of trades) {
      const tradeId = await idOf(trade.positionId);
      for (const leg of trade.legs)
        await db.pool.query(
          `insert into public.trade_legs (user_id, trade_id, deal_id, order_id, kind, direction, executed_at, server_utc_offset_minutes,
                                          volume, price, profit, commission, swap, fee, reason, comment)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
          [
            userId,
            tradeId,
            leg.dealId,
            leg.orderId,
            leg.kind,
            leg.direction,
            leg.executedAt,
            leg.serverUtcOffsetMinutes,
            leg.volume,
            leg.price,
            leg.profit,
            leg.commission,
            leg.swap,
            leg.fee,
            leg.reason,
            leg.comment,
          ],
        );
    }
    expect(await legRows()).toBe(10);

    const claims = userClaims(userId);
    const details = async () =>
      Promise.all(
        trades.map(async (trade) => {
          const page = await loadTradeDetail(db.appPool, claims, await idOf(trade.positionId));
          return { ...page, trade: { ...page!.trade, legs: withoutIds(page!.trade.legs) } };
        }),
      );
    const csv = async () =>
      new TextDecoder().decode(await new Response(exportTradesCsv(db.appPool, claims, parseTradeFilters(new URLSearchParams()))).arrayBuffer());
    const figures = () => loadFigures(db.appPool, claims);
    const before = { details: await details(), csv: await csv(), figures: await figures() };
    expect(before.details.map((d) => d.trade.legs)).toEqual(trades.map(asRead));

    await db.pool.query(await readFile(MIGRATION, "utf8"));

    expect(await legRows()).toBe(5);
    const { rows } = await db.pool.query("select legs_in_row from public.trades where account_id = $1 order by position_id", [accountId]);
    expect(rows.map((r) => r.legs_in_row)).toEqual([true, true, true, false, false]);
    expect(await details()).toEqual(before.details);
    expect(await csv()).toBe(before.csv);
    expect(await figures()).toEqual(before.figures);

    const snapshot = async () =>
      (await db.pool.query("select t.*, t.updated_at::text as updated from public.trades t where account_id = $1 order by position_id", [accountId]))
        .rows;
    const stored = await snapshot();
    expect(await store(TRADES())).toEqual({ inserted: 0, duplicates: 5, updated: 0, cashInserted: 0, cashDuplicates: 0 });
    expect(await legRows()).toBe(5);
    expect(await snapshot()).toEqual(stored);
  });
});
