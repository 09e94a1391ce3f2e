// The shapes the /charts loaders return, in a module of types only, so the
// pages' components import them without touching server code.
import type { SymbolChartTrade } from "~/domain/charts/trade-markers.ts";
import type { AnalyticsScope, PeriodView } from "~/models/analytics/types.ts";

export type { SymbolChartTrade };

/** The filter bar's choices (the analytics scope without its server-only parts). */
export type ChartScope = Pick<AnalyticsScope, "accounts" | "currencies" | "key" | "tags" | "accountIds" | "currency" | "label" | "timeZone">;

export interface TradedSymbol {
  symbol: string;
  /** Trades in the view: closed ones of the period and those still open. */
  trades: number;
  wins: number;
  losses: number;
  open: number;
  /** Net of the closed trades, in the scope's currency, decimal text. */
  net: string;
  /** Latest open or close of its trades, UTC epoch milliseconds. */
  lastTradedAt: number;
}

export interface TradedSymbols {
  scope: ChartScope;
  period: PeriodView;
  symbols: TradedSymbol[];
}

export interface SymbolTrades {
  scope: ChartScope;
  period: PeriodView;
  /** The period's instants (UTC epoch seconds); null = open. */
  periodFrom: number | null;
  periodTo: number | null;
  counts: { trades: number; win: number; loss: number; breakeven: number; open: number };
  /** Net of the closed trades, decimal text. */
  net: string;
  /** Opening of the first and last trade (UTC epoch seconds); null without trades. */
  firstOpenedAt: number | null;
  lastOpenedAt: number | null;
  /** The trades in opening order, packed (domain/charts/packed-trades.ts: unpackTrades). */
  packed: string;
}
