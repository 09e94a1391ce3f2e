// The trade page's chart: which timeframe (the one asked for in ?tf=, else the
// default for the trade's duration), the window around the trade, and its
// candles through loadCandleWindow (the trade's snapshot first, then the
// shared cache, asking for what is missing).
import { defaultTimeframe, isTimeframe, tradeWindow } from "~/domain/charts/trade-window.ts";
import type { RequestDb } from "~/lib/db.server.ts";
import { loadCandleWindow } from "./candles.server.ts";
import type { TradeChartData } from "./candles.types.ts";

export type { TradeChartData };

export interface TradeChartTrade {
  id: string;
  symbol: string;
  openedAt: string;
  closedAt: string | null;
}

export async function loadTradeChart(db: RequestDb, trade: TradeChartTrade, requested: string | null, now: Date): Promise<TradeChartData> {
  const openedAt = new Date(trade.openedAt);
  const closedAt = trade.closedAt ? new Date(trade.closedAt) : now;
  const fallback = defaultTimeframe(openedAt, closedAt);
  const timeframe = isTimeframe(requested) ? requested : fallback;
  const { from, to } = tradeWindow(openedAt, closedAt, timeframe, now);
  const window = await loadCandleWindow(db, { symbol: trade.symbol, timeframe, from, to, tradeId: trade.id });
  return { timeframe, defaultTimeframe: fallback, from: from.getTime() / 1000, to: to.getTime() / 1000, window };
}
