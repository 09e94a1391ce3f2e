// The shapes the chart models return, in a module of types only, so components
// can use them without importing server code.
import type { ChartCandle } from "~/components/charts/candle-chart-types.ts";
import type { Timeframe } from "~/domain/charts/trade-window.ts";

export type CandleWindowStatus = "ready" | "loading" | "unavailable";

/** Why a window cannot be shown; each has its own sentence on the page. */
export type CandleUnavailableReason = "unknown_symbol" | "no_terminal" | "not_traded" | "too_wide" | "failed";

export interface CandleWindow {
  status: CandleWindowStatus;
  candles: ChartCandle[];
  reason?: CandleUnavailableReason;
  /** Where the bars came from: the shared cache, or the trade's snapshot kept at exit. */
  source?: "cache" | "snapshot";
}

export interface TradeChartData {
  timeframe: Timeframe;
  /** The timeframe the trade's duration suggests (the one shown without ?tf=). */
  defaultTimeframe: Timeframe;
  /** UTC epoch seconds of the window shown. */
  from: number;
  to: number;
  window: CandleWindow;
}
