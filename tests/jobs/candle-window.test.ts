// Candle windows end to end: pages (the chart model, as the user, under a
// loader's REPEATABLE READ) ask for a window the cache lacks; the jobs process
// hears the NOTIFY, sends one candle-window job per chunk, and the market-data
// terminal (the real Python bridge on the MT5 simulator) fetches the bars into
// candle_cache in UTC. A broker without the symbol answers "unknown symbol";
// a closed trade's snapshot is taken from the cache and outlives eviction.
import { describe, expect, it } from "vitest";
import { withRlsTransaction } from "../../app/lib/db.server.ts";
import { loadCandleWindow, type CandleWindowQuery } from "../../app/models/charts/candles.server.ts";
import { createAccount, createTrade, userClaims } from "../support/fixtures.ts";
import { startJobsHarness, waitFor } from "../support/jobs-harness.ts";

// After the US DST change of 8 March 2026: the NY+7 server clock moved from GMT+2 to GMT+3.
const START = new Date("2026-03-20T10:00:00Z");
const h = await startJobsHarness({
  start: START,
  tradeWorkers: 1,
  marketData: { server: "RawBroker-Live", login: "52000001", password: "inv-52000001!", serverTimeZone: null },
  runtime: { marketDataIntervalMs: 30_000 },
});
const appPool = h.runtime.pool;

/** The harness's clock is in March; the database's is today: the terminal's heartbeat is set to the database's now. */
async function terminalBeats() {
  await h.db.query("update public.worker_health set last_heartbeat_at = now() where kind = 'market_data'");
}

function load(userId: string, query: CandleWindowQuery) {
  return withRlsTransaction(appPool, userClaims(userId), (db) => loadCandleWindow(db, query), { isolation: "repeatable read" });
}

async function traderOf(symbol: string) {
  const user = await h.createMt5User("pro");
  const account = await createAccount(h.db, user);
  const trade = await createTrade(h.db, user, account, { symbol, opened_at: "2026-03-06T18:00:00Z", closed_at: "2026-03-09T02:00:00Z" });
  return { user, trade };
}

async function requestRows(symbol: string) {
  const { rows } = await h.db.query<{ id: string; status: string; reason: string | null; bars: number | null }>(
    "select id, status, reason, bars from public.candle_window_requests where symbol = $1 order by from_at",
    [symbol],
  );
  return rows;
}

// Friday 6 March to Monday 9 March 2026, across the weekend of the DST change.
const WEEKEND = { symbol: "EURUSD", timeframe: "M15" as const, from: new Date("2026-03-06T12:00:00Z"), to: new Date("2026-03-09T12:00:00Z") };

describe("candle windows through the market-data terminal", () => {
  it("fetches a missing window once even when 10 pages ask at the same time, with the bars in UTC for a GMT+2/+3 server", async () => {
    const { user } = await traderOf("EURUSD");
    await terminalBeats();
    const answers = await Promise.all(Array.from({ length: 10 }, () => load(user, WEEKEND)));
    expect(answers.map((answer) => `${answer.status} ${answer.reason ?? ""}`.trim())).toEqual(Array(10).fill("loading"));

    const fetched = await waitFor(
      async () => {
        const rows = await requestRows("EURUSD");
        return rows.length > 0 && rows.every((row) => row.status === "fetched") ? rows : null;
      },
      "the window's chunks fetched",
      60_000,
    );
    // M15 chunks are 15 days: 21 Feb – 8 Mar and 8 – 23 Mar.
    expect(fetched).toHaveLength(2);
    const { rows: jobs } = await h.db.query<{ n: number; keys: number }>(
      "select count(*)::int as n, count(distinct singleton_key)::int as keys from pgboss.job where name = 'candle-window'",
    );
    expect(jobs[0]).toEqual({ n: 2, keys: 2 });

    // Asked again: ready, from the cache, nothing more sent.
    const window = await load(user, WEEKEND);
    expect(window.status).toBe("ready");
    const times = window.candles.map((bar) => new Date(bar.time * 1000).toISOString());
    // Friday's last bar opens at 23:45 server time = 21:45 UTC (GMT+2, before the change) …
    expect(times).toContain("2026-03-06T21:45:00.000Z");
    expect(times).not.toContain("2026-03-06T22:00:00.000Z");
    // … and Monday's first at 00:00 server time = 21:00 UTC on Sunday (GMT+3, after it).
    const weekendGap = times.filter((time) => time > "2026-03-06T21:45:00.000Z" && time < "2026-03-08T21:00:00.000Z");
    expect(weekendGap).toEqual([]);
    expect(times).toContain("2026-03-08T21:00:00.000Z");
    expect(times[0]).toBe("2026-03-06T12:00:00.000Z");
    expect(times.at(-1)).toBe("2026-03-09T11:45:00.000Z");
    // 12:00–21:45 Friday (40 bars) + Sunday 21:00 – Monday 11:45 (60 bars).
    expect(window.candles).toHaveLength(100);
    expect(window.candles.every((bar) => bar.low <= Math.min(bar.open, bar.close) && bar.high >= Math.max(bar.open, bar.close))).toBe(true);
    const { rows: again } = await h.db.query<{ n: number }>("select count(*)::int as n from pgboss.job where name = 'candle-window'");
    expect(again[0]!.n).toBe(2);
  });

  it("says the broker has no such symbol", async () => {
    const { user } = await traderOf("NOSUCH");
    await terminalBeats();
    expect((await load(user, { ...WEEKEND, symbol: "NOSUCH" })).status).toBe("loading");
    await waitFor(async () => (await requestRows("NOSUCH")).every((row) => row.status === "unavailable"), "the refusal", 60_000);
    expect(await load(user, { ...WEEKEND, symbol: "NOSUCH" })).toEqual({ status: "unavailable", candles: [], reason: "unknown_symbol" });
  });

  it("keeps a closed trade's window as its snapshot, so its chart renders after the cache evicted the bars", async () => {
    const { user, trade } = await traderOf("GBPUSD");
    await terminalBeats();
    // As the close trigger queues it (the trigger itself is tested in tests/db/candle-windows.test.ts).
    await h.db.query("insert into public.trade_candle_snapshots (trade_id, user_id, symbol) values ($1, $2, 'GBPUSD') on conflict do nothing", [
      trade,
      user,
    ]);
    await h.runtime.candleWindows!.snapshots();
    const snapshot = await waitFor(
      async () => {
        await h.runtime.candleWindows!.snapshots();
        const { rows } = await h.db.query<{ status: string; timeframe: string; n: number }>(
          "select status, timeframe, jsonb_array_length(bars) as n from public.trade_candle_snapshots where trade_id = $1",
          [trade],
        );
        return rows[0]?.status === "ready" ? rows[0] : null;
      },
      "the snapshot taken",
      60_000,
    );
    // 56 hours open (Friday 18:00 to Monday 02:00 UTC, weekend included): H1 is the finest with at most 60 bars.
    expect(snapshot.timeframe).toBe("H1");
    expect(snapshot.n).toBeGreaterThan(40);

    await h.db.query("delete from public.candle_cache where symbol = 'GBPUSD'");
    await h.db.query("update public.worker_health set last_heartbeat_at = now() - interval '1 hour' where kind = 'market_data'");
    const window = await load(user, {
      symbol: "GBPUSD",
      timeframe: "H1",
      from: new Date("2026-03-01T00:00:00Z"),
      to: new Date("2026-03-15T00:00:00Z"),
      tradeId: trade,
    });
    expect(window.status).toBe("ready");
    expect(window.source).toBe("snapshot");
    expect(window.candles).toHaveLength(snapshot.n);
  });
});
