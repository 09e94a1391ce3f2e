// The MAE/MFE backfill of one account: its unmeasured closed trades, a batch
// at a time, measured on M1 bars the market data terminal reads (M5 for the
// trades whose M1 history the terminal no longer has), one bar range per
// cluster of trades on a symbol (app/domain/excursions/fetch-plan.ts). Every
// trade of a batch gets a row — measured, no_bars or unknown_symbol — so a
// trade the broker cannot measure is recorded once, not retried forever.
//
// Bars are never stored: the measurement is, and the shared candle cache stays
// for the charts. Bar times are the broker's server clock and become UTC with
// the market data account's zone (../shared/reference/mt5.md §2), as the
// candle cache's are.
import {
  excursionOf,
  seriesCovers,
  TIMEFRAME_MS,
  type Excursion,
  type ExcursionBar,
  type ExcursionTimeframe,
} from "~/domain/excursions/excursion.ts";
import { planBarRanges, tradeReads, type BarRange, type TradeWindow } from "~/domain/excursions/fetch-plan.ts";
import { detectServerTimeZone, serverEpochMsToUtc, utcToServerEpochSeconds } from "~/domain/server-time.ts";
import type pg from "pg";
import type { Clock } from "../clock.ts";
import type { MarketDataAccount } from "../market-data.ts";
import { BridgeError, type BridgeClient } from "../mt5/bridge-client.ts";
import type { Terminal } from "../terminals/terminal.ts";
import { accountOwner, loadPendingTrades, saveExcursions, type ExcursionOutcome, type PendingTrade } from "./excursion-store.ts";

/** Trades measured per batch: one read, one terminal session, one write. */
export const BATCH_SIZE = 500;
const RATES_TIMEOUT_MS = 120_000;
/** 50,000 M1 bars (~35 days of a 24/5 market): half the 100,000 "max bars" most terminals keep. */
export const M1_MAX_SPAN_MS = 50_000 * 60_000;

export interface ExcursionContext {
  /** The `authenticator` pool; statements run as service_role. */
  pool: pg.Pool;
  /** The market data terminal (shared with the candle cache's loop). */
  terminal: Terminal;
  /**
   * Runs work in turn with the candle cache's refresh loop and window fetches
   * (MarketData.exclusive): the terminal is one bridge, and two sessions on it
   * at once would interleave their logins and requests.
   */
  exclusive?: <T>(work: () => Promise<T>) => Promise<T>;
  account: MarketDataAccount;
  clock: Clock;
  log: (line: string) => void;
  batchSize?: number;
  /** Called after each batch is stored (tests and the benchmark watch progress). */
  onBatch?: (stored: number) => void;
}

export interface ExcursionRunResult {
  measured: number;
  onM5: number;
  noBars: number;
  unknownSymbol: number;
  requests: number;
  bars: number;
}

export async function measureAccount(context: ExcursionContext, accountId: string): Promise<ExcursionRunResult> {
  const result: ExcursionRunResult = { measured: 0, onM5: 0, noBars: 0, unknownSymbol: 0, requests: 0, bars: 0 };
  const owner = await accountOwner(context.pool, accountId);
  if (!owner) return result;
  for (;;) {
    const trades = await loadPendingTrades(context.pool, owner, accountId, context.batchSize ?? BATCH_SIZE);
    if (trades.length === 0) break;
    const outcomes = await measureBatch(context, trades, result);
    await saveExcursions(context.pool, owner.userId, outcomes);
    context.onBatch?.(outcomes.length);
    if (trades.length < (context.batchSize ?? BATCH_SIZE)) break;
  }
  if (result.measured + result.noBars + result.unknownSymbol > 0) {
    context.log(
      `trade excursions: account ${accountId}: ${result.measured} measured (${result.onM5} on M5), ${result.noBars} without bars, ` +
        `${result.unknownSymbol} on unknown symbols; ${result.requests} bar requests, ${result.bars} bars`,
    );
  }
  return result;
}

async function measureBatch(context: ExcursionContext, trades: PendingTrade[], result: ExcursionRunResult): Promise<ExcursionOutcome[]> {
  const { account, terminal } = context;
  const inTurn = context.exclusive ?? (<T>(work: () => Promise<T>) => work());
  return inTurn(() =>
    terminal.run("trade excursions", null, async (bridge) => {
      await terminal.login(bridge, { server: account.server, login: account.login }, account.password);
      const zone = await serverZone(bridge, context);
      const outcomes: ExcursionOutcome[] = [];
      const unknown = new Set<string>();
      const settle = (trade: PendingTrade, status: "no_bars" | "unknown_symbol") => {
        outcomes.push({ tradeId: trade.id, closedAt: trade.closedAt, status });
        if (status === "no_bars") result.noBars++;
        else result.unknownSymbol++;
      };
      const measured = (trade: PendingTrade, excursion: Excursion) => {
        outcomes.push({ tradeId: trade.id, closedAt: trade.closedAt, status: "measured", excursion });
        result.measured++;
        if (excursion.timeframe === "M5") result.onM5++;
      };

      /** Reads every range; the bars of each window (by window id), or the symbols the broker lacks. */
      const read = async (timeframe: ExcursionTimeframe, windows: TradeWindow[]): Promise<Map<string, ExcursionBar[]>> => {
        const barMs = TIMEFRAME_MS[timeframe];
        const byWindow = new Map<string, ExcursionBar[]>();
        const windowById = new Map(windows.map((window) => [window.id, window]));
        for (const range of planBarRanges(windows, timeframe)) {
          if (unknown.has(range.symbol)) continue;
          // M5 bars say how long they span: between M1 bars they stand for five of them.
          const bars = await readBars(bridge, range, zone, timeframe === "M5" ? barMs : undefined);
          result.requests++;
          if (bars === null) {
            unknown.add(range.symbol);
            context.log(`trade excursions: ${account.server} has no symbol ${range.symbol}; its trades are marked, not retried`);
            continue;
          }
          result.bars += bars.length;
          for (const id of range.tradeIds) {
            const window = windowById.get(id)!;
            byWindow.set(id, barsBetween(bars, Math.floor(window.openedMs / barMs) * barMs, window.closedMs));
          }
          // A large answer is parsed on this thread: let the sync jobs' callbacks run between ranges.
          await new Promise((resolve) => setImmediate(resolve));
        }
        return byWindow;
      };

      // M1 precision: M1 bars at a trade's ends, M5 bars (the same ticks as their M1 bars) between (tradeReads). A trade
      // held longer than a terminal keeps M1 history for, or whose M1 bars do not reach back to its entry, is read on M5.
      const withoutM1 = trades.filter((trade) => trade.closedMs - trade.openedMs > M1_MAX_SPAN_MS);
      const reads = trades.filter((trade) => trade.closedMs - trade.openedMs <= M1_MAX_SPAN_MS).map((trade) => ({ trade, reads: tradeReads(trade) }));
      const m1Bars = await read(
        "M1",
        reads.flatMap((r) => r.reads.m1),
      );
      const m5Bars = await read(
        "M5",
        reads.flatMap((r) => r.reads.m5),
      );
      for (const { trade, reads: windows } of reads) {
        if (unknown.has(trade.symbol)) {
          settle(trade, "unknown_symbol");
          continue;
        }
        const series = [...windows.m1, ...windows.m5]
          .flatMap((window) => (window.id.endsWith(":mid") ? (m5Bars.get(window.id) ?? []) : (m1Bars.get(window.id) ?? [])))
          .sort((a, b) => a.openMs - b.openMs);
        // M1 it is only if the terminal has M1 bars there: M5 bars alone are an M5 measurement.
        const hasM1 = windows.m1.some((window) => (m1Bars.get(window.id)?.length ?? 0) > 0);
        const excursion = hasM1 && seriesCovers(series, "M1", trade) ? excursionOf(trade, series, "M1") : null;
        if (excursion) measured(trade, excursion);
        else withoutM1.push(trade);
      }

      const m5Whole = await read(
        "M5",
        withoutM1.filter((trade) => !unknown.has(trade.symbol)).map((trade) => ({ ...trade, id: `${trade.id}:m5` })),
      );
      for (const trade of withoutM1) {
        if (unknown.has(trade.symbol)) {
          settle(trade, "unknown_symbol");
          continue;
        }
        const bars = m5Whole.get(`${trade.id}:m5`) ?? [];
        const excursion = seriesCovers(bars, "M5", trade) ? excursionOf(trade, bars, "M5") : null;
        if (excursion) measured(trade, excursion);
        else settle(trade, "no_bars");
      }
      return outcomes;
    }),
  );
}

/** Bars of a range with UTC open times, oldest first; null when the broker has no such symbol. */
async function readBars(bridge: BridgeClient, range: BarRange, zone: string, spanMs?: number): Promise<ExcursionBar[] | null> {
  try {
    const rates = await bridge.request(
      "rates",
      {
        symbol: range.symbol,
        timeframe: range.timeframe,
        from: utcToServerEpochSeconds(new Date(range.fromMs), zone),
        to: utcToServerEpochSeconds(new Date(range.toMs), zone),
      },
      RATES_TIMEOUT_MS,
    );
    return rates.map((rate) => ({
      openMs: serverEpochMsToUtc(rate.time * 1000, zone).at.getTime(),
      high: rate.high,
      low: rate.low,
      ...(spanMs ? { spanMs } : {}),
    }));
  } catch (error) {
    if (error instanceof BridgeError && error.code === "not_found") return null;
    throw error;
  }
}

let measuredZone: string | null = null;

/** The market data server's clock: configured, else measured once while the market ticks (NY+7 until then, as the candle loop does). */
async function serverZone(bridge: BridgeClient, context: ExcursionContext): Promise<string> {
  if (context.account.serverTimeZone) return context.account.serverTimeZone;
  if (measuredZone) return measuredZone;
  const measured = await bridge.request("server_time_offset", {}).catch(() => null);
  const detected = measured && Math.abs(measured.residual_seconds) < 60 ? detectServerTimeZone(measured.offset_minutes, context.clock.now()) : null;
  if (detected) measuredZone = detected;
  return detected ?? "NY+7";
}

/** The bars opening in [fromMs, toMs] (bars sorted by open time). */
function barsBetween(bars: readonly ExcursionBar[], fromMs: number, toMs: number): ExcursionBar[] {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bars[mid]!.openMs < fromMs) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < bars.length && bars[end]!.openMs <= toMs) end++;
  return bars.slice(lo, end);
}
