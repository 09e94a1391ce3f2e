// Candle windows against a real database: a window the cache lacks is asked
// for once per chunk whatever the number of pages asking (loaders run under
// REPEATABLE READ), says why when it cannot be had, reads the shared cache in
// order once fetched, falls back to the trade's snapshot kept at exit, and the
// cache stays bounded by evict_candles.
import { describe, expect, it } from "vitest";
import { withRlsTransaction } from "../../app/lib/db.server.ts";
import { loadCandleWindow, type CandleWindowQuery } from "../../app/models/charts/candles.server.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createTrade, createUser, userClaims } from "../support/fixtures.ts";

const db = await createTestDatabase();

function load(userId: string, query: CandleWindowQuery) {
  return withRlsTransaction(db.appPool, userClaims(userId), (tx) => loadCandleWindow(tx, query), { isolation: "repeatable read" });
}

async function terminalAlive(alive: boolean) {
  await db.pool.query("delete from public.worker_health where worker_id = 'market-data-1'");
  if (alive) {
    await db.pool.query(
      "insert into public.worker_health (worker_id, kind, status, last_heartbeat_at) values ('market-data-1', 'market_data', 'idle', now())",
    );
  }
}

async function chunks(symbol: string, timeframe: string) {
  const { rows } = await db.pool.query<{ from_at: Date; to_at: Date; status: string }>(
    "select from_at, to_at, status from public.candle_window_requests where symbol = $1 and timeframe = $2 order by from_at",
    [symbol, timeframe],
  );
  return rows;
}

async function trader(symbol = "EURUSD") {
  const user = await createUser(db.pool, { tier: "pro" });
  const account = await createAccount(db.pool, user);
  const trade = await createTrade(db.pool, user, account, {
    symbol,
    opened_at: "2026-03-02T09:15:00Z",
    closed_at: "2026-03-02T11:40:00Z",
  });
  return { user, account, trade };
}

/** M5 bars from `from`, one every 5 minutes, prices climbing by a pip each. */
async function cacheBars(symbol: string, timeframe: string, from: Date, count: number, stepSeconds = 300) {
  await db.pool.query(
    `insert into public.candle_cache (symbol, timeframe, opened_at, open, high, low, close)
     select $1, $2, $3::timestamptz + make_interval(secs => i * $5), 1.08 + i * 0.0001, 1.0805 + i * 0.0001, 1.0795 + i * 0.0001, 1.0802 + i * 0.0001
       from generate_series(0, $4 - 1) as i`,
    [symbol, timeframe, from, count, stepSeconds],
  );
}

const WINDOW = { timeframe: "M5" as const, from: new Date("2026-03-02T06:00:00Z"), to: new Date("2026-03-02T15:00:00Z") };

describe("candle windows", () => {
  it("asks for a missing window once per chunk, even when ten loaders ask at the same instant", async () => {
    await terminalAlive(true);
    const { user } = await trader("AUDCAD");
    const listener = await db.pool.connect();
    const notices: string[] = [];
    listener.on("notification", (message) => notices.push(message.payload ?? ""));
    await listener.query("listen candle_window_requested");
    try {
      const answers = await Promise.all(Array.from({ length: 10 }, () => load(user, { symbol: "AUDCAD", ...WINDOW })));
      expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill("loading"));
      // M5 chunks are 5 days long, aligned to the epoch: the window sits in one.
      const rows = await chunks("AUDCAD", "M5");
      expect(rows).toHaveLength(1);
      expect(rows[0]!.from_at.getTime() % (5 * 86_400_000)).toBe(0);
      expect(rows[0]!.from_at.getTime()).toBeLessThanOrEqual(WINDOW.from.getTime());
      expect(rows[0]!.to_at.getTime()).toBeGreaterThanOrEqual(WINDOW.to.getTime());
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(notices).toEqual(["AUDCAD"]);

      // Asked again while the job is out: still one row, no new notice.
      expect((await load(user, { symbol: "AUDCAD", ...WINDOW })).status).toBe("loading");
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(notices).toHaveLength(1);
      expect(await chunks("AUDCAD", "M5")).toHaveLength(1);
    } finally {
      listener.release();
    }
  });

  it("reads a fetched window from the shared cache, oldest first, for any user who traded the symbol", async () => {
    await terminalAlive(true);
    const alice = await trader("NZDUSD");
    const bob = await trader("NZDUSD");
    expect((await load(alice.user, { symbol: "NZDUSD", ...WINDOW })).status).toBe("loading");
    await cacheBars("NZDUSD", "M5", new Date("2026-03-02T05:00:00Z"), 150);
    await db.pool.query(
      "update public.candle_window_requests set status = 'fetched', fetched_at = now(), fetched_until = to_at where symbol = 'NZDUSD'",
    );
    for (const who of [alice.user, bob.user]) {
      const window = await load(who, { symbol: "NZDUSD", ...WINDOW });
      expect(window.status).toBe("ready");
      expect(window.source).toBe("cache");
      // 06:00 to 15:00 exclusive: 108 five-minute bars.
      expect(window.candles).toHaveLength(108);
      expect(window.candles[0]).toEqual({ time: Date.parse("2026-03-02T06:00:00Z") / 1000, open: 1.0812, high: 1.0817, low: 1.0807, close: 1.0814 });
      expect(window.candles.every((bar, i) => i === 0 || bar.time - window.candles[i - 1]!.time === 300)).toBe(true);
    }
    // Both users read the same rows: the cache holds each bar once.
    const { rows } = await db.pool.query("select count(*)::int as n from public.candle_cache where symbol = 'NZDUSD'");
    expect(rows[0].n).toBe(150);
  });

  it("says why a window cannot be had: no terminal, a symbol never traded, a symbol the broker lacks, too wide", async () => {
    const { user } = await trader("USDCHF");
    await terminalAlive(false);
    expect(await load(user, { symbol: "USDCHF", ...WINDOW })).toEqual({ status: "unavailable", candles: [], reason: "no_terminal" });
    expect(await chunks("USDCHF", "M5")).toHaveLength(0);

    await terminalAlive(true);
    expect(await load(user, { symbol: "BTCUSD", ...WINDOW })).toMatchObject({ status: "unavailable", reason: "not_traded" });
    expect(await chunks("BTCUSD", "M5")).toHaveLength(0);

    expect((await load(user, { symbol: "USDCHF", ...WINDOW })).status).toBe("loading");
    await db.pool.query("update public.candle_window_requests set status = 'unavailable', reason = 'unknown_symbol' where symbol = 'USDCHF'");
    expect(await load(user, { symbol: "USDCHF", ...WINDOW })).toMatchObject({ status: "unavailable", reason: "unknown_symbol" });

    const year = { symbol: "USDCHF", timeframe: "M1" as const, from: new Date("2026-01-01T00:00:00Z"), to: new Date("2026-03-01T00:00:00Z") };
    expect(await load(user, year)).toMatchObject({ status: "unavailable", reason: "too_wide" });
  });

  it("answers from the trade's snapshot kept at exit once the cache has lost the bars", async () => {
    const user = await createUser(db.pool, { tier: "pro" });
    const account = await createAccount(db.pool, user);
    const closedAt = new Date(Date.now() - 3600_000);
    const trade = await createTrade(db.pool, user, account, {
      symbol: "EURGBP",
      opened_at: new Date(closedAt.getTime() - 2 * 3600_000).toISOString(),
      closed_at: closedAt.toISOString(),
    });
    // Closing now queues the snapshot; an import of an old trade does not.
    const old = await createTrade(db.pool, user, account, { symbol: "EURGBP" });
    const { rows: queued } = await db.pool.query("select trade_id, status from public.trade_candle_snapshots where user_id = $1", [user]);
    expect(queued).toEqual([{ trade_id: trade, status: "pending" }]);
    expect(queued.some((row) => row.trade_id === old)).toBe(false);

    const bars = [
      [Date.parse("2026-03-02T09:00:00Z") / 1000, 0.85, 0.851, 0.849, 0.8505],
      [Date.parse("2026-03-02T09:05:00Z") / 1000, 0.8505, 0.852, 0.85, 0.8515],
    ];
    await db.pool.query(
      "update public.trade_candle_snapshots set status = 'ready', timeframe = 'M5', from_at = $2, to_at = $3, bars = $4 where trade_id = $1",
      [trade, WINDOW.from, WINDOW.to, JSON.stringify(bars)],
    );
    await terminalAlive(false);
    const window = await load(user, { symbol: "EURGBP", ...WINDOW, tradeId: trade });
    expect(window).toEqual({
      status: "ready",
      source: "snapshot",
      candles: [
        { time: bars[0]![0], open: 0.85, high: 0.851, low: 0.849, close: 0.8505 },
        { time: bars[1]![0], open: 0.8505, high: 0.852, low: 0.85, close: 0.8515 },
      ],
    });
    // Another user cannot read it through the trade id.
    const other = await trader("EURGBP");
    expect((await load(other.user, { symbol: "EURGBP", ...WINDOW, tradeId: trade })).source).not.toBe("snapshot");
  });

  it("evicts windows nobody asked for in 30 days and keeps the cache under its row cap, never a hot symbol's loop bars", async () => {
    await db.pool.query("delete from public.candle_cache");
    await db.pool.query("delete from public.candle_window_requests");
    const now = new Date("2026-12-07T12:00:00Z");
    const insertChunk = (symbol: string, from: string, lastAsked: Date) =>
      db.pool.query(
        `insert into public.candle_window_requests (symbol, timeframe, from_at, to_at, status, fetched_at, fetched_until, last_requested_at)
         values ($1, 'M5', $2, $2::timestamptz + interval '5 days', 'fetched', $3, $2::timestamptz + interval '5 days', $3)`,
        [symbol, from, lastAsked],
      );
    await insertChunk("OLD", "2026-03-01T00:00:00Z", new Date(now.getTime() - 31 * 86_400_000));
    await cacheBars("OLD", "M5", new Date("2026-03-01T00:00:00Z"), 100);
    await insertChunk("RECENT", "2026-03-01T00:00:00Z", new Date(now.getTime() - 86_400_000));
    await cacheBars("RECENT", "M5", new Date("2026-03-01T00:00:00Z"), 100);
    await insertChunk("NEWEST", "2026-03-01T00:00:00Z", new Date(now.getTime() - 3600_000));
    await cacheBars("NEWEST", "M5", new Date("2026-03-01T00:00:00Z"), 100);
    // A hot symbol's loop-kept H1 bars, and a cold symbol's left behind.
    await db.pool.query("insert into public.hot_symbols (symbol, candles_since) values ('HOT', '2026-06-01')");
    await cacheBars("HOT", "H1", new Date("2026-07-01T00:00:00Z"), 100, 3600);
    await cacheBars("COLD", "H1", new Date("2026-07-01T00:00:00Z"), 100, 3600);

    const { rows } = await db.pool.query("select * from public.evict_candles($1, $2)", [now, 250]);
    // OLD by age and COLD by coldness leave 300 rows; RECENT (asked least recently) goes to fit under 250.
    expect(rows[0]).toEqual({ chunks: 2, bars: "300" });
    const { rows: left } = await db.pool.query("select symbol, count(*)::int as n from public.candle_cache group by symbol order by symbol");
    expect(left).toEqual([
      { symbol: "HOT", n: 100 },
      { symbol: "NEWEST", n: 100 },
    ]);
    expect((await db.pool.query("select symbol from public.candle_window_requests")).rows).toEqual([{ symbol: "NEWEST" }]);
  });
});
