// The trade page's chart section: the timeframe switch (plain links, so it
// works without JavaScript), then the candles with the trade on them — or
// "loading market data" while the window is being fetched (the page reloads
// its data when the fetch lands, through Realtime, with a slow poll behind
// it), or a plain sentence saying why there is no chart. An open trade's last
// candle moves live.
import { Link, useRevalidator, useSearchParams } from "@remix-run/react";
import { useEffect, useMemo, useRef } from "react";
import { useLiveSync } from "~/components/shell/live-sync.tsx";
import { tradeMarkers, tradePriceLines, tradeSpan, type ChartTrade } from "~/domain/charts/trade-chart-overlays.ts";
import { TIMEFRAMES } from "~/domain/charts/trade-window.ts";
import { formatDateTime } from "~/lib/format.ts";
import type { TradeChartData } from "~/models/charts/candles.types.ts";
import { CandleChart } from "./candle-chart.tsx";
import { useLiveCandles } from "./use-live-candles.ts";

const HEIGHT = 380;
/** Behind Realtime: a reload every few seconds while loading, for at most two minutes. */
const LOADING_POLL_MS = 4_000;
const LOADING_POLL_LIMIT = 30;

const UNAVAILABLE: Record<string, string> = {
  unknown_symbol: "Our market data broker doesn't list this symbol, so there are no candles to show.",
  no_terminal: "Market data isn't available right now: no market-data terminal is running. The rest of the trade is unaffected.",
  not_traded: "Candles are fetched only for symbols you have traded.",
  too_wide: "That timeframe would need too many bars for this trade. Pick a longer timeframe.",
  failed: "Fetching the candles failed. We'll try again when you next open this trade.",
};

export interface TradeChartProps {
  chart: TradeChartData;
  trade: ChartTrade & { id: string; symbol: string };
  timeZone: string;
  digits: number;
}

export function TradeChart({ chart, trade, timeZone, digits }: TradeChartProps) {
  const { window, timeframe } = chart;
  const live = trade.status === "open" && window.status === "ready";
  const candles = useLiveCandles({ symbol: trade.symbol, timeframe, candles: window.candles, enabled: live });
  const markers = useMemo(() => tradeMarkers(trade, (iso) => formatDateTime(iso, timeZone, { seconds: true })), [trade, timeZone]);
  const priceLines = useMemo(() => tradePriceLines(trade), [trade]);
  // While open, the span runs to the last bar; the loader's window end stands in for "now" so server and browser agree.
  const span = useMemo(() => tradeSpan(trade, new Date(chart.to * 1000)), [trade, chart.to]);
  useReloadWhenFetched(trade.symbol, window.status === "loading");

  return (
    <section id="chart" aria-labelledby="chart-heading" className="card mb-4 p-4 sm:p-5">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id="chart-heading" className="text-sm font-semibold text-fg">
          Chart <span className="font-normal text-fg-muted">· {timeframe}</span>
        </h2>
        <TimeframeSwitch current={timeframe} suggested={chart.defaultTimeframe} />
      </div>
      {window.status === "unavailable" ? (
        <ChartMessage height={HEIGHT} testId="chart-unavailable">
          {UNAVAILABLE[window.reason ?? "failed"] ?? UNAVAILABLE.failed}
        </ChartMessage>
      ) : window.status === "loading" && candles.length === 0 ? (
        <ChartMessage height={HEIGHT} testId="chart-loading" busy>
          Loading market data… The chart fills in by itself when the candles arrive.
        </ChartMessage>
      ) : candles.length === 0 ? (
        <ChartMessage height={HEIGHT} testId="chart-empty">
          No candles in this window: the market was closed. Try another timeframe.
        </ChartMessage>
      ) : (
        <>
          <CandleChart
            candles={candles}
            markers={markers}
            priceLines={priceLines}
            span={span}
            timeZone={timeZone}
            digits={digits}
            height={HEIGHT}
            ariaLabel={`${trade.symbol} ${timeframe} candles around this ${trade.direction} trade, with its entry and exits marked`}
          />
          <p className="mt-2 text-xs text-fg-muted">
            Times in {timeZone.replaceAll("_", " ")}. Arrows mark the entry and each exit (hover for volume and price); dashed lines are the initial
            stop loss and take profit.
            {window.source === "snapshot" ? " Candles kept with the trade when it closed." : ""}
            {window.status === "loading" ? " More candles are loading." : ""}
            {live ? " The last candle updates live." : ""}
          </p>
        </>
      )}
    </section>
  );
}

function TimeframeSwitch({ current, suggested }: { current: string; suggested: string }) {
  const [params] = useSearchParams();
  const hrefFor = (timeframe: string) => {
    const next = new URLSearchParams(params);
    if (timeframe === suggested) next.delete("tf");
    else next.set("tf", timeframe);
    const query = next.toString();
    return `${query ? `?${query}` : "?"}#chart`;
  };
  return (
    <nav aria-label="Chart timeframe" className="flex flex-wrap gap-0.5 sm:gap-1">
      {TIMEFRAMES.map((timeframe) => (
        <Link
          key={timeframe}
          to={hrefFor(timeframe)}
          preventScrollReset
          replace
          aria-current={timeframe === current ? "true" : undefined}
          className={`rounded px-1.5 py-1 text-xs sm:px-2 font-medium tabular-nums focus-visible:outline focus-visible:outline-2 focus-visible:outline-accent ${
            timeframe === current ? "bg-accent text-white" : "text-fg-muted hover:bg-raised hover:text-fg"
          }`}
        >
          {timeframe}
        </Link>
      ))}
    </nav>
  );
}

function ChartMessage({ height, testId, busy = false, children }: { height: number; testId: string; busy?: boolean; children: React.ReactNode }) {
  return (
    <div
      role="status"
      aria-busy={busy || undefined}
      data-testid={testId}
      className="flex items-center justify-center rounded-md border border-dashed border-border bg-surface p-6 text-center text-sm text-fg-muted"
      style={{ height }}
    >
      <p className="max-w-md">{children}</p>
    </div>
  );
}

/** While the window loads: reload the page's data when one of the symbol's chunks is answered (Realtime), or every few seconds. */
function useReloadWhenFetched(symbol: string, loading: boolean) {
  const { watchChanges } = useLiveSync();
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  useEffect(() => {
    if (!loading) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const soon = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => revalidate.current(), 150);
    };
    const stop = watchChanges({
      table: "candle_window_requests",
      filter: `symbol=eq.${symbol}`,
      onChange: (change) => {
        const status = change.new.status;
        if (status === "fetched" || status === "unavailable") soon();
      },
    });
    let polls = 0;
    const poll = setInterval(() => {
      if (++polls > LOADING_POLL_LIMIT) clearInterval(poll);
      else revalidate.current();
    }, LOADING_POLL_MS);
    return () => {
      stop();
      clearInterval(poll);
      if (timer) clearTimeout(timer);
    };
  }, [watchChanges, symbol, loading]);
}
