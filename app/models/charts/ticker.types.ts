// The ticker loader's shape, in a module of types only (components import it).
import type { DailyBar } from "~/domain/charts/day-quote.ts";

export type { DailyBar };

export interface TickerSymbol {
  symbol: string;
  /** Its newest daily bars, newest first (at most two; none before the market-data terminal has fetched it). */
  bars: DailyBar[];
}
