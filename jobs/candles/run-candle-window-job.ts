// One candle-window job: fetch the chunk's bars through the market-data
// terminal (serialised with its refresh loop), store them in the shared cache,
// and mark the request row — fetched (pages watching it reload), or
// unavailable with the reason a page shows (a symbol the broker lacks, a
// failed fetch).
import type pg from "pg";
import { withServiceRole } from "~/lib/service-role.server.ts";
import type { JobPayload } from "../definitions/define-job.ts";
import type { candleWindowJob } from "../definitions/candle-window.ts";
import type { MarketData } from "../market-data.ts";
import { BridgeError } from "../mt5/bridge-client.ts";

export interface CandleWindowContext {
  pool: pg.Pool;
  marketData: MarketData;
  log: (line: string) => void;
}

export type CandleWindowResult = { status: "fetched"; bars: number } | { status: "unavailable"; reason: string };

export async function runCandleWindowJob(job: JobPayload<typeof candleWindowJob>, context: CandleWindowContext): Promise<CandleWindowResult> {
  let result: CandleWindowResult;
  let fetchedUntil: Date | null = null;
  try {
    const fetched = await context.marketData.fetchWindow(job);
    fetchedUntil = fetched.fetchedUntil;
    result = { status: "fetched", bars: fetched.bars };
  } catch (error) {
    if (error instanceof BridgeError && error.code === "not_found") {
      result = { status: "unavailable", reason: "unknown_symbol" };
    } else {
      const message = error instanceof Error ? error.message : String(error);
      context.log(`candle window ${job.symbol} ${job.timeframe} ${job.from.toISOString()}: ${message}`);
      result = { status: "unavailable", reason: `failed: ${message}`.slice(0, 300) };
    }
  }
  await withServiceRole(context.pool, null, (db) =>
    result.status === "fetched"
      ? db.query(
          `update public.candle_window_requests set status = 'fetched', reason = null, fetched_at = now(), fetched_until = $2, bars = $3
            where id = $1`,
          [job.requestId, fetchedUntil, result.bars],
        )
      : db.query("update public.candle_window_requests set status = 'unavailable', reason = $2, fetched_at = now() where id = $1", [
          job.requestId,
          result.reason,
        ]),
  );
  return result;
}
