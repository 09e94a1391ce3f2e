// What a trade looks like on its chart: a marker for the entry (each entry
// deal of a scaled-in position) and one for every exit leg, with volume and
// price for the hover; the initial stop loss and take profit as price lines;
// the time it was open as the shaded span. A trade entered without deals
// gets one entry and one exit at its average prices.

import { symbolDigits } from "~/domain/instruments/price-display.ts";

export interface ChartLeg {
  id: string;
  kind: "entry" | "exit";
  direction: "buy" | "sell";
  executedAt: string;
  volume: string;
  price: string;
  profit: string;
}

export interface ChartTrade {
  direction: "buy" | "sell";
  status: "open" | "closed";
  openedAt: string;
  closedAt: string | null;
  volume: string;
  entryPrice: string;
  exitPrice: string | null;
  netProfit: string;
  initialStopLoss: string | null;
  takeProfit: string | null;
  legs: readonly ChartLeg[];
}

export interface TradeMarker {
  id: string;
  time: number;
  position: "aboveBar" | "belowBar";
  shape: "arrowUp" | "arrowDown";
  color: string;
  text: string;
  tooltip: string;
}

export interface TradePriceLine {
  price: number;
  color: string;
  title: string;
  dashed: boolean;
}

export const MARKER_COLORS = { entry: "#818cf8", win: "#22c55e", loss: "#ef4444" } as const;

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

function isLoss(amount: string): boolean {
  return amount.trim().startsWith("-") && Number(amount) !== 0;
}

/** Entry and exit markers; `when` formats a time for the hover (the user's zone). */
export function tradeMarkers(trade: ChartTrade, when: (iso: string) => string): TradeMarker[] {
  const legs: ChartLeg[] = trade.legs.length
    ? [...trade.legs]
    : [
        {
          id: "entry",
          kind: "entry",
          direction: trade.direction,
          executedAt: trade.openedAt,
          volume: trade.volume,
          price: trade.entryPrice,
          profit: "0",
        },
        ...(trade.closedAt && trade.exitPrice
          ? [
              {
                id: "exit",
                kind: "exit" as const,
                direction: trade.direction === "buy" ? ("sell" as const) : ("buy" as const),
                executedAt: trade.closedAt,
                volume: trade.volume,
                price: trade.exitPrice,
                profit: trade.netProfit,
              },
            ]
          : []),
      ];
  return legs.map((leg) => {
    const buying = leg.direction === "buy";
    const entry = leg.kind === "entry";
    return {
      id: leg.id,
      time: seconds(leg.executedAt),
      // Buys below the bar pointing up, sells above pointing down: the side of the deal, as on MT5's own chart.
      position: buying ? "belowBar" : "aboveBar",
      shape: buying ? "arrowUp" : "arrowDown",
      color: entry ? MARKER_COLORS.entry : isLoss(leg.profit) ? MARKER_COLORS.loss : MARKER_COLORS.win,
      text: `${entry ? "In" : "Out"} ${leg.volume}`,
      tooltip: `${entry ? "Entry" : "Exit"} · ${leg.direction} ${leg.volume} lots @ ${leg.price}\n${when(leg.executedAt)}`,
    };
  });
}

/** The initial stop loss and the take profit, when the trade had them. */
export function tradePriceLines(trade: ChartTrade): TradePriceLine[] {
  const lines: TradePriceLine[] = [];
  if (trade.initialStopLoss && Number(trade.initialStopLoss) > 0) {
    lines.push({ price: Number(trade.initialStopLoss), color: MARKER_COLORS.loss, title: "Initial SL", dashed: true });
  }
  if (trade.takeProfit && Number(trade.takeProfit) > 0) {
    lines.push({ price: Number(trade.takeProfit), color: MARKER_COLORS.win, title: "TP", dashed: true });
  }
  return lines;
}

/** The time the trade was open (until `now` while it still is), UTC epoch seconds. */
export function tradeSpan(trade: Pick<ChartTrade, "openedAt" | "closedAt">, now: Date): { from: number; to: number } {
  return { from: seconds(trade.openedAt), to: trade.closedAt ? seconds(trade.closedAt) : Math.floor(now.getTime() / 1000) };
}

/** Decimal places for the price axis: the symbol's own, else as many as the entry price was written with. */
export function chartDigits(symbol: string, entryPrice: string): number {
  const known = symbolDigits(symbol);
  if (known !== null) return known;
  const decimals = entryPrice.split(".")[1]?.length ?? 0;
  return Math.min(decimals, 8);
}
