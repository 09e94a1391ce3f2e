// The candle-window machinery of the jobs process (docs/decisions/019):
//  - a page's request_candle_window() inserts pending chunks and NOTIFYs
//    candle_window_requested; this process LISTENs (and polls every few
//    seconds for a notice missed while reconnecting), claims the pending rows
//    (skip-locked: two jobs processes never claim one row) and sends one
//    candle-window job per row;
//  - the queue is worked here, one job at a time, by the market-data
//    terminal (MarketData.fetchWindow, serialised with its refresh loop);
//  - trades that just closed get their snapshot: the default window's bars,
//    once the cache has them, copied next to the trade (snapshots.ts).
import type pg from "pg";
import type { PgBoss } from "pg-boss";
import { withServiceRole } from "~/lib/service-role.server.ts";
import type { Clock } from "../clock.ts";
import { decodePayload, sendJob } from "../definitions/define-job.ts";
import { candleWindowJob } from "../definitions/candle-window.ts";
import type { MarketData } from "../market-data.ts";
import type { Timeframe } from "../mt5/bridge-types.ts";
import type { CandleWindowResult } from "./run-candle-window-job.ts";
import { takeTradeSnapshots } from "./snapshots.ts";

export const DISPATCH_POLL_MS = 5_000;
export const SNAPSHOT_SWEEP_MS = 15_000;
const CLAIM_BATCH = 50;

export interface CandleWindowsOptions {
  pool: pg.Pool;
  listenPool: pg.Pool;
  marketData: MarketData;
  clock: Clock;
  log: (line: string) => void;
  pollingIntervalSeconds?: number;
  onJobDone?: (requestId: string, result: CandleWindowResult) => void;
}

export interface CandleWindowsRunner {
  /** Claims pending chunks and sends their jobs now. */
  dispatch(): Promise<number>;
  /** Takes the snapshots of recently closed trades whose windows are in the cache. */
  snapshots(): Promise<number>;
  stop(): Promise<void>;
}

interface ClaimedChunk {
  id: string;
  symbol: string;
  timeframe: Timeframe;
  from_at: Date;
  to_at: Date;
}

async function claimPending(pool: pg.Pool): Promise<ClaimedChunk[]> {
  return withServiceRole(pool, null, async (db) => {
    const { rows } = await db.query<ClaimedChunk>(
      `update public.candle_window_requests r set status = 'queued'
        where r.id in (select id from public.candle_window_requests where status = 'pending'
                        order by requested_at limit $1 for update skip locked)
        returning r.id, r.symbol, r.timeframe, r.from_at, r.to_at`,
      [CLAIM_BATCH],
    );
    return rows;
  });
}

export async function startCandleWindows(boss: PgBoss, options: CandleWindowsOptions): Promise<CandleWindowsRunner> {
  const { pool, marketData, clock, log } = options;
  let stopped = false;

  // One dispatch at a time; a notice during one runs another after it.
  let dispatching: Promise<number> = Promise.resolve(0);
  const dispatch = () => {
    dispatching = dispatching.then(async () => {
      if (stopped) return 0;
      const chunks = await claimPending(pool);
      for (const chunk of chunks) {
        await sendJob(boss, candleWindowJob, {
          requestId: chunk.id,
          symbol: chunk.symbol,
          timeframe: chunk.timeframe,
          from: chunk.from_at,
          to: chunk.to_at,
        });
      }
      return chunks.length;
    });
    const mine = dispatching;
    dispatching = dispatching.catch((error: unknown) => {
      log(`candle windows: dispatch failed: ${String(error)}`);
      return 0;
    });
    return mine;
  };

  let sweeping: Promise<number> = Promise.resolve(0);
  const snapshots = () => {
    sweeping = sweeping
      .then(() => (stopped ? 0 : takeTradeSnapshots(pool, clock.now())))
      .catch((error: unknown) => {
        log(`candle windows: snapshots failed: ${String(error)}`);
        return 0;
      });
    return sweeping;
  };

  {
    await boss.work(candleWindowJob.queue, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 0.5, batchSize: 1 }, async (jobs) => {
      const run = await candleWindowJob.handler();
      const results: CandleWindowResult[] = [];
      for (const job of jobs) {
        const payload = decodePayload(candleWindowJob, job.data);
        const result = await run(payload, { pool, marketData, log });
        options.onJobDone?.(payload.requestId, result);
        results.push(result);
      }
      // Bars just arrived: a snapshot waiting for them can be taken now.
      void snapshots();
      return results;
    });
  }

  const listener = await options.listenPool.connect();
  listener.on("notification", () => void dispatch().catch(() => {}));
  listener.on("error", (error) => log(`candle windows: listener ${error.message}`));
  await listener.query("listen candle_window_requested");
  const dispatchTimer = setInterval(() => void dispatch().catch(() => {}), DISPATCH_POLL_MS);
  const snapshotTimer = setInterval(() => void snapshots(), SNAPSHOT_SWEEP_MS);
  // Pending since before a restart.
  void dispatch().catch(() => {});

  return {
    dispatch,
    snapshots,
    async stop() {
      stopped = true;
      clearInterval(dispatchTimer);
      clearInterval(snapshotTimer);
      await listener.query("unlisten *").catch(() => {});
      listener.release();
      await dispatching.catch(() => {});
      await sweeping.catch(() => {});
    },
  };
}
