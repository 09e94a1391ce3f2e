// Bridge records (broker server-clock epochs, decimal strings) → the domain's
// inputs: deals for pairing (app/domain/trades/pair-deals.ts, the same code
// the imports use), orders and positions for the stops (attach-stops.ts),
// open-position rows for the live dashboard, the account's figures. Pure: the
// zone is the account's server_time_zone.
import { normalizeSymbol } from "~/domain/instruments/normalize-symbol.ts";
import { serverEpochMsToUtc } from "~/domain/server-time.ts";
import type { OrderStopsInput, PositionStops } from "~/domain/trades/attach-stops.ts";
import type { DealInput, MarginMode } from "~/domain/trades/types.ts";
import type { BridgeAccountInfo, BridgeDeal, BridgeOrder, BridgePosition } from "../mt5/bridge-types.ts";

/** MT5 reports "no stop" as 0. */
function priceOrNull(text: string): string | null {
  return text === "" || Number(text) === 0 ? null : text;
}

export function dealInputFromBridge(deal: BridgeDeal, zone: string): DealInput {
  const time = serverEpochMsToUtc(deal.time_msc || deal.time * 1000, zone);
  return {
    ticket: String(deal.ticket),
    orderId: deal.order ? String(deal.order) : null,
    executedAt: time.at,
    serverUtcOffsetMinutes: time.offsetMinutes,
    type: deal.type_name ?? `type_${deal.type}`,
    entry: deal.entry_name,
    positionId: deal.position_id ? String(deal.position_id) : null,
    brokerSymbol: deal.symbol || null,
    volume: deal.volume,
    price: deal.price,
    commission: deal.commission,
    fee: deal.fee,
    swap: deal.swap,
    profit: deal.profit,
    reason: deal.reason_name,
    comment: deal.comment || null,
    magic: deal.magic ? String(deal.magic) : null,
  };
}

/** A row of public.open_positions (the jobs replace an account's rows on every sync). */
export interface OpenPositionRow {
  positionId: string;
  symbol: string;
  brokerSymbol: string;
  direction: "buy" | "sell";
  openedAt: Date;
  volume: string;
  entryPrice: string;
  currentPrice: string | null;
  stopLoss: string | null;
  takeProfit: string | null;
  swap: string;
  floatingProfit: string;
}

export function openPositionFromBridge(position: BridgePosition, zone: string): OpenPositionRow {
  return {
    // identifier, not ticket: the ticket changes on a netting reversal.
    positionId: String(position.identifier),
    symbol: normalizeSymbol(position.symbol),
    brokerSymbol: position.symbol,
    direction: position.type_name === "sell" ? "sell" : "buy",
    openedAt: serverEpochMsToUtc(position.time_msc || position.time * 1000, zone).at,
    volume: position.volume,
    entryPrice: position.price_open,
    currentPrice: priceOrNull(position.price_current),
    stopLoss: priceOrNull(position.sl),
    takeProfit: priceOrNull(position.tp),
    swap: position.swap,
    floatingProfit: position.profit,
  };
}

export interface AccountFigures {
  balance: string;
  equity: string;
  margin: string;
  freeMargin: string;
  leverage: number | null;
  currency: string;
  marginMode: MarginMode;
}

export function marginModeOf(name: BridgeAccountInfo["margin_mode_name"]): MarginMode {
  // Exchange accounts net like retail netting ones (shared/reference/mt5.md §3).
  return name === "retail_hedging" ? "hedging" : "netting";
}

export function accountFiguresFromBridge(info: BridgeAccountInfo): AccountFigures {
  return {
    balance: info.balance,
    equity: info.equity,
    margin: info.margin,
    freeMargin: info.margin_free,
    leverage: info.leverage > 0 ? info.leverage : null,
    currency: info.currency,
    marginMode: marginModeOf(info.margin_mode_name),
  };
}

/** An order as the planned stops need it (app/domain/trades/attach-stops.ts). */
export function orderStopsFromBridge(order: BridgeOrder): OrderStopsInput {
  return {
    ticket: String(order.ticket),
    positionId: order.position_id ? String(order.position_id) : null,
    type: order.type_name,
    // Only compared with each other: the broker clock needs no conversion.
    placedAtMs: order.time_setup_msc,
    stopLoss: priceOrNull(order.sl),
    takeProfit: priceOrNull(order.tp),
  };
}

/** The current stops of each live position, by position id. */
export function currentStopsByPosition(positions: readonly BridgePosition[]): Map<string, PositionStops> {
  // Any text that is not a non-zero number is "no stop" here.
  return new Map(
    positions.map((position) => [
      String(position.identifier),
      { stopLoss: Number(position.sl) ? position.sl : null, takeProfit: Number(position.tp) ? position.tp : null },
    ]),
  );
}
