// One position of a report, with the deals matched to it, as a TradeInput.
// Money (gross profit, commission, swap) is what the Positions row prints; fee
// is the sum of the Fee column over the position's deals when the report has
// one. A position whose exit deals did not add up (fallback) gets one exit leg
// from its Positions row.
import { dec, sum, toDecimalString } from "../../decimal.ts";
import { normalizeSymbol } from "../../instruments/normalize-symbol.ts";
import { vwap, vwapDigits } from "../../trades/vwap.ts";
import type { CloseReason, TradeInput, TradeLegInput } from "../../trades/types.ts";
import type { DealTable, PositionTable } from "./report-tables.ts";

/** A report has a handful of symbols and 100,000 positions: each is normalised once (bounded, across reports). */
const normalized = new Map<string, string>();

function symbolOf(brokerSymbol: string): string {
  let symbol = normalized.get(brokerSymbol);
  if (symbol === undefined) {
    symbol = normalizeSymbol(brokerSymbol);
    if (normalized.size >= 1000) normalized.clear();
    normalized.set(brokerSymbol, symbol);
  }
  return symbol;
}

function closeReasonFromComment(comment: string | null): CloseReason | null {
  if (!comment) return null;
  const match = /^\[(sl|tp|so)\b/i.exec(comment.trim());
  return match ? (match[1]!.toLowerCase() as CloseReason) : null;
}

function legOf(deals: DealTable, deal: number, kind: "entry" | "exit"): TradeLegInput {
  const comment = deals.comment.get(deal) ?? null;
  return {
    dealId: deals.ticket.get(deal)!,
    orderId: deals.orderId.get(deal) ?? null,
    kind,
    direction: deals.directionOf(deal),
    executedAt: new Date(deals.timeMs[deal]!),
    serverUtcOffsetMinutes: deals.offset[deal]!,
    volume: deals.volume.get(deal)!,
    price: deals.price.get(deal)!,
    profit: deals.profit.get(deal)!,
    commission: deals.commission.get(deal)!,
    swap: deals.swap.get(deal)!,
    fee: deals.fee.get(deal)!,
    reason: closeReasonFromComment(comment),
    comment,
  };
}

/** Sum of canonical decimal texts, skipping the Big arithmetic when at most one is not zero. */
function total(values: string[]): string {
  let nonZero = 0;
  let only = "0";
  for (const value of values) {
    if (value !== "0") {
      nonZero += 1;
      only = value;
    }
  }
  if (nonZero <= 1) return only;
  return toDecimalString(sum(values));
}

export function buildTrade(positions: PositionTable, deals: DealTable, position: number, hasFee: boolean): TradeInput {
  const closed = positions.isClosed(position);
  const direction = positions.directionOf(position);
  const exits = positions.exits.get(position) ?? [];
  const entryDeal = positions.entryDeal[position]!;
  const entryDeals = [...(entryDeal >= 0 ? [entryDeal] : []), ...(positions.scaleIns.get(position) ?? [])];
  const legs: TradeLegInput[] = entryDeals.map((deal) => legOf(deals, deal, "entry"));
  const openedAt = new Date(positions.openMs[position]!);
  const closedAt = closed ? new Date(positions.closeMs[position]!) : null;
  const comment = positions.comment.get(position) ?? null;
  const price = positions.price.get(position)!;
  const volumeText = positions.volume.get(position)!;
  if (legs.length === 0) {
    // Entry deal outside the report period: the Positions row still tells when and at what price.
    legs.push({
      dealId: null,
      orderId: positions.id.get(position)!,
      kind: "entry",
      direction,
      executedAt: openedAt,
      serverUtcOffsetMinutes: positions.openOffset[position]!,
      volume: volumeText,
      price,
      profit: "0",
      commission: "0",
      swap: "0",
      fee: "0",
      reason: null,
      comment,
    });
  }
  for (const deal of exits) legs.push(legOf(deals, deal, "exit"));
  if (positions.fallback[position]) {
    const entryCommission = sum(entryDeals.map((deal) => deals.commission.get(deal)!));
    legs.push({
      dealId: null,
      orderId: null,
      kind: "exit",
      direction: direction === "buy" ? "sell" : "buy",
      executedAt: closedAt!,
      serverUtcOffsetMinutes: positions.closeOffset[position]!,
      volume: volumeText,
      price: positions.closePrice.get(position)!,
      profit: positions.profit.get(position)!,
      commission: toDecimalString(dec(positions.commission.get(position)!).minus(entryCommission)),
      swap: positions.swap.get(position)!,
      fee: "0",
      reason: null,
      comment: null,
    });
  }
  const usedDeals = [...entryDeals, ...exits];
  const fee = hasFee ? total(usedDeals.map((deal) => deals.fee.get(deal)!)) : "0";
  // Open positions print their current volume; partial closes add back to what was entered.
  const exitVolume = closed ? null : sum(exits.map((deal) => deals.volume.get(deal)!));
  const volume = closed ? volumeText : toDecimalString(dec(volumeText).plus(exitVolume!));
  const closedVolume = closed ? volumeText : toDecimalString(exitVolume!);
  const lastExit = exits[exits.length - 1];
  // Several entries or exits: their exact VWAP by the sync's rule (trades/vwap.ts), not the
  // report's printed price (that VWAP rounded to the symbol's digits), so a position has the
  // same prices and pips whether it was synced or imported. One deal's price is the printed one.
  // (Most positions have one of each: nothing to compute.)
  const entryLegCount = Math.max(entryDeals.length, 1);
  const exitLegCount = legs.length - entryLegCount;
  const averaged = (from: number, to: number) => vwap(legs.slice(from, to), vwapDigits(legs));
  const entriesCoverVolume = () => sum(legs.slice(0, entryLegCount).map((leg) => leg.volume)).eq(volume);
  const entryPrice = entryDeals.length > 1 && entriesCoverVolume() ? averaged(0, entryLegCount)! : price;
  const exitPrice = closed
    ? exitLegCount > 1
      ? averaged(entryLegCount, legs.length)
      : (positions.closePrice.get(position) ?? null)
    : exitLegCount > 0
      ? averaged(entryLegCount, legs.length)
      : null;
  const brokerSymbol = positions.brokerSymbol.get(position)!;
  const profit = positions.profit.get(position)!;
  const swap = positions.swap.get(position)!;
  return {
    positionId: positions.id.get(position)!,
    symbol: symbolOf(brokerSymbol),
    brokerSymbol,
    direction,
    status: closed ? "closed" : "open",
    openedAt,
    closedAt,
    openServerUtcOffsetMinutes: positions.openOffset[position]!,
    closeServerUtcOffsetMinutes: closed ? positions.closeOffset[position]! : null,
    volume,
    closedVolume,
    entryPrice,
    exitPrice,
    initialStopLoss: null,
    stopLoss: positions.sl.get(position) ?? null,
    takeProfit: positions.tp.get(position) ?? null,
    grossProfit: closed ? profit : total(exits.map((deal) => deals.profit.get(deal)!)),
    commission: closed ? positions.commission.get(position)! : total(usedDeals.map((deal) => deals.commission.get(deal)!)),
    swap: closed ? swap : total(exits.map((deal) => deals.swap.get(deal)!)),
    fee,
    pnlSource: "broker",
    profitCurrency: null,
    conversionRate: null,
    pips: null,
    initialRiskAmount: null,
    closeReason: closed ? closeReasonFromComment(lastExit === undefined ? null : (deals.comment.get(lastExit) ?? null)) : null,
    magic: null,
    comment: comment ?? (entryDeal >= 0 ? (deals.comment.get(entryDeal) ?? null) : null),
    raw: positions.fromOpenSection[position]
      ? {
          section: "Open Positions",
          row: positions.sectionRow[position]!,
          floatingProfit: profit,
          floatingSwap: swap,
          marketPrice: positions.marketPrice.get(position) ?? null,
        }
      : { section: "Positions", row: positions.sectionRow[position]! },
    legs,
  };
}
