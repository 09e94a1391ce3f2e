// Profit, conversion, pips and risk for a position, exact to the last digit
// (big.js). The rules are MT5's (../shared/reference/mt5.md §5):
//   Forex / CFD / index / stock modes: profit = (close − open) × contract size × lots,
//     negated for a sell, in the instrument's PROFIT currency;
//   Futures: profit = (close − open) ÷ tick size × tick value × lots, already
//     in the currency the tick value is quoted in (the account currency).
// The account-currency figure = profit × rate, where rate is account currency
// per 1 unit of profit currency, rounded to 2 decimals half-up (ties away from
// zero, as MT5 rounds deal profit). The unrounded product is kept beside it so
// every stored figure can be traced to its inputs.
//
// Note: "pips × lots × 10" is only right for a 100 000 contract, a 0.0001 pip and
// profit currency = account currency; USDJPY +10 pips on 1 lot at 150.1 is
// 10 000 JPY ≈ 66.62 USD, not 100.
import { Big, dec, ZERO, type BigNumber } from "../decimal.ts";
import type { InstrumentSpec } from "../instruments/types.ts";
import type { Direction } from "./types.ts";

type Decimal = BigNumber | string;

export type PnlSpec = Pick<
  InstrumentSpec,
  "contractSize" | "calculationMode" | "tickSize" | "tickValue" | "pipSize" | "point" | "baseCurrency" | "profitCurrency"
>;

const sideSign = (direction: Direction) => (direction === "buy" ? 1 : -1);

/** Price move in the trade's favour: positive when a buy rose or a sell fell. */
export function favourableMove(direction: Direction, openPrice: Decimal, closePrice: Decimal): BigNumber {
  return dec(closePrice).minus(openPrice).times(sideSign(direction));
}

/** Gross profit in the profit currency (futures: in the tick value's currency), unrounded. */
export function grossProfitInProfitCurrency(spec: PnlSpec, direction: Direction, lots: Decimal, openPrice: Decimal, closePrice: Decimal): BigNumber {
  const move = favourableMove(direction, openPrice, closePrice);
  if (spec.calculationMode === "futures") {
    if (!spec.tickValue) throw new Error("A futures contract needs its tick value to compute profit.");
    return move.div(spec.tickSize).times(spec.tickValue).times(lots);
  }
  return move.times(spec.contractSize).times(lots);
}

/** The currency grossProfitInProfitCurrency() answers in. */
export function profitCurrencyOf(spec: PnlSpec, accountCurrency: string): string {
  return spec.calculationMode === "futures" ? accountCurrency : spec.profitCurrency;
}

export type ConversionBasis = "same-currency" | "inverse-of-price" | "stated";

export interface ImpliedRate {
  rate: BigNumber;
  basis: Exclude<ConversionBasis, "stated">;
}

/**
 * The rate the trade itself implies, when it does:
 *  - profit currency = account currency → 1 (EURUSD on a USD account);
 *  - account currency = the pair's base → 1 ÷ price (USDCHF on a USD account:
 *    1 CHF = 1/0.95758 USD at the close), the price being the close for
 *    profit and the stop for risk.
 * Otherwise null: the user states the rate (or a market rate is looked up).
 */
export function impliedConversionRate(spec: PnlSpec, accountCurrency: string, atPrice: Decimal | null): ImpliedRate | null {
  const profitCurrency = profitCurrencyOf(spec, accountCurrency);
  if (profitCurrency === accountCurrency) return { rate: new Big(1), basis: "same-currency" };
  if (spec.baseCurrency === accountCurrency && atPrice !== null && dec(atPrice).gt(0)) {
    return { rate: new Big(1).div(atPrice), basis: "inverse-of-price" };
  }
  return null;
}

/** Account money to the cent: 2 decimals, half-up (ties away from zero). */
export function roundMoney(amount: BigNumber): BigNumber {
  return amount.round(2, Big.roundHalfUp);
}

export interface AccountMoney {
  /** Rounded to 2 decimals: what is stored and shown. */
  amount: BigNumber;
  /** profit × rate before rounding, for tracing. */
  unrounded: BigNumber;
}

export function toAccountCurrency(profit: BigNumber, rate: Decimal): AccountMoney {
  const unrounded = profit.times(rate);
  return { amount: roundMoney(unrounded), unrounded };
}

export interface ClosedTradePnl {
  profitCurrency: string;
  /** In the profit currency, unrounded (exact: a product of decimals). */
  grossInProfitCurrency: BigNumber;
  rate: BigNumber;
  basis: ConversionBasis;
  gross: AccountMoney;
}

/**
 * Gross P&L of a closed trade in the account currency. A `statedRate` (the
 * user's, shown to them and editable) wins; without one the rate the trade
 * implies is used; null when neither exists.
 */
export function closedTradePnl(
  spec: PnlSpec,
  accountCurrency: string,
  trade: { direction: Direction; lots: Decimal; openPrice: Decimal; closePrice: Decimal },
  statedRate: Decimal | null,
  { preferImplied = false }: { preferImplied?: boolean } = {},
): ClosedTradePnl | null {
  const grossInProfitCurrency = grossProfitInProfitCurrency(spec, trade.direction, trade.lots, trade.openPrice, trade.closePrice);
  const implied = statedRate === null || preferImplied ? impliedConversionRate(spec, accountCurrency, trade.closePrice) : null;
  const rate = implied?.rate ?? (statedRate !== null ? dec(statedRate) : null);
  if (!rate) return null;
  // 1 ÷ price is applied as a division so no digit of the rate is lost.
  const unrounded = implied?.basis === "inverse-of-price" ? grossInProfitCurrency.div(trade.closePrice) : grossInProfitCurrency.times(rate);
  return {
    profitCurrency: profitCurrencyOf(spec, accountCurrency),
    grossInProfitCurrency,
    rate,
    basis: implied?.basis ?? "stated",
    gross: { amount: roundMoney(unrounded), unrounded },
  };
}

/** Pips gained (negative when lost), e.g. 0.97898 → 0.95758 on a buy = −214. */
export function pipsGained(spec: Pick<PnlSpec, "pipSize">, direction: Direction, openPrice: Decimal, closePrice: Decimal): BigNumber {
  return favourableMove(direction, openPrice, closePrice).div(spec.pipSize);
}

/** Points (MT5's smallest quote step) gained. */
export function pointsGained(spec: Pick<PnlSpec, "point">, direction: Direction, openPrice: Decimal, closePrice: Decimal): BigNumber {
  return favourableMove(direction, openPrice, closePrice).div(spec.point);
}

/** True when the stop is on the losing side of the entry for the direction. */
export function stopIsOnRiskSide(direction: Direction, entry: Decimal, stop: Decimal): boolean {
  return direction === "buy" ? dec(stop).lt(entry) : dec(stop).gt(entry);
}

export function targetIsOnProfitSide(direction: Direction, entry: Decimal, target: Decimal): boolean {
  return direction === "buy" ? dec(target).gt(entry) : dec(target).lt(entry);
}

/**
 * Planned reward:risk from the take profit and the INITIAL stop (2 decimals).
 * Null when either is missing or on the wrong side of the entry.
 */
export function plannedR(direction: Direction, entry: Decimal, initialStop: Decimal | null, takeProfit: Decimal | null): BigNumber | null {
  if (initialStop === null || takeProfit === null) return null;
  if (!stopIsOnRiskSide(direction, entry, initialStop) || !targetIsOnProfitSide(direction, entry, takeProfit)) return null;
  return dec(takeProfit).minus(entry).abs().div(dec(entry).minus(initialStop).abs()).round(2, Big.roundHalfUp);
}

/**
 * Money at risk from the initial stop, in the account currency (positive,
 * 2 decimals): what the trade would have lost had the stop filled. The rate
 * is the one the stop price implies (1 ÷ stop when the account currency is
 * the base), else the stated rate; null when there is none.
 */
export function initialRiskAmount(
  spec: PnlSpec,
  accountCurrency: string,
  trade: { direction: Direction; lots: Decimal; openPrice: Decimal; initialStop: Decimal | null },
  statedRate: Decimal | null,
): BigNumber | null {
  if (trade.initialStop === null || !stopIsOnRiskSide(trade.direction, trade.openPrice, trade.initialStop)) return null;
  const atStop = closedTradePnl(
    spec,
    accountCurrency,
    { direction: trade.direction, lots: trade.lots, openPrice: trade.openPrice, closePrice: trade.initialStop },
    statedRate,
    { preferImplied: true },
  );
  if (!atStop) return null;
  const risk = atStop.gross.amount.abs();
  return risk.gt(ZERO) ? risk : null;
}

/**
 * A conversion rate as a person types it: "1.08" or "1/141.5" (so a JPY→USD
 * rate can be entered from the USDJPY quote without losing digits). Null when
 * it is not a positive number.
 */
export function parseConversionRate(input: string): BigNumber | null {
  const text = input.trim().replace(/\s+/g, "").replace(",", ".");
  const fraction = /^(\d+(?:\.\d+)?|\.\d+)\/(\d+(?:\.\d+)?|\.\d+)$/.exec(text);
  if (fraction) {
    const denominator = dec(fraction[2]!);
    return denominator.gt(0) && dec(fraction[1]!).gt(0) ? dec(fraction[1]!).div(denominator) : null;
  }
  if (!/^(\d+(?:\.\d+)?|\.\d+)$/.test(text)) return null;
  const rate = dec(text);
  return rate.gt(0) ? rate : null;
}
