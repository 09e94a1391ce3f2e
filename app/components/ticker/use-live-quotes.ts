// The ticker's daily bars kept current by Realtime: one watch on candle_cache
// for the held symbols (this tab's connection, the signed-in layout's), each
// D1 bar that changes put in place of its day. When the loader gives new bars
// (navigation, revalidation) they replace the merged ones.
import { useEffect, useState } from "react";
import { useLiveSync } from "~/components/shell/live-sync.tsx";
import { withDailyBar, type DailyBar } from "~/domain/charts/day-quote.ts";
import type { RowChange } from "~/domain/sync/live-rows.ts";
import type { TickerSymbol } from "~/models/charts/ticker.types.ts";

type BarsBySymbol = Record<string, DailyBar[]>;

/** A candle_cache row as Realtime sends it, as a daily bar of its symbol; null for any other timeframe or a bad row. */
export function dailyBarOf(change: RowChange): { symbol: string; bar: DailyBar } | null {
  if (change.eventType === "DELETE") return null;
  const row = change.new;
  if (row.timeframe !== "D1" || typeof row.symbol !== "string" || typeof row.opened_at !== "string") return null;
  const opened = Date.parse(row.opened_at);
  const close = typeof row.close === "number" || typeof row.close === "string" ? String(row.close) : null;
  if (!Number.isFinite(opened) || close === null || !Number.isFinite(Number(close))) return null;
  return { symbol: row.symbol, bar: { time: Math.floor(opened / 1000), close } };
}

function bySymbol(initial: TickerSymbol[]): BarsBySymbol {
  return Object.fromEntries(initial.map((row) => [row.symbol, row.bars]));
}

/** Each of `symbols`' newest daily bars: the loader's, then every change heard. */
export function useLiveQuotes(initial: TickerSymbol[], symbols: readonly string[]): BarsBySymbol {
  const { watchChanges } = useLiveSync();
  const [live, setLive] = useState(() => ({ from: initial, bars: bySymbol(initial) }));
  const bars = live.from === initial ? live.bars : bySymbol(initial);
  if (live.from !== initial) setLive({ from: initial, bars: bySymbol(initial) });

  // One watch per set of symbols, however the positions are ordered or repeated.
  const key = [...new Set(symbols)].sort().join(",");
  useEffect(() => {
    if (!key) return;
    return watchChanges({
      table: "candle_cache",
      filter: `symbol=in.(${key})`,
      onChange: (change) => {
        const daily = dailyBarOf(change);
        if (!daily) return;
        setLive((state) => ({
          from: state.from,
          bars: { ...state.bars, [daily.symbol]: withDailyBar(state.bars[daily.symbol] ?? [], daily.bar) },
        }));
      },
    });
  }, [watchChanges, key]);

  return bars;
}
