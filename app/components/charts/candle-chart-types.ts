// The shapes the candle chart takes, in a module of types only, so loaders,
// models and components share them without importing the chart (browser-only)
// or server code.

import type { Timeframe } from "~/domain/charts/trade-window.ts";

/** M1, M5, M15, M30, H1, H4, D1, W1 (the list itself: TIMEFRAMES in ~/domain/charts/trade-window.ts). */
export type ChartTimeframe = Timeframe;

export interface ChartCandle {
  /** Bar open, UTC epoch seconds. */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

export interface ChartMarker {
  id: string;
  /** UTC epoch seconds; drawn on the bar that contains it. */
  time: number;
  /** Beside the bar (stacked with the bar's other markers), or at `price` (above it, below it, on it). */
  position: "aboveBar" | "belowBar" | "atPriceTop" | "atPriceBottom" | "atPriceMiddle";
  /** Required for the at-price positions. */
  price?: number;
  shape: "arrowUp" | "arrowDown" | "circle";
  color: string;
  text?: string;
  /** Shown while the pointer is over the marker. */
  tooltip?: string;
}

export interface ChartPriceLine {
  price: number;
  color: string;
  title: string;
  dashed?: boolean;
}

export interface ChartSpan {
  /** UTC epoch seconds. */
  from: number;
  to: number;
}

export interface CandleChartProps {
  candles: ChartCandle[];
  markers?: ChartMarker[];
  onMarkerClick?: (id: string) => void;
  priceLines?: ChartPriceLine[];
  /** Shaded, and the view fits it (plus padding) instead of all the candles. */
  span?: ChartSpan;
  /** IANA zone the axis and crosshair show times in. */
  timeZone: string;
  /** Decimal places of the symbol's prices. */
  digits: number;
  height?: number;
  ariaLabel: string;
}
