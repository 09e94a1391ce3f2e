// The chart of one symbol with every trade of the view on it: candles from the
// loader, the forming bar kept live through Realtime while the symbol is hot,
// entry and exit markers coloured by result (a click opens the trade), and a
// clear sentence instead of a canvas when there are no candles to draw.
import { useNavigate } from "@remix-run/react";
import { useCallback, useEffect, useMemo, useState } from "react";
import { CandleChart } from "~/components/charts/candle-chart.tsx";
import type { ChartCandle, ChartTimeframe } from "~/components/charts/candle-chart-types.ts";
import { useLiveCandles } from "~/components/charts/use-live-candles.ts";
import { crosshairLabel } from "~/domain/charts/zone-time-format.ts";
import { unpackTrades } from "~/domain/charts/packed-trades.ts";
import { buildTradeMarkers, tradeIdOfMarker, type MarkerPalette } from "~/domain/charts/trade-markers.ts";
import { displayPrice } from "~/domain/instruments/price-display.ts";
import { formatMoney } from "~/lib/format.ts";
import { useRefillWhenFetched } from "./use-refill-when-fetched.ts";

/** The candle window's state as the loader gives it (models/charts/candles.server.ts). */
type WindowStatus = "ready" | "loading" | "unavailable";

const PALETTE: MarkerPalette = { win: "#4ade80", loss: "#f87171", breakeven: "#9ca3af", open: "#818cf8" };
const HEIGHT = 420;

export interface SymbolChartPanelProps {
  symbol: string;
  timeframe: ChartTimeframe;
  status: WindowStatus;
  /** Why the window is unavailable (unknown_symbol, no_terminal, too_wide, not_traded, failed). */
  reason: string | null;
  candles: ChartCandle[];
  /** The trades, packed (domain/charts/packed-trades.ts). */
  packed: string;
  tradeCount: number;
  live: boolean;
  currency: string;
  timeZone: string;
  digits: number;
}

function emptyText(symbol: string, timeframe: string, reason: string | null): string {
  switch (reason) {
    case "unknown_symbol":
      return `The broker's market data has no symbol ${symbol}, so there are no candles to draw. Its trades are still in the list linked below.`;
    case "no_terminal":
      return `No market-data terminal is running, so ${symbol} candles can't be fetched right now. Its trades are still in the list linked below.`;
    case "too_wide":
      return `This period is too long for ${timeframe} candles. Pick a longer timeframe.`;
    case "not_traded":
      return `Candles are fetched only for symbols you have traded.`;
    case "failed":
      return `Fetching ${symbol} candles failed. Try again in a few minutes.`;
    default:
      return `No ${symbol} candles in this period yet.`;
  }
}

export function SymbolChartPanel(props: SymbolChartPanelProps) {
  const { symbol, timeframe, status, reason, packed, tradeCount, live, currency, timeZone, digits } = props;
  const navigate = useNavigate();
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const candles = useLiveCandles({ symbol, timeframe, candles: props.candles, enabled: live, onBar: () => setUpdatedAt(Date.now()) });
  useRefillWhenFetched(symbol, status === "loading");
  // The chart draws only in the browser: markers are built there, after hydration, never on the server.
  const [inBrowser, setInBrowser] = useState(false);
  useEffect(() => setInBrowser(true), []);
  const markers = useMemo(
    () =>
      !inBrowser
        ? []
        : buildTradeMarkers(unpackTrades(packed), {
            palette: PALETTE,
            labels: {
              price: (price) => displayPrice(price, digits).text,
              money: (net) => formatMoney(net, currency, { signed: true }),
              time: (seconds) => crosshairLabel(seconds, timeZone),
            },
          }),
    [inBrowser, packed, digits, currency, timeZone],
  );
  const openTrade = useCallback((id: string) => navigate(`/trades/${tradeIdOfMarker(id)}`), [navigate]);
  const last = candles[candles.length - 1];

  if (candles.length === 0) {
    return (
      <div
        className="card flex items-center justify-center px-4 py-10 text-center text-sm text-fg-muted"
        style={{ minHeight: status === "loading" ? HEIGHT : undefined }}
        data-chart-empty={status === "loading" ? "loading" : (reason ?? "no_candles")}
        role="status"
      >
        {status === "loading" ? `Loading ${symbol} market data… The chart fills in when it arrives.` : emptyText(symbol, timeframe, reason)}
      </div>
    );
  }
  return (
    <div className="space-y-2">
      <p className="flex flex-wrap items-baseline gap-x-3 gap-y-1 text-xs text-fg-muted" data-last-candle={last ? last.close : ""}>
        <span>
          Last {timeframe} close <span className="font-mono text-sm text-fg tabular-nums">{last ? last.close.toFixed(digits) : "—"}</span>
        </span>
        {live ? (
          <span className="inline-flex items-center gap-1" data-chart-live>
            <span aria-hidden className="h-1.5 w-1.5 rounded-full bg-green-400" />
            Live{updatedAt ? ` · updated ${new Date(updatedAt).toLocaleTimeString("en-GB", { timeZone })}` : ""}
          </span>
        ) : null}
        {status === "loading" ? <span>Loading more market data…</span> : null}
      </p>
      <CandleChart
        candles={candles}
        markers={markers}
        onMarkerClick={openTrade}
        timeZone={timeZone}
        digits={digits}
        height={HEIGHT}
        ariaLabel={`${symbol} ${timeframe} candles with ${tradeCount} of your trades marked: arrows at entries, circles at exits, green for wins and red for losses`}
      />
    </div>
  );
}
