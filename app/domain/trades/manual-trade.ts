// A trade typed in by hand becomes the same TradeInput every other source
// produces: one entry leg and, once closed, one exit leg. The P&L is the
// broker's figure when the user copied it in (pnlSource "user": it wins),
// otherwise computed (pnlSource "computed") with the profit currency and the
// rate recorded so the figure can be traced. The same figures feed the form's
// live preview, so what the user sees is what gets stored.
import { dec, toDecimalString, type BigNumber } from "../decimal.ts";
import type { InstrumentSpec } from "../instruments/types.ts";
import {
  closedTradePnl,
  grossProfitInProfitCurrency,
  impliedConversionRate,
  initialRiskAmount,
  pipsGained,
  plannedR,
  pointsGained,
  profitCurrencyOf,
  roundMoney,
  type ConversionBasis,
} from "./pnl.ts";
import type { Direction, TradeInput, TradeLegInput } from "./types.ts";

/** Validated manual-entry values (app/schemas/trade-form.ts produces them), times in UTC. */
export interface ManualTradeValues {
  accountId: string;
  accountCurrency: string;
  /** Canonical symbol ("EURUSD"); brokerSymbol is what was typed ("EURUSD.Z"). */
  symbol: string;
  brokerSymbol: string;
  direction: Direction;
  openedAt: Date;
  closedAt: Date | null;
  entryPrice: string;
  exitPrice: string | null;
  lots: string;
  stopLoss: string | null;
  takeProfit: string | null;
  commission: string;
  swap: string;
  fee: string;
  /** The broker's Profit figure (before commission and swap); takes precedence over the computed one. */
  brokerProfit: string | null;
  /** Account currency per 1 unit of profit currency, as typed ("1/141.5" → 0.007067…); null when not given. */
  conversionRate: string | null;
  /** Catalogue (+ overrides + typed contract size / profit currency); null when unknown. */
  spec: InstrumentSpec | null;
  comment: string | null;
}

export interface TradeFigureInputs {
  spec: InstrumentSpec | null;
  accountCurrency: string;
  direction: Direction;
  lots: string;
  entryPrice: string;
  exitPrice: string | null;
  /** The stop at entry (planned R, initial risk). */
  initialStopLoss: string | null;
  takeProfit: string | null;
  brokerProfit: string | null;
  /** Account currency per 1 unit of profit currency, when the user stated one. */
  conversionRate: string | null;
  commission: string;
  swap: string;
  fee: string;
}

export interface TradeFigures {
  profitCurrency: string | null;
  /** Computed gross in the profit currency, unrounded; null for open trades or unknown symbols. */
  grossInProfitCurrency: string | null;
  /** Rate used (or that would be used) to reach the account currency. */
  conversionRate: string | null;
  conversionBasis: ConversionBasis | null;
  /** Account-currency gross: the broker's figure when given, else computed (2 decimals). */
  grossProfit: string | null;
  /** grossProfit before rounding, when computed. */
  grossProfitUnrounded: string | null;
  pnlSource: "user" | "computed" | null;
  netProfit: string | null;
  pips: string | null;
  points: string | null;
  plannedR: string | null;
  initialRiskAmount: string | null;
}

const text = (value: BigNumber | null | undefined) => (value ? toDecimalString(value) : null);

export function tradeFigures(input: TradeFigureInputs): TradeFigures {
  const { spec, accountCurrency, direction, lots, entryPrice, exitPrice } = input;
  const computed =
    spec && exitPrice
      ? closedTradePnl(spec, accountCurrency, { direction, lots, openPrice: entryPrice, closePrice: exitPrice }, input.conversionRate)
      : null;
  const implied = spec && !input.conversionRate ? impliedConversionRate(spec, accountCurrency, exitPrice) : null;
  const grossProfit = input.brokerProfit !== null ? dec(input.brokerProfit) : (computed?.gross.amount ?? null);
  // Account money is stored to the cent ("85.00"), the broker's own figure as typed.
  const grossText = input.brokerProfit !== null ? input.brokerProfit : computed ? computed.gross.amount.toFixed(2) : null;
  const money = [input.commission, input.swap, input.fee].map((amount) => dec(amount || "0"));
  const risk = spec
    ? initialRiskAmount(spec, accountCurrency, { direction, lots, openPrice: entryPrice, initialStop: input.initialStopLoss }, input.conversionRate)
    : null;
  return {
    profitCurrency: spec ? profitCurrencyOf(spec, accountCurrency) : null,
    grossInProfitCurrency: spec && exitPrice ? toDecimalString(grossProfitInProfitCurrency(spec, direction, lots, entryPrice, exitPrice)) : null,
    conversionRate: text(computed?.rate ?? implied?.rate ?? (input.conversionRate ? dec(input.conversionRate) : null)),
    conversionBasis: computed?.basis ?? implied?.basis ?? (input.conversionRate ? "stated" : null),
    grossProfit: grossText,
    grossProfitUnrounded: input.brokerProfit === null ? text(computed?.gross.unrounded) : null,
    pnlSource: input.brokerProfit !== null ? "user" : computed ? "computed" : null,
    netProfit: grossProfit ? roundMoney(money.reduce((total, amount) => total.plus(amount), grossProfit)).toFixed(2) : null,
    pips: spec && exitPrice ? toDecimalString(pipsGained(spec, direction, entryPrice, exitPrice)) : null,
    points: spec && exitPrice ? toDecimalString(pointsGained(spec, direction, entryPrice, exitPrice)) : null,
    plannedR: text(plannedR(direction, entryPrice, input.initialStopLoss, input.takeProfit)),
    initialRiskAmount: risk ? risk.toFixed(2) : null,
  };
}

/**
 * What the rate field is prefilled with when the trade implies the rate: "1"
 * for the account currency, "1/<close>" when the account currency is the
 * pair's base (exact, and readable as "1 ÷ USDCHF").
 */
export function suggestedConversionRate(spec: InstrumentSpec | null, accountCurrency: string, exitPrice: string | null): string | null {
  if (!spec) return null;
  const implied = impliedConversionRate(spec, accountCurrency, exitPrice);
  if (!implied) return null;
  return implied.basis === "same-currency" ? "1" : `1/${exitPrice}`;
}

/**
 * A rate from market quotes (latest cached closes, symbol → price): "1/151.25"
 * for JPY → USD from USDJPY, "1.0842" for EUR → USD from EURUSD. Null when no
 * quote covers the pair.
 */
export function rateFromQuotes(profitCurrency: string, accountCurrency: string, quotes: Readonly<Record<string, string>>): string | null {
  if (profitCurrency === accountCurrency) return "1";
  const direct = quotes[profitCurrency + accountCurrency];
  if (direct && dec(direct).gt(0)) return direct;
  const inverse = quotes[accountCurrency + profitCurrency];
  if (inverse && dec(inverse).gt(0)) return `1/${inverse}`;
  return null;
}

/** The rate field's prefill: implied by the trade, else from quotes, else null (the user types it). */
export function prefilledConversionRate(
  spec: InstrumentSpec | null,
  accountCurrency: string,
  exitPrice: string | null,
  quotes: Readonly<Record<string, string>>,
): string | null {
  if (!spec || !accountCurrency) return null;
  return (
    suggestedConversionRate(spec, accountCurrency, exitPrice) ?? rateFromQuotes(profitCurrencyOf(spec, accountCurrency), accountCurrency, quotes)
  );
}

export interface ManualTradeOptions {
  /** "manual:<uuid>"; the caller supplies the uuid so this stays pure. */
  positionId: string;
  /** Kept from the stored row on edit (write-once); else the typed stop. */
  initialStopLoss?: string | null;
}

export function manualPositionId(uuid: string): string {
  return `manual:${uuid}`;
}

export function buildManualTrade(values: ManualTradeValues, options: ManualTradeOptions): TradeInput {
  const initialStopLoss = options.initialStopLoss ?? values.stopLoss;
  const figures = tradeFigures({
    spec: values.spec,
    accountCurrency: values.accountCurrency,
    direction: values.direction,
    lots: values.lots,
    entryPrice: values.entryPrice,
    exitPrice: values.exitPrice,
    initialStopLoss,
    takeProfit: values.takeProfit,
    brokerProfit: values.brokerProfit,
    conversionRate: values.conversionRate,
    commission: values.commission,
    swap: values.swap,
    fee: values.fee,
  });
  const closed = values.closedAt !== null && values.exitPrice !== null;
  const computed = figures.pnlSource === "computed";

  const entry: TradeLegInput = {
    dealId: null,
    orderId: null,
    kind: "entry",
    direction: values.direction,
    executedAt: values.openedAt,
    serverUtcOffsetMinutes: null,
    volume: values.lots,
    price: values.entryPrice,
    profit: "0",
    // Manual entry has one commission figure for the whole trade; it sits on the entry leg.
    commission: values.commission,
    swap: "0",
    fee: values.fee,
    reason: null,
    comment: null,
  };
  const legs: TradeLegInput[] = [entry];
  if (closed) {
    legs.push({
      dealId: null,
      orderId: null,
      kind: "exit",
      direction: values.direction === "buy" ? "sell" : "buy",
      executedAt: values.closedAt!,
      serverUtcOffsetMinutes: null,
      volume: values.lots,
      price: values.exitPrice!,
      profit: figures.grossProfit ?? "0",
      commission: "0",
      // Swap accrues over the position and MT5 books it on the closing deal.
      swap: values.swap,
      fee: "0",
      reason: null,
      comment: null,
    });
  } else {
    entry.swap = values.swap;
  }

  return {
    positionId: options.positionId,
    symbol: values.symbol,
    brokerSymbol: values.brokerSymbol && values.brokerSymbol !== values.symbol ? values.brokerSymbol : null,
    direction: values.direction,
    status: closed ? "closed" : "open",
    openedAt: values.openedAt,
    closedAt: closed ? values.closedAt : null,
    openServerUtcOffsetMinutes: null,
    closeServerUtcOffsetMinutes: null,
    volume: values.lots,
    closedVolume: closed ? values.lots : "0",
    entryPrice: values.entryPrice,
    exitPrice: closed ? values.exitPrice : null,
    initialStopLoss,
    stopLoss: values.stopLoss,
    takeProfit: values.takeProfit,
    grossProfit: closed ? (figures.grossProfit ?? "0") : "0",
    commission: values.commission,
    swap: values.swap,
    fee: values.fee,
    pnlSource: figures.pnlSource ?? "computed",
    profitCurrency: computed ? figures.profitCurrency : values.spec ? figures.profitCurrency : null,
    conversionRate: computed ? figures.conversionRate : values.conversionRate,
    pips: figures.pips,
    initialRiskAmount: figures.initialRiskAmount,
    closeReason: null,
    magic: null,
    comment: values.comment,
    raw:
      computed && figures.grossProfitUnrounded
        ? {
            computed: {
              grossInProfitCurrency: figures.grossInProfitCurrency,
              unrounded: figures.grossProfitUnrounded,
              basis: figures.conversionBasis,
            },
          }
        : null,
    legs,
  };
}
