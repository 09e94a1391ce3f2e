// Candles for a chart, read as the user: the shared candle_cache (every user
// reads the same rows), or the trade's own snapshot kept at exit when the
// cache no longer has them. A window the cache lacks is asked for through
// public.request_candle_window — once per chunk however many pages ask —
// and the market-data terminal fetches it (jobs/definitions/candle-window.ts);
// the page shows "loading" until the chunks turn fetched.
import type { ChartCandle, ChartTimeframe } from "~/components/charts/candle-chart-types.ts";
import type { RequestDb } from "~/lib/db.server.ts";
import type { CandleUnavailableReason, CandleWindow, CandleWindowStatus } from "./candles.types.ts";

export type { CandleUnavailableReason, CandleWindow, CandleWindowStatus } from "./candles.types.ts";

export interface CandleWindowQuery {
  symbol: string;
  timeframe: ChartTimeframe;
  from: Date;
  to: Date;
  /** A trade whose snapshot (kept at exit) may hold this window. */
  tradeId?: string;
}

const REASONS = new Set<string>(["unknown_symbol", "no_terminal", "not_traded", "too_wide"]);

function reasonOf(text: string | null): CandleUnavailableReason {
  if (text && REASONS.has(text)) return text as CandleUnavailableReason;
  return "failed";
}

/** Bars of the window from candle_cache, oldest first (prices as numbers: they are drawn, never summed). */
export async function readCachedCandles(db: RequestDb, query: Omit<CandleWindowQuery, "tradeId">): Promise<ChartCandle[]> {
  // One row of JSON, not a row per bar: 3,000 bars parse in one JSON.parse instead of 3,000 row objects and 15,000 numeric parses.
  const { rows } = await db.query<{ bars: string }>(
    `select coalesce(json_agg(json_build_array(extract(epoch from opened_at)::int8, open, high, low, close) order by opened_at), '[]')::text as bars
       from public.candle_cache
      where symbol = $1 and timeframe = $2 and opened_at >= $3 and opened_at < $4`,
    [query.symbol, query.timeframe, query.from, query.to],
  );
  const bars = JSON.parse(rows[0]?.bars ?? "[]") as [number, number, number, number, number][];
  return bars.map(([time, open, high, low, close]) => ({ time, open, high, low, close }));
}

/** The trade's snapshot bars for this timeframe inside the window, or null when it has none. */
async function readSnapshot(db: RequestDb, tradeId: string, query: CandleWindowQuery): Promise<ChartCandle[] | null> {
  const { rows } = await db.query<{ bars: [number, number, number, number, number][] }>(
    `select bars from public.trade_candle_snapshots where trade_id = $1 and timeframe = $2 and status = 'ready'`,
    [tradeId, query.timeframe],
  );
  const bars = rows[0]?.bars;
  if (!bars) return null;
  const from = query.from.getTime() / 1000;
  const to = query.to.getTime() / 1000;
  return bars.filter(([t]) => t >= from && t < to).map(([time, open, high, low, close]) => ({ time, open, high, low, close }));
}

/**
 * The window's candles and whether more are coming. A trade's snapshot (kept
 * at exit) answers without touching the cache; otherwise the cache answers,
 * and a missing window is asked for (status "loading") or explained
 * ("unavailable", with the reason).
 */
export async function loadCandleWindow(db: RequestDb, query: CandleWindowQuery): Promise<CandleWindow> {
  if (query.tradeId) {
    const snapshot = await readSnapshot(db, query.tradeId, query);
    if (snapshot && snapshot.length > 0) return { status: "ready", candles: snapshot, source: "snapshot" };
  }
  const { rows } = await db.query<{ status: CandleWindowStatus; reason: string | null }>(
    "select status, reason from public.request_candle_window($1, $2, $3, $4)",
    [query.symbol, query.timeframe, query.from, query.to],
  );
  const answer = rows[0] ?? { status: "unavailable" as const, reason: "failed" };
  if (answer.status === "unavailable") return { status: "unavailable", candles: [], reason: reasonOf(answer.reason) };
  return { status: answer.status, candles: await readCachedCandles(db, query), source: "cache" };
}
