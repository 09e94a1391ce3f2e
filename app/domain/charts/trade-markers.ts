// The user's trades on one symbol as chart markers, each at its own price: an
// arrow at each entry (under the entry price pointing up for a buy, over it
// pointing down for a sell) and a circle on the exit price, both coloured by
// the trade's result (metrics.md:
// win net > 0, loss net < 0, breakeven exactly 0; an open trade has none yet).
// Marker ids lead back to the trade, so a click can open it.
import { dec } from "../decimal.ts";

export type TradeResult = "win" | "loss" | "breakeven";

/** One trade as the symbol chart reads it: times as UTC epoch seconds, money and prices as stored decimal text. */
export interface SymbolChartTrade {
  id: string;
  direction: "buy" | "sell";
  status: "open" | "closed";
  openedAt: number;
  closedAt: number | null;
  entryPrice: string;
  exitPrice: string | null;
  volume: string;
  /** Net P&L in the account currency; null while open. */
  netProfit: string | null;
}

/** The marker shape the candle chart takes (components/charts/candle-chart-types.ts ChartMarker). */
export interface TradeMarker {
  id: string;
  time: number;
  /**
   * At the price, not beside the bar: a bar holding many trades (a day of an
   * active trader on D1) would otherwise stack their markers off the chart,
   * and the price is what the trader wants to see against the candle.
   */
  position: "atPriceTop" | "atPriceBottom" | "atPriceMiddle";
  price: number;
  shape: "arrowUp" | "arrowDown" | "circle";
  color: string;
  text?: string;
  tooltip?: string;
}

export interface MarkerPalette {
  win: string;
  loss: string;
  breakeven: string;
  open: string;
}

export interface MarkerLabels {
  /** A price as the broker prints it. */
  price: (price: string) => string;
  /** A net result with its currency and sign. */
  money: (net: string) => string;
  /** An instant in the user's time zone. */
  time: (epochSeconds: number) => string;
}

export interface MarkerOptions {
  palette: MarkerPalette;
  labels: MarkerLabels;
  /**
   * Above this many trades the markers carry no text: thousands of labels
   * overlap into noise, and each trade still has its tooltip and colour.
   */
  textUpTo?: number;
}

const EXIT_SUFFIX = ":exit";

export function tradeResult(trade: Pick<SymbolChartTrade, "status" | "netProfit">): TradeResult | null {
  if (trade.status !== "closed" || trade.netProfit === null) return null;
  const sign = dec(trade.netProfit).cmp(0);
  return sign > 0 ? "win" : sign < 0 ? "loss" : "breakeven";
}

/** The trade a marker belongs to. */
export function tradeIdOfMarker(markerId: string): string {
  return markerId.endsWith(EXIT_SUFFIX) ? markerId.slice(0, -EXIT_SUFFIX.length) : markerId;
}

const SIDE = { buy: "Buy", sell: "Sell" } as const;

/**
 * Entry and exit markers of every trade, in time order (the chart requires it;
 * entries before exits at the same time). Tooltips are written when first
 * read (the chart reads one on hover): 10,000 formatted sentences up front
 * cost more than drawing the markers.
 */
export function buildTradeMarkers(trades: readonly SymbolChartTrade[], { palette, labels, textUpTo = 60 }: MarkerOptions): TradeMarker[] {
  const withText = trades.length <= textUpTo;
  const entries: { marker: TradeMarker; order: number }[] = [];
  for (const trade of trades) {
    const result = tradeResult(trade);
    const color = result ? palette[result] : palette.open;
    const side = SIDE[trade.direction];
    const outcome = () => (result && trade.netProfit !== null ? labels.money(trade.netProfit) : "open");
    entries.push({
      marker: {
        id: trade.id,
        time: trade.openedAt,
        position: trade.direction === "buy" ? "atPriceBottom" : "atPriceTop",
        price: Number(trade.entryPrice),
        shape: trade.direction === "buy" ? "arrowUp" : "arrowDown",
        color,
        ...(withText ? { text: side } : {}),
        get tooltip() {
          return `${side} ${trade.volume} at ${labels.price(trade.entryPrice)}, ${labels.time(trade.openedAt)} · ${outcome()}`;
        },
      },
      order: 0,
    });
    const { closedAt, exitPrice } = trade;
    if (trade.status === "closed" && closedAt !== null && exitPrice !== null) {
      entries.push({
        marker: {
          id: `${trade.id}${EXIT_SUFFIX}`,
          time: closedAt,
          position: "atPriceMiddle",
          price: Number(exitPrice),
          shape: "circle",
          color,
          ...(withText ? { text: outcome() } : {}),
          get tooltip() {
            return `Exit of ${side.toLowerCase()} ${trade.volume} at ${labels.price(exitPrice)}, ${labels.time(closedAt)} · ${outcome()}`;
          },
        },
        order: 1,
      });
    }
  }
  entries.sort((a, b) => a.marker.time - b.marker.time || a.order - b.order || (a.marker.id < b.marker.id ? -1 : a.marker.id > b.marker.id ? 1 : 0));
  return entries.map((entry) => entry.marker);
}

/** Wins, losses, breakevens and open trades among `trades`. */
export function resultCounts(trades: readonly SymbolChartTrade[]): Record<TradeResult | "open", number> {
  const counts = { win: 0, loss: 0, breakeven: 0, open: 0 };
  for (const trade of trades) counts[tradeResult(trade) ?? "open"]++;
  return counts;
}
