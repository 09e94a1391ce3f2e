// The market data terminal: a symbol with an open position becomes hot and gets
// 6 months of M30/H1/H4/D1/W1 candles; every 30 s the latest bars are
// refreshed; a symbol cold for 7 days is dropped with its candles.
import { describe, expect, it } from "vitest";
import { createAccount } from "../support/fixtures.ts";
import { startJobsHarness, waitFor } from "../support/jobs-harness.ts";

const START = new Date("2026-03-04T10:00:00Z");
const h = await startJobsHarness({
  start: START,
  tradeWorkers: 1,
  marketData: { server: "RawBroker-Live", login: "52000001", password: "inv-52000001!", serverTimeZone: null },
  runtime: { marketDataIntervalMs: 30_000 },
});

async function candles(symbol: string) {
  const { rows } = await h.db.query<{ timeframe: string; n: number; first: Date; last: Date }>(
    `select timeframe, count(*)::int as n, min(opened_at) as first, max(opened_at) as last
       from public.candle_cache where symbol = $1 group by timeframe order by timeframe`,
    [symbol],
  );
  return Object.fromEntries(rows.map((row) => [row.timeframe, row]));
}

describe("market data", () => {
  it("backfills a new hot symbol, refreshes it every 30 s and drops it when cold", async () => {
    const user = await h.createMt5User("pro");
    const account = await createAccount(h.db, user, { kind: "mt5", mt5_server: "RawBroker-Demo", mt5_login: 51000009 });
    await h.db.query(
      `insert into public.open_positions (user_id, account_id, position_id, symbol, direction, opened_at, volume, entry_price)
       values ($1, $2, '1', 'GBPJPY', 'buy', $3, 0.1, 191.2)`,
      [user, account, START],
    );
    h.advance(30_000);
    const backfilled = await waitFor(
      async () => {
        const byTimeframe = await candles("GBPJPY");
        return Object.keys(byTimeframe).length === 5 ? byTimeframe : null;
      },
      "the 6-month backfill",
      30_000,
    );
    // Six months of a 24/5 market: ~130 trading days.
    expect(backfilled.D1!.n).toBeGreaterThan(120);
    expect(backfilled.D1!.n).toBeLessThan(160);
    expect(backfilled.M30!.n).toBeGreaterThan(120 * 46);
    expect(backfilled.W1!.n).toBeGreaterThanOrEqual(25);
    expect(backfilled.M30!.first.getTime()).toBeGreaterThanOrEqual(START.getTime() + 30_000 - 184 * 86_400_000);
    // Server-clock bar times are stored in UTC: D1 bars open at server midnight = 22:00 UTC in northern winter on NY+7.
    const { rows: daily } = await h.db.query<{ opened_at: Date }>(
      "select opened_at from public.candle_cache where symbol = 'GBPJPY' and timeframe = 'D1' and opened_at > '2026-01-05' order by opened_at limit 1",
    );
    expect(daily[0]!.opened_at.getUTCHours()).toBe(22);
    const { rows: hot } = await h.db.query("select candles_since, last_fetched_at from public.hot_symbols where symbol = 'GBPJPY'");
    expect(hot[0]!.candles_since).not.toBeNull();

    // 30 s later the forming M30 bar (and the bars before it) are re-read.
    const lastBefore = backfilled.M30!.last.getTime();
    h.advance(30 * 60_000);
    await waitFor(async () => (await candles("GBPJPY")).M30!.last.getTime() > lastBefore, "a new M30 bar", 30_000);

    // No open position and no trade for 7 days: the symbol and its candles go.
    await h.db.query("delete from public.open_positions where account_id = $1", [account]);
    h.advance(7 * 86_400_000 + 60_000);
    await waitFor(async () => Object.keys(await candles("GBPJPY")).length === 0, "the cold symbol dropped", 30_000);
    expect((await h.db.query("select 1 from public.hot_symbols where symbol = 'GBPJPY'")).rowCount).toBe(0);
  });
});
