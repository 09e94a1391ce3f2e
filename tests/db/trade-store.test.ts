// storeTrades: insert, duplicate, open→closed update, user-edited trades left
// alone, cash dedupe (deal ids and fingerprints), and RLS (as the user, never
// another account's rows).
import { describe, expect, it } from "vitest";
import type { CashMovementInput, TradeInput, TradeLegInput } from "../../app/domain/trades/types.ts";
import { withRlsTransaction } from "../../app/lib/db.server.ts";
import { storeTradeChunks, storeTrades, uuidV7, type StoreContext } from "../../app/models/trade-store.server.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createUser, userClaims } from "../support/fixtures.ts";

const db = await createTestDatabase();

function leg(fields: Partial<TradeLegInput> = {}): TradeLegInput {
  return {
    dealId: null,
    orderId: null,
    kind: "entry",
    direction: "buy",
    executedAt: new Date("2026-03-02T09:15:00Z"),
    serverUtcOffsetMinutes: 120,
    volume: "0.5",
    price: "1.0825",
    profit: "0",
    commission: "-1.75",
    swap: "0",
    fee: "0",
    reason: "client",
    comment: null,
    ...fields,
  };
}

function closedTrade(positionId: string, fields: Partial<TradeInput> = {}): TradeInput {
  return {
    positionId,
    symbol: "EURUSD",
    brokerSymbol: "EURUSD.Z",
    direction: "buy",
    status: "closed",
    openedAt: new Date("2026-03-02T09:15:00Z"),
    closedAt: new Date("2026-03-02T11:40:00Z"),
    openServerUtcOffsetMinutes: 120,
    closeServerUtcOffsetMinutes: 120,
    volume: "0.5",
    closedVolume: "0.5",
    entryPrice: "1.0825",
    exitPrice: "1.0842",
    initialStopLoss: "1.081",
    stopLoss: "1.081",
    takeProfit: null,
    grossProfit: "85",
    commission: "-3.5",
    swap: "0",
    fee: "0",
    pnlSource: "broker",
    profitCurrency: "USD",
    conversionRate: null,
    pips: "17",
    initialRiskAmount: null,
    closeReason: "tp",
    magic: null,
    comment: null,
    raw: { ticket: positionId },
    legs: [
      leg({ dealId: `${positionId}-1` }),
      leg({
        dealId: `${positionId}-2`,
        kind: "exit",
        direction: "sell",
        executedAt: new Date("2026-03-02T11:40:00Z"),
        price: "1.0842",
        profit: "85",
      }),
    ],
    ...fields,
  };
}

function openTrade(positionId: string): TradeInput {
  const trade = closedTrade(positionId);
  return {
    ...trade,
    status: "open",
    closedAt: null,
    closeServerUtcOffsetMinutes: null,
    closedVolume: "0",
    exitPrice: null,
    grossProfit: "0",
    commission: "-1.75",
    closeReason: null,
    legs: [trade.legs[0]!],
  };
}

function cash(fields: Partial<CashMovementInput> = {}): CashMovementInput {
  return {
    dealId: null,
    kind: "deposit",
    amount: "10000",
    occurredAt: new Date("2026-03-01T08:00:00Z"),
    serverUtcOffsetMinutes: 120,
    comment: "Deposit",
    ...fields,
  };
}

async function setUp(tier: "free" | "pro" = "pro") {
  const userId = await createUser(db.pool, { tier });
  const accountId = await createAccount(db.pool, userId);
  const context: StoreContext = { userId, accountId, source: "file", importBatchId: null };
  const store = (trades: TradeInput[], cashRows: CashMovementInput[] = []) =>
    withRlsTransaction(db.appPool, userClaims(userId), (client) => storeTrades(client, context, { trades, cash: cashRows }));
  return { userId, accountId, store };
}

describe("storeTrades", () => {
  it("inserts new trades with their legs, and a second store of the same trades counts duplicates only", async () => {
    const { accountId, store } = await setUp();
    const first = await store([closedTrade("100"), closedTrade("101")]);
    expect(first).toEqual({ inserted: 2, duplicates: 0, updated: 0, cashInserted: 0, cashDuplicates: 0 });
    const { rows } = await db.pool.query(
      `select t.position_id, t.net_profit::text, t.source, t.broker_symbol, t.session_tag, count(l.id)::int as legs
         from public.trades t join public.trade_leg_rows l on l.trade_id = t.id
        where t.account_id = $1 group by t.id order by t.position_id`,
      [accountId],
    );
    expect(rows).toEqual([
      { position_id: "100", net_profit: "81.5", source: "file", broker_symbol: "EURUSD.Z", session_tag: "london", legs: 2 },
      { position_id: "101", net_profit: "81.5", source: "file", broker_symbol: "EURUSD.Z", session_tag: "london", legs: 2 },
    ]);
    const again = await store([closedTrade("100"), closedTrade("101"), closedTrade("102")]);
    expect(again).toEqual({ inserted: 1, duplicates: 2, updated: 0, cashInserted: 0, cashDuplicates: 0 });
  });

  it("counts the same position twice in one input once", async () => {
    const { store } = await setUp();
    expect(await store([closedTrade("7"), closedTrade("7")])).toMatchObject({ inserted: 1, duplicates: 1 });
  });

  it("updates a stored open trade that the input shows closed: legs added, totals and exit replaced, initial stop kept", async () => {
    const { accountId, store } = await setUp();
    await store([{ ...openTrade("200"), initialStopLoss: "1.0805" }]);
    const result = await store([closedTrade("200")]);
    expect(result).toMatchObject({ inserted: 0, duplicates: 0, updated: 1 });
    const { rows } = await db.pool.query(
      `select status, exit_price::text, gross_profit::text, initial_stop_loss::text, closed_volume::text,
              (select count(*)::int from public.trade_leg_rows l where l.trade_id = t.id) as legs
         from public.trades t where account_id = $1 and position_id = '200'`,
      [accountId],
    );
    expect(rows[0]).toEqual({
      status: "closed",
      exit_price: "1.0842",
      gross_profit: "85",
      initial_stop_loss: "1.0805",
      closed_volume: "0.5",
      legs: 2,
    });
    // Closed now: a third store is a duplicate.
    expect(await store([closedTrade("200")])).toMatchObject({ duplicates: 1, updated: 0 });
  });

  it("never overwrites a trade the user edited (pnl_source 'user')", async () => {
    const { accountId, store } = await setUp();
    await store([openTrade("300")]);
    await db.pool.query("update public.trades set pnl_source = 'user', gross_profit = 42 where account_id = $1", [accountId]);
    expect(await store([closedTrade("300")])).toMatchObject({ inserted: 0, duplicates: 1, updated: 0 });
    const { rows } = await db.pool.query("select status, gross_profit::text from public.trades where account_id = $1", [accountId]);
    expect(rows).toEqual([{ status: "open", gross_profit: "42" }]);
  });

  it("dedupes cash by deal id and, without one, by fingerprint", async () => {
    const { accountId, store } = await setUp();
    const rows = [cash({ dealId: "9001" }), cash({ comment: "no ticket" }), cash({ kind: "withdrawal", amount: "-500", comment: "no ticket" })];
    expect(await store([], rows)).toMatchObject({ cashInserted: 3, cashDuplicates: 0 });
    expect(await store([], [...rows, cash({ dealId: "9002" })])).toMatchObject({ cashInserted: 1, cashDuplicates: 3 });
    const { rows: stored } = await db.pool.query("select deal_id from public.cash_movements where account_id = $1 order by deal_id", [accountId]);
    expect(stored.map((r) => r.deal_id)).toEqual([
      "9001",
      "9002",
      expect.stringMatching(/^fp:[0-9a-f]{64}$/),
      expect.stringMatching(/^fp:[0-9a-f]{64}$/),
    ]);
  });

  it("stores per account: the same position id in another account is a different trade, and that account is left alone", async () => {
    const { userId, accountId, store } = await setUp();
    const other = await createAccount(db.pool, userId, { name: "Second" });
    await withRlsTransaction(db.appPool, userClaims(userId), (client) =>
      storeTrades(client, { userId, accountId: other, source: "file", importBatchId: null }, { trades: [openTrade("400")], cash: [] }),
    );
    expect(await store([closedTrade("400")])).toMatchObject({ inserted: 1, updated: 0 });
    const { rows } = await db.pool.query("select account_id, status from public.trades where position_id = '400' order by status");
    expect(rows).toEqual([
      { account_id: accountId, status: "closed" },
      { account_id: other, status: "open" },
    ]);
  });

  it("refuses another user's account under RLS", async () => {
    const { accountId } = await setUp();
    const intruder = await createUser(db.pool, { tier: "pro" });
    await expect(
      withRlsTransaction(db.appPool, userClaims(intruder), (client) =>
        storeTrades(client, { userId: intruder, accountId, source: "file", importBatchId: null }, { trades: [closedTrade("1")], cash: [] }),
      ),
    ).rejects.toThrow(/not an account of user/);
    const { rows } = await db.pool.query("select count(*)::int as n from public.trades where account_id = $1", [accountId]);
    expect(rows[0].n).toBe(0);
  });

  it("stores overlapping positions from two stores of one account at once exactly once (the second waits for the first's rows, then counts them as duplicates)", async () => {
    const { userId, accountId, store } = await setUp();
    const context: StoreContext = { userId, accountId, source: "file", importBatchId: null };
    let commitFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (commitFirst = resolve));
    let firstStored!: () => void;
    const firstHasStored = new Promise<void>((resolve) => (firstStored = resolve));
    const first = withRlsTransaction(db.appPool, userClaims(userId), async (client) => {
      const result = await storeTrades(client, context, { trades: [closedTrade("1"), closedTrade("2"), closedTrade("3")], cash: [] });
      firstStored();
      await firstMayCommit;
      return result;
    });
    await firstHasStored;
    let secondDone = false;
    const second = store([closedTrade("2"), closedTrade("3"), closedTrade("4")]).finally(() => (secondDone = true));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(secondDone).toBe(false);
    commitFirst();
    expect(await first).toMatchObject({ inserted: 3, duplicates: 0 });
    expect(await second).toMatchObject({ inserted: 1, duplicates: 2 });
    const { rows } = await db.pool.query(
      `select t.position_id, count(l.id)::int as legs from public.trades t join public.trade_leg_rows l on l.trade_id = t.id
        where t.account_id = $1 group by t.position_id order by t.position_id`,
      [accountId],
    );
    expect(rows).toEqual(["1", "2", "3", "4"].map((position_id) => ({ position_id, legs: 2 })));
  });

  it("stores 10 500 trades in chunks and reports progress", async () => {
    const { userId, accountId } = await setUp();
    const trades = Array.from({ length: 10_500 }, (_, i) => closedTrade(String(1_000_000 + i)));
    const seen: number[] = [];
    const result = await withRlsTransaction(db.appPool, userClaims(userId), (client) =>
      storeTrades(client, { userId, accountId, source: "file", importBatchId: null }, { trades, cash: [cash()] }, ({ done }) => {
        seen.push(done);
      }),
    );
    expect(result).toMatchObject({ inserted: 10_500, cashInserted: 1 });
    // Progress as the server takes each part's rows: the first part is the first chunk; the
    // chunks built while it was inserted go in together; the cash last.
    expect(seen[0]).toBe(2500);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]!);
    expect(seen.at(-2)).toBe(10_500);
    expect(seen.at(-1)).toBe(10_501);
  });
});

it("makes valid, unique, time-ordered version-7 UUIDs for the rows it inserts", () => {
  const ids = Array.from({ length: 20_000 }, () => uuidV7());
  for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual(ids);
});

describe("storeTradeChunks", () => {
  async function* chunksOf(trades: TradeInput[], size: number) {
    for (let start = 0; start < trades.length; start += size) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      yield trades.slice(start, start + size);
    }
  }

  it("stores trades arriving as a stream of chunks, looking each chunk up when the ids are not known up front", async () => {
    const { userId, accountId } = await setUp();
    const context: StoreContext = { userId, accountId, source: "file", importBatchId: null };
    const trades = Array.from({ length: 25 }, (_, i) => closedTrade(String(500 + i)));
    // The same position in a later chunk, and an open position closed by a later import.
    const input = [...trades, closedTrade("503"), openTrade("900")];
    const seen: number[] = [];
    const first = await withRlsTransaction(db.appPool, userClaims(userId), (client) =>
      storeTradeChunks(client, context, { chunks: chunksOf(input, 10), tradeCount: input.length, cash: [cash({ dealId: "77" })] }, ({ done }) => {
        seen.push(done);
      }),
    );
    expect(first).toEqual({ inserted: 26, duplicates: 1, updated: 0, cashInserted: 1, cashDuplicates: 0 });
    expect(seen).toEqual([27, 28]);
    const again = await withRlsTransaction(db.appPool, userClaims(userId), (client) =>
      storeTradeChunks(client, context, { chunks: chunksOf([...trades, closedTrade("900")], 7), tradeCount: 26, cash: [] }),
    );
    expect(again).toMatchObject({ inserted: 0, duplicates: 25, updated: 1 });
    const { rows } = await db.pool.query(
      "select count(*)::int as n, count(*) filter (where status = 'closed')::int as closed from public.trades where account_id = $1",
      [accountId],
    );
    expect(rows[0]).toEqual({ n: 26, closed: 26 });
  });

  it("tells a source which positions are stored and settled, and counts what it hands back unbuilt as duplicates", async () => {
    const { userId, accountId, store } = await setUp();
    await store([closedTrade("800"), openTrade("801")]);
    await db.pool.query("update public.trades set pnl_source = 'user' where account_id = $1 and position_id = '801'", [accountId]);
    await store([openTrade("802")]);
    const asked: string[] = [];
    const result = await withRlsTransaction(db.appPool, userClaims(userId), (client) =>
      storeTradeChunks(
        client,
        { userId, accountId, source: "file", importBatchId: null },
        {
          chunks: (settled) => [
            ["800", "801", "802", "803"].map((id) => {
              if (settled(id)) {
                asked.push(id);
                return { skipped: true as const, positionId: id };
              }
              return closedTrade(id);
            }),
          ],
          tradeCount: 4,
          positionIds: ["800", "801", "802", "803"],
          cash: [],
        },
      ),
    );
    // Closed and user-edited positions are settled; the stored open one is built and closed by the input.
    expect(asked).toEqual(["800", "801"]);
    expect(result).toEqual({ inserted: 1, duplicates: 2, updated: 1, cashInserted: 0, cashDuplicates: 0 });
  });

  it("leaves nothing when the source fails mid-way (the caller's transaction rolls back)", async () => {
    const { userId, accountId } = await setUp();
    async function* failing() {
      yield [closedTrade("600"), closedTrade("601")];
      throw new Error("the parser gave up");
    }
    await expect(
      withRlsTransaction(db.appPool, userClaims(userId), (client) =>
        storeTradeChunks(
          client,
          { userId, accountId, source: "file", importBatchId: null },
          { chunks: failing(), tradeCount: 4, positionIds: ["600", "601"], cash: [] },
        ),
      ),
    ).rejects.toThrow("the parser gave up");
    const { rows } = await db.pool.query("select count(*)::int as n from public.trades where account_id = $1", [accountId]);
    expect(rows[0].n).toBe(0);
  });

  it("tags each trade with the session public.session_tag() gives its open time, across the DST weeks", async () => {
    const { accountId, store } = await setUp();
    // Every 37 minutes through the weeks London and New York switch on different dates.
    const start = Date.parse("2026-03-05T00:00:00Z");
    const trades = Array.from({ length: 900 }, (_, i) => {
      const openedAt = new Date(start + i * 37 * 60_000);
      const closedAt = new Date(openedAt.getTime() + 60_000);
      return closedTrade(`s${i}`, { openedAt, closedAt, legs: [] });
    });
    await store(trades);
    const { rows } = await db.pool.query(
      "select count(*)::int as n, count(*) filter (where session_tag is distinct from public.session_tag(opened_at))::int as wrong from public.trades where account_id = $1",
      [accountId],
    );
    expect(rows[0]).toEqual({ n: 900, wrong: 0 });
  });

  it("stores decimal texts as written (scale kept), and nulls", async () => {
    const { accountId, store } = await setUp();
    await store([
      closedTrade("700", {
        volume: "0.50",
        closedVolume: "0.50",
        entryPrice: "1.08250",
        stopLoss: null,
        pips: "-3.0",
        comment: 'a "quoted", {braced} \\ comment',
      }),
    ]);
    const { rows } = await db.pool.query(
      "select volume::text, entry_price::text, stop_loss, pips::text, comment, raw from public.trades where account_id = $1",
      [accountId],
    );
    expect(rows[0]).toEqual({
      volume: "0.50",
      entry_price: "1.08250",
      stop_loss: null,
      pips: "-3.0",
      comment: 'a "quoted", {braced} \\ comment',
      raw: { ticket: "700" },
    });
  });

  it("gives trades that arrive without pips their pips from the prices and the account's instrument corrections", async () => {
    const { userId, accountId, store } = await setUp();
    await db.pool.query("insert into public.account_instrument_overrides (user_id, account_id, symbol, pip_size) values ($1, $2, 'XAUUSD', 0.01)", [
      userId,
      accountId,
    ]);
    await store([
      closedTrade("800", { pips: null, entryPrice: "1.08250", exitPrice: "1.08480" }),
      closedTrade("801", { pips: null, symbol: "XAUUSD", brokerSymbol: "XAUUSD.m", direction: "sell", entryPrice: "2352.60", exitPrice: "2350.10" }),
      closedTrade("802", { pips: "5.5" }),
      { ...openTrade("803"), pips: null },
    ]);
    const { rows } = await db.pool.query("select position_id, pips::text from public.trades where account_id = $1 order by position_id", [accountId]);
    // EURUSD +23 pips; gold 2.50 down on a sell at this broker's 0.01 pip = +250 (the catalogue's 0.1 would say 25);
    // a broker's own figure is kept; an open trade has none yet.
    expect(rows).toEqual([
      { position_id: "800", pips: "23" },
      { position_id: "801", pips: "250" },
      { position_id: "802", pips: "5.5" },
      { position_id: "803", pips: null },
    ]);
  });
});
