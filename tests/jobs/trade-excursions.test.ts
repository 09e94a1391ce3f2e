// MAE/MFE in the jobs process: the real runtime, the real bridge on the MT5
// simulator as market data terminal (RawBroker-Live, NY+7 measured at login),
// trades stored as a sync or an import stores them.
import { describe, expect, it } from "vitest";
import { measureAccount, type ExcursionContext } from "../../jobs/excursions/measure-account.ts";
import { createAccount, createTrade } from "../support/fixtures.ts";
import { startJobsHarness, waitFor } from "../support/jobs-harness.ts";

const START = new Date("2026-03-04T10:00:00Z");
const MARKET_DATA = { server: "RawBroker-Live", login: "52000001", password: "inv-52000001!", serverTimeZone: null };
const h = await startJobsHarness({ start: START, tradeWorkers: 1, marketData: MARKET_DATA, requestTimeoutMs: 60_000 });
const at = (seconds: number) => new Date(START.getTime() + seconds * 1000);

interface ExcursionRow {
  trade_id: string;
  status: string;
  timeframe: string | null;
  mae_price: string | null;
  mfe_price: string | null;
  mae_pips: string | null;
  mfe_pips: string | null;
  mae_r: string | null;
  mfe_r: string | null;
  efficiency: string | null;
  mae_at: Date | null;
  mfe_at: Date | null;
  trade_closed_at: Date;
}

async function excursions(accountId: string): Promise<Map<string, ExcursionRow>> {
  const { rows } = await h.db.query<ExcursionRow>(
    `select e.trade_id, e.status, e.timeframe, e.mae_price::text, e.mfe_price::text, e.mae_pips::text, e.mfe_pips::text,
            e.mae_r::text, e.mfe_r::text, e.efficiency::text, e.mae_at, e.mfe_at, e.trade_closed_at
       from public.trade_excursions e join public.trades t on t.id = e.trade_id where t.account_id = $1`,
    [accountId],
  );
  return new Map(rows.map((row) => [row.trade_id, row]));
}

const marketDataTerminal = () => h.runtime.terminals.find((terminal) => terminal.id === "market-data-1")!;
const context = (extra: Partial<ExcursionContext> = {}): ExcursionContext => ({
  pool: h.runtime.pool,
  terminal: marketDataTerminal(),
  account: MARKET_DATA,
  clock: h.clock,
  log: () => {},
  ...extra,
});

/** EURUSD trades of 10–50 minutes through Monday and Tuesday 2–3 March, one every 40 minutes. */
async function someTrades(userId: string, accountId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const opened = new Date(Date.parse("2026-03-02T01:00:00Z") + i * 40 * 60_000);
    ids.push(
      await createTrade(h.db, userId, accountId, {
        opened_at: opened.toISOString(),
        closed_at: new Date(opened.getTime() + (10 + (i % 5) * 10) * 60_000).toISOString(),
        direction: i % 2 ? "sell" : "buy",
        entry_price: "1.08000",
        exit_price: i % 3 ? "1.08050" : "1.07970",
        gross_profit: i % 3 ? (i % 2 ? "-25" : "25") : i % 2 ? "15" : "-15",
        initial_stop_loss: i % 4 ? (i % 2 ? "1.08200" : "1.07800") : null,
      }),
    );
  }
  return ids;
}

describe("trade excursions", () => {
  it("measures imported trades in the background on M1, with bar times read in UTC, and marks what it cannot measure", async () => {
    const user = await h.createMt5User("pro");
    const account = await createAccount(h.db, user);
    const ordinary = await someTrades(user, account, 12);
    // The week's first minutes: server Monday 00:05 (NY+7) is Sunday 22:05 UTC. Read as UTC, the request would
    // fall on the server's Sunday, when FX is shut, and find no bars.
    const weekOpen = await createTrade(h.db, user, account, {
      opened_at: "2026-03-01T22:05:00Z",
      closed_at: "2026-03-01T22:25:00Z",
      initial_stop_loss: "1.07000",
    });
    // Held 3 hours: read on M1 at its ends and M5 between, an M1 measurement.
    const long = await createTrade(h.db, user, account, { opened_at: "2026-03-03T12:02:30Z", closed_at: "2026-03-03T15:07:10Z" });
    // Held 40 days: longer than a terminal's M1 history, measured on M5.
    const swing = await createTrade(h.db, user, account, { opened_at: "2026-01-20T10:00:00Z", closed_at: "2026-03-01T23:00:00Z" });
    // Saturday: the FX market is shut, there are no bars at all.
    const weekend = await createTrade(h.db, user, account, { opened_at: "2026-02-28T12:00:00Z", closed_at: "2026-02-28T12:30:00Z" });
    const unknown = await createTrade(h.db, user, account, { symbol: "ZZZUSD" });
    await h.db.query(
      `insert into public.import_batches (user_id, account_id, format, status, imported_count, completed_at)
       values ($1, $2, 'json', 'completed', 17, now())`,
      [user, account],
    );

    const rows = await waitFor(
      async () => {
        const found = await excursions(account);
        return found.size === 17 ? found : null;
      },
      "all 17 imported trades measured or marked",
      60_000,
    );

    for (const id of [...ordinary, weekOpen, long]) {
      const row = rows.get(id)!;
      expect(row).toMatchObject({ status: "measured", timeframe: "M1" });
      const trade = (await h.db.query("select opened_at, closed_at, initial_stop_loss from public.trades where id = $1", [id])).rows[0];
      // Extremes are printed inside the trade (bars wholly inside it, or its entry and exit), on whole minutes.
      for (const when of [row.mae_at!, row.mfe_at!]) {
        expect(when.getTime()).toBeGreaterThanOrEqual(trade.opened_at.getTime());
        expect(when.getTime()).toBeLessThanOrEqual(trade.closed_at.getTime());
      }
      expect(Number(row.mae_price)).toBeGreaterThanOrEqual(0);
      expect(Number(row.mfe_pips)).toBeCloseTo(Number(row.mfe_price) / 0.0001, 1);
      if (row.efficiency !== null) expect(Number(row.efficiency)).toBeLessThanOrEqual(1);
      // No initial stop: no R — empty, not zero.
      if (trade.initial_stop_loss === null) expect([row.mae_r, row.mfe_r]).toEqual([null, null]);
      else expect(row.mae_r).not.toBeNull();
    }
    // Bars were found in the week's first minutes, so they were asked for in the server's clock.
    expect(Number(rows.get(weekOpen)!.mfe_price) + Number(rows.get(weekOpen)!.mae_price)).toBeGreaterThan(0);
    expect(rows.get(swing)).toMatchObject({ status: "measured", timeframe: "M5" });
    expect(rows.get(weekend)).toMatchObject({ status: "no_bars", timeframe: null, mae_price: null });
    expect(rows.get(unknown)).toMatchObject({ status: "unknown_symbol", timeframe: null });
    expect(h.logs.some((line) => line.includes("has no symbol ZZZUSD"))).toBe(true);

    // Nothing is retried: a second run finds nothing to do and asks the terminal for nothing.
    const again = await measureAccount(context(), account);
    expect(again).toMatchObject({ measured: 0, noBars: 0, unknownSymbol: 0, requests: 0 });
  });

  it("fills a large import in batches, progress advancing after each", async () => {
    const user = await h.createMt5User("pro");
    const account = await createAccount(h.db, user);
    await someTrades(user, account, 35);
    const progress: number[] = [];
    const result = await measureAccount(
      context({
        batchSize: 10,
        onBatch: (stored) => {
          progress.push((progress.at(-1) ?? 0) + stored);
        },
      }),
      account,
    );
    expect(progress).toEqual([10, 20, 30, 35]);
    expect(result.measured).toBe(35);
    // Ranges merge trades 30 minutes apart or less: 35 trades 40 minutes apart of 10–50 minutes make fewer requests than trades.
    expect(result.requests).toBeLessThan(35);
    const { rows } = await h.db.query<{ n: number; m1: number }>(
      `select count(*)::int as n, count(*) filter (where e.timeframe = 'M1')::int as m1
         from public.trade_excursions e join public.trades t on t.id = e.trade_id where t.account_id = $1`,
      [account],
    );
    expect(rows[0]).toEqual({ n: 35, m1: 35 });
  });

  it("measures a synced trade when the sync that closes it has stored it", async () => {
    const user = await h.createMt5User("elite");
    const account = await h.connectAccount(user, { login: 51000001, server: "RawBroker-Demo", password: "inv-51000001!" });
    h.advance(30_000);
    const tab = await h.openTab(user);
    // The history sync's closed trades are measured right after it.
    const history = await waitFor(async () => {
      const { rows } = await h.db.query<{ closed: number; measured: number }>(
        `select count(*)::int as closed, count(e.trade_id)::int as measured
           from public.trades t left join public.trade_excursions e on e.trade_id = t.id
          where t.account_id = $1 and t.status = 'closed'`,
        [account],
      );
      return rows[0]!.closed > 0 && rows[0]!.closed === rows[0]!.measured ? rows[0] : null;
    }, "the history's closed trades measured");
    expect(history!.closed).toBeGreaterThan(0);

    // Deal D (EURUSD sell) closes at +240 s; the full sync that stores the close sends the job.
    let now = 30;
    const d = async () =>
      (
        await h.db.query<{ id: string; status: string; closed_at: Date | null }>(
          "select id, status, closed_at from public.trades where account_id = $1 and symbol = 'EURUSD' and direction = 'sell'",
          [account],
        )
      ).rows[0];
    while (now < 255) {
      h.advance(15_000);
      now += 15;
      await h.settle(`the jobs at +${now} s`);
    }
    const closed = await waitFor(async () => ((await d())?.status === "closed" ? await d() : null), "D closed");
    expect(closed!.closed_at!.getTime()).toBe(at(240).getTime());
    const row = await waitFor(async () => (await excursions(account)).get(closed!.id), "D's excursions", 30_000);
    expect(row).toMatchObject({ status: "measured", timeframe: "M1" });
    expect(row.trade_closed_at.getTime()).toBe(at(240).getTime());
    expect(row.mfe_at!.getTime()).toBeLessThanOrEqual(at(240).getTime());
    await tab.close();
  });
});
