// The symbol chart's trades on the wire: thousands of trades as one text (one
// line per trade, comma-separated fields) instead of thousands of objects.
// PostgreSQL writes it in one aggregate (models/charts/symbol-chart.server.ts),
// so the server neither parses nor re-serialises 5,000 rows, and the browser
// decodes it in a few milliseconds instead of walking a 1 MB object graph.
//
//   id,direction(b|s),status(o|c),opened(epoch s),closed(epoch s|),entry,exit|,volume,net|
import type { SymbolChartTrade } from "./trade-markers.ts";

export const PACKED_TRADE_SEPARATOR = "\n";

export function packTrades(trades: readonly SymbolChartTrade[]): string {
  return trades
    .map((t) =>
      [
        t.id,
        t.direction === "buy" ? "b" : "s",
        t.status === "open" ? "o" : "c",
        t.openedAt,
        t.closedAt ?? "",
        t.entryPrice,
        t.exitPrice ?? "",
        t.volume,
        t.netProfit ?? "",
      ].join(","),
    )
    .join(PACKED_TRADE_SEPARATOR);
}

/** The trades of a packed text; a malformed line is an error (the text comes from our own query). */
export function unpackTrades(text: string): SymbolChartTrade[] {
  if (text === "") return [];
  return text.split(PACKED_TRADE_SEPARATOR).map((line) => {
    const [id, direction, status, opened, closed, entry, exit, volume, net, ...rest] = line.split(",");
    if (!id || !entry || !volume || opened === undefined || net === undefined || rest.length) throw new Error(`bad packed trade: ${line}`);
    const isOpen = status === "o";
    return {
      id,
      direction: direction === "b" ? "buy" : "sell",
      status: isOpen ? "open" : "closed",
      openedAt: Number(opened),
      closedAt: isOpen || !closed ? null : Number(closed),
      entryPrice: entry,
      exitPrice: isOpen || !exit ? null : exit,
      volume,
      netProfit: isOpen || !net ? null : net,
    };
  });
}

/** The first trade's entry price, without unpacking the rest (its decimals stand in for an unknown symbol's digits). */
export function firstEntryPrice(text: string): string | null {
  const end = text.indexOf(PACKED_TRADE_SEPARATOR);
  return (end < 0 ? text : text.slice(0, end)).split(",")[5] || null;
}
