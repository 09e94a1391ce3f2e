// One file row that holds a whole position (open and close on one line) →
// TradeInput with an entry leg and, when closed, an exit leg. The money sits on
// the exit leg (on the entry leg while open) so the legs add up to the trade.
import { toDecimalString, type BigNumber } from "../../decimal.ts";
import { normalizeSymbol } from "../../instruments/normalize-symbol.ts";
import type { Direction, TradeInput, TradeLegInput } from "../../trades/types.ts";
import { tradeFingerprint } from "../fingerprint.ts";
import type { UtcTime } from "./dates.ts";
import { closeReasonFromComment } from "./cells.ts";

export interface RowTradeValues {
  positionId: string | null;
  brokerSymbol: string;
  direction: Direction;
  opened: UtcTime;
  closed: UtcTime | null;
  volume: BigNumber;
  entryPrice: BigNumber;
  exitPrice: BigNumber | null;
  stopLoss: BigNumber | null;
  takeProfit: BigNumber | null;
  grossProfit: BigNumber;
  commission: BigNumber;
  swap: BigNumber;
  fee: BigNumber;
  comment: string | null;
  raw: Record<string, string>;
}

const opposite = (direction: Direction): Direction => (direction === "buy" ? "sell" : "buy");

/** Zero or negative SL/TP means "none" in MetaTrader exports. */
export function positiveOrNull(value: BigNumber | null): string | null {
  return value !== null && value.gt(0) ? toDecimalString(value) : null;
}

export function buildRowTrade(values: RowTradeValues): TradeInput {
  const symbol = normalizeSymbol(values.brokerSymbol);
  const volume = toDecimalString(values.volume);
  const entryPrice = toDecimalString(values.entryPrice);
  const money = {
    profit: toDecimalString(values.grossProfit),
    commission: toDecimalString(values.commission),
    swap: toDecimalString(values.swap),
    fee: toDecimalString(values.fee),
  };
  const zeroMoney = { profit: "0", commission: "0", swap: "0", fee: "0" };
  const closed = values.closed !== null && values.exitPrice !== null;
  const entryLeg: TradeLegInput = {
    dealId: null,
    orderId: null,
    kind: "entry",
    direction: values.direction,
    executedAt: values.opened.at,
    serverUtcOffsetMinutes: values.opened.offsetMinutes,
    volume,
    price: entryPrice,
    ...(closed ? zeroMoney : money),
    reason: null,
    comment: null,
  };
  const legs: TradeLegInput[] = [entryLeg];
  if (closed) {
    legs.push({
      dealId: null,
      orderId: null,
      kind: "exit",
      direction: opposite(values.direction),
      executedAt: values.closed!.at,
      serverUtcOffsetMinutes: values.closed!.offsetMinutes,
      volume,
      price: toDecimalString(values.exitPrice!),
      ...money,
      reason: null,
      comment: values.comment,
    });
  }
  const positionId = values.positionId ?? tradeFingerprint({ symbol, direction: values.direction, openedAt: values.opened.at, volume, entryPrice });
  return {
    positionId,
    symbol,
    brokerSymbol: values.brokerSymbol,
    direction: values.direction,
    status: closed ? "closed" : "open",
    openedAt: values.opened.at,
    closedAt: closed ? values.closed!.at : null,
    openServerUtcOffsetMinutes: values.opened.offsetMinutes,
    closeServerUtcOffsetMinutes: closed ? values.closed!.offsetMinutes : null,
    volume,
    closedVolume: closed ? volume : "0",
    entryPrice,
    exitPrice: closed ? toDecimalString(values.exitPrice!) : null,
    // A file's S/L is the last one the broker knew, not necessarily the
    // planned one, so it does not become the write-once initial stop.
    initialStopLoss: null,
    stopLoss: positiveOrNull(values.stopLoss),
    takeProfit: positiveOrNull(values.takeProfit),
    grossProfit: money.profit,
    commission: money.commission,
    swap: money.swap,
    fee: money.fee,
    pnlSource: "broker",
    profitCurrency: null,
    conversionRate: null,
    pips: null,
    initialRiskAmount: null,
    closeReason: closeReasonFromComment(values.comment),
    magic: null,
    comment: values.comment,
    raw: values.raw,
    legs,
  };
}
