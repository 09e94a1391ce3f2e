// The page's candles kept current by Realtime: this tab's connection (the
// signed-in layout's, same socket and token) listens to candle_cache changes
// for one symbol, and each bar of the wanted timeframe is merged in — the
// forming bar replaced, a new bar appended. When the loader gives new candles
// (navigation, revalidation), they replace the merged ones.
import { useEffect, useState } from "react";
import { useLiveSync } from "~/components/shell/live-sync.tsx";
import { mergeCandle } from "~/domain/charts/chart-geometry.ts";
import type { ChartCandle, ChartTimeframe } from "./candle-chart-types.ts";

export interface LiveCandlesOptions {
  symbol: string;
  timeframe: ChartTimeframe;
  /** The loader's candles. */
  candles: ChartCandle[];
  /** False to stop listening (a closed trade's chart needs no live bar). */
  enabled?: boolean;
  /** Called with each merged bar (a page may show "updated" or the last price). */
  onBar?: (bar: ChartCandle) => void;
}

function finite(value: unknown): number | null {
  const number = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? number : null;
}

/** A candle_cache row as Realtime sends it, as a chart bar of that symbol and timeframe; null for any other row. */
export function candleFromRow(row: Record<string, unknown>, symbol: string, timeframe: ChartTimeframe): ChartCandle | null {
  if (row.symbol !== symbol || row.timeframe !== timeframe || typeof row.opened_at !== "string") return null;
  const opened = Date.parse(row.opened_at);
  const open = finite(row.open);
  const high = finite(row.high);
  const low = finite(row.low);
  const close = finite(row.close);
  if (!Number.isFinite(opened) || open === null || high === null || low === null || close === null) return null;
  return { time: Math.floor(opened / 1000), open, high, low, close };
}

export function useLiveCandles({ symbol, timeframe, candles, enabled = true, onBar }: LiveCandlesOptions): ChartCandle[] {
  const { watchChanges } = useLiveSync();
  const [live, setLive] = useState({ from: candles, candles });
  const current = live.from === candles ? live.candles : candles;
  if (live.from !== candles) setLive({ from: candles, candles });

  useEffect(() => {
    if (!enabled) return;
    return watchChanges({
      table: "candle_cache",
      filter: `symbol=eq.${symbol}`,
      onChange: (change) => {
        if (change.eventType === "DELETE") return;
        const bar = candleFromRow(change.new, symbol, timeframe);
        if (!bar) return;
        setLive((state) => ({ from: state.from, candles: mergeCandle(state.candles, bar) }));
        onBar?.(bar);
      },
    });
    // onBar is a notification, not a reason to resubscribe.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [watchChanges, symbol, timeframe, enabled]);

  return current;
}
