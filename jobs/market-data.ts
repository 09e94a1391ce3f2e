// The market data terminal: logged in to one demo account of our own, it keeps
// the shared candle cache (one copy for all users) for the hot symbols —
// those with open positions or trades in the last week. A symbol seen for the
// first time gets 6 months of M30/H1/H4/D1/W1 bars; then every 30 s the last
// few bars of each timeframe are refreshed (the forming one changes), and of
// M1/M5/M15 where a page watches a window reaching now. Symbols cold for 7
// days are dropped with their loop-kept candles. It also serves candle windows
// asked for by pages (fetchWindow, the candle-window queue), one terminal call
// at a time with the refresh: both go through `exclusive`. The cache is kept
// bounded by public.evict_candles (docs/decisions/019), run hourly.
import type pg from "pg";
import { detectServerTimeZone, serverEpochMsToUtc, utcToServerEpochSeconds } from "~/domain/server-time.ts";
import { withServiceRole } from "~/lib/service-role.server.ts";
import type { Clock } from "./clock.ts";
import { WakeableLoop } from "./loop.ts";
import { BridgeError, type BridgeClient } from "./mt5/bridge-client.ts";
import { fetchRatesUtc, type UtcBar } from "./mt5/bridge-rates.ts";
import type { BridgeRate, Timeframe } from "./mt5/bridge-types.ts";
import { HOT_SYMBOL_WINDOW_MS, touchHotSymbols } from "./sync/sync-store.ts";
import type { Terminal } from "./terminals/terminal.ts";

export const TIMEFRAMES: readonly Timeframe[] = ["M30", "H1", "H4", "D1", "W1"];
export const BACKFILL_MS = 183 * 24 * 3600_000;
/** Bars re-read on each refresh: the forming bar and the two before it (a late tick can still move a closed one). */
const REFRESH_BARS = 3;
const UNKNOWN_SYMBOL_RETRY_MS = 3600_000;
/** Short timeframes are refreshed only while a page watches a window that reaches now. */
const WATCHED_TIMEFRAMES: readonly Timeframe[] = ["M1", "M5", "M15"];
const WATCH_WINDOW_MS = 2 * 3600_000;
const EVICT_EVERY_MS = 3600_000;
/** The cache's bound in bars (ADR 019): ~300 MB of rows at most. */
export const CANDLE_CACHE_MAX_ROWS = 3_000_000;

export interface CandleWindowFetch {
  symbol: string;
  timeframe: Timeframe;
  from: Date;
  to: Date;
}

export interface CandleWindowFetched {
  bars: number;
  /** Bars are complete up to here: the window's end, or now for a window reaching into the future. */
  fetchedUntil: Date;
}

export interface MarketDataAccount {
  server: string;
  login: string;
  password: string;
  /** The server clock; measured at login when null. */
  serverTimeZone: string | null;
}

export interface MarketDataOptions {
  pool: pg.Pool;
  terminal: Terminal;
  account: MarketDataAccount;
  clock: Clock;
  intervalMs: number;
  log: (line: string) => void;
}

export interface MarketDataPass {
  hot: number;
  backfilled: string[];
  refreshed: number;
  dropped: number;
  candlesWritten: number;
}

export class MarketData {
  readonly #loop: WakeableLoop;
  #zone: string | null;
  readonly #unknown = new Map<string, number>();
  /** The tail of the terminal's work: each piece waits for the one before (the terminal takes one job at a time). */
  #tail: Promise<unknown> = Promise.resolve();
  #lastEvictionAt = 0;

  constructor(private readonly options: MarketDataOptions) {
    this.#zone = options.account.serverTimeZone;
    this.#loop = new WakeableLoop(
      options.clock,
      async () => {
        await this.pass();
        return new Date(options.clock.now().getTime() + options.intervalMs);
      },
      (error) => options.log(`market data: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  start(): void {
    this.#loop.start();
  }

  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** Runs `work` after everything queued before it on this terminal, never beside it. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(work, work);
    this.#tail = run.catch(() => {});
    return run;
  }

  /**
   * Fetches a window of bars through the terminal and stores them in the shared
   * cache (a candle-window job). Throws BridgeError not_found for a symbol the
   * market-data account's broker does not know.
   */
  fetchWindow(window: CandleWindowFetch): Promise<CandleWindowFetched> {
    return this.exclusive(async () => {
      const at = this.options.clock.now();
      const bars = await this.options.terminal.run(`candle window ${window.symbol} ${window.timeframe}`, null, async (bridge) => {
        const { account } = this.options;
        await this.options.terminal.login(bridge, { server: account.server, login: account.login }, account.password);
        const zone = await this.zone(bridge, at);
        return fetchRatesUtc(bridge, { ...window, serverTimeZone: zone });
      });
      await this.saveBars(window.symbol, new Map([[window.timeframe, bars]]), at);
      return { bars: bars.length, fetchedUntil: new Date(Math.min(window.to.getTime(), at.getTime())) };
    });
  }

  /** One refresh: hot set, cold drop, then candles through the terminal. */
  pass(): Promise<MarketDataPass> {
    return this.exclusive(() => this.refresh());
  }

  private async refresh(): Promise<MarketDataPass> {
    const at = this.options.clock.now();
    const { hot, dropped, watched } = await withServiceRole(this.options.pool, null, async (db) => {
      const open = await db.query<{ symbol: string }>("select distinct symbol from public.open_positions");
      if (open.rows.length)
        await touchHotSymbols(
          db,
          open.rows.map((row) => row.symbol),
          at,
        );
      const cold = await db.query<{ symbol: string }>("delete from public.hot_symbols where last_active_at < $1 returning symbol", [
        new Date(at.getTime() - HOT_SYMBOL_WINDOW_MS),
      ]);
      if (cold.rows.length) {
        // The loop's own bars go; windows pages asked for stay until evicted (ADR 019).
        await db.query(
          `delete from public.candle_cache c where c.symbol = any($1) and c.timeframe = any($2)
              and not exists (select 1 from public.candle_window_requests r where r.symbol = c.symbol and r.timeframe = c.timeframe
                                 and c.opened_at >= r.from_at and c.opened_at < r.to_at)`,
          [cold.rows.map((row) => row.symbol), TIMEFRAMES],
        );
      }
      if (at.getTime() - this.#lastEvictionAt >= EVICT_EVERY_MS) {
        this.#lastEvictionAt = at.getTime();
        await db.query("select * from public.evict_candles($1, $2)", [at, CANDLE_CACHE_MAX_ROWS]);
      }
      const { rows } = await db.query<{ symbol: string; candles_since: Date | null }>(
        "select symbol, candles_since from public.hot_symbols order by symbol",
      );
      const { rows: watched } = await db.query<{ symbol: string; timeframe: Timeframe }>(
        `select distinct r.symbol, r.timeframe from public.candle_window_requests r join public.hot_symbols h on h.symbol = r.symbol
          where r.timeframe = any($1) and r.status = 'fetched' and r.to_at > $2 and r.last_requested_at > $3`,
        [WATCHED_TIMEFRAMES, at, new Date(at.getTime() - WATCH_WINDOW_MS)],
      );
      return { hot: rows, dropped: cold.rows.length, watched };
    });
    const result: MarketDataPass = { hot: hot.length, backfilled: [], refreshed: 0, dropped, candlesWritten: 0 };
    const wanted = hot.filter((row) => (this.#unknown.get(row.symbol) ?? 0) <= at.getTime());
    if (wanted.length === 0) return result;

    await this.options.terminal.run("market data", null, async (bridge) => {
      const { account } = this.options;
      await this.options.terminal.login(bridge, { server: account.server, login: account.login }, account.password);
      const zone = await this.zone(bridge, at);
      for (const { symbol, candles_since } of wanted) {
        try {
          const extra = watched.filter((row) => row.symbol === symbol).map((row) => row.timeframe);
          const bars = candles_since ? await this.latest(bridge, symbol, extra) : await this.backfill(bridge, symbol, zone, at);
          result.candlesWritten += await this.save(symbol, bars, zone, at, !candles_since);
          if (candles_since) result.refreshed++;
          else result.backfilled.push(symbol);
        } catch (error) {
          if (error instanceof BridgeError && error.code === "not_found") {
            this.#unknown.set(symbol, at.getTime() + UNKNOWN_SYMBOL_RETRY_MS);
            this.options.log(`market data: ${account.server} has no symbol ${symbol}; retrying in an hour`);
            continue;
          }
          throw error;
        }
      }
    });
    return result;
  }

  private async zone(bridge: BridgeClient, at: Date): Promise<string> {
    if (this.#zone) return this.#zone;
    const measured = await bridge.request("server_time_offset", {}).catch(() => null);
    const detected = measured && Math.abs(measured.residual_seconds) < 60 ? detectServerTimeZone(measured.offset_minutes, at) : null;
    // Most MT5 brokers run NY+7; a weekend start (stale ticks) falls back to it until a measurement succeeds.
    if (detected) this.#zone = detected;
    return detected ?? "NY+7";
  }

  private async backfill(bridge: BridgeClient, symbol: string, zone: string, at: Date): Promise<Map<Timeframe, BridgeRate[]>> {
    const from = utcToServerEpochSeconds(new Date(at.getTime() - BACKFILL_MS), zone);
    const to = utcToServerEpochSeconds(at, zone);
    const bars = new Map<Timeframe, BridgeRate[]>();
    for (const timeframe of TIMEFRAMES) bars.set(timeframe, await bridge.request("rates", { symbol, timeframe, from, to }, 60_000));
    return bars;
  }

  private async latest(bridge: BridgeClient, symbol: string, watched: readonly Timeframe[] = []): Promise<Map<Timeframe, BridgeRate[]>> {
    const bars = new Map<Timeframe, BridgeRate[]>();
    for (const timeframe of [...TIMEFRAMES, ...watched])
      bars.set(timeframe, await bridge.request("rates", { symbol, timeframe, count: REFRESH_BARS }));
    return bars;
  }

  private async save(symbol: string, bars: Map<Timeframe, BridgeRate[]>, zone: string, at: Date, backfill: boolean): Promise<number> {
    const utc = new Map(
      [...bars].map(([timeframe, rates]): [Timeframe, UtcBar[]] => [
        timeframe,
        rates.map((rate) => ({
          openedAt: serverEpochMsToUtc(rate.time * 1000, zone).at,
          open: rate.open,
          high: rate.high,
          low: rate.low,
          close: rate.close,
          tickVolume: Math.max(0, rate.tick_volume),
        })),
      ]),
    );
    const written = await this.saveBars(symbol, utc, at);
    await withServiceRole(this.options.pool, null, (db) =>
      db.query(
        `update public.hot_symbols set last_fetched_at = $2,
                candles_since = case when $3 then coalesce((select min(opened_at) from public.candle_cache where symbol = $1), $2) else candles_since end
          where symbol = $1`,
        [symbol, at, backfill],
      ),
    );
    return written;
  }

  /** Upserts bars into the shared cache; a bar whose figures did not change is not rewritten (no Realtime event). */
  private async saveBars(symbol: string, bars: Map<Timeframe, UtcBar[]>, at: Date): Promise<number> {
    const rows = [...bars].flatMap(([timeframe, list]) =>
      list.map((bar) => ({
        timeframe,
        opened_at: bar.openedAt,
        open: bar.open,
        high: bar.high,
        low: bar.low,
        close: bar.close,
        tick_volume: bar.tickVolume,
      })),
    );
    return withServiceRole(this.options.pool, null, async (db) => {
      const { rows: written } = await db.query<{ n: number }>(
        `with input as (
           select * from jsonb_to_recordset($2::jsonb) as b(timeframe text, opened_at timestamptz, open numeric, high numeric,
             low numeric, close numeric, tick_volume bigint)
         ), upserted as (
           insert into public.candle_cache as c (symbol, timeframe, opened_at, open, high, low, close, tick_volume, updated_at)
           select $1, b.timeframe, b.opened_at, b.open, b.high, b.low, b.close, b.tick_volume, $3 from input b
           on conflict (symbol, timeframe, opened_at) do update set open = excluded.open, high = excluded.high,
             low = excluded.low, close = excluded.close, tick_volume = excluded.tick_volume, updated_at = excluded.updated_at
           where (c.open, c.high, c.low, c.close, c.tick_volume)
                 is distinct from (excluded.open, excluded.high, excluded.low, excluded.close, excluded.tick_volume)
           returning 1
         )
         select count(*)::int as n from upserted`,
        [symbol, JSON.stringify(rows), at],
      );
      return written[0]?.n ?? 0;
    });
  }
}
