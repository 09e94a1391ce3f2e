// R-multiples from the stop loss at entry (initial_stop_loss), which never
// changes once set, so a trailed or moved stop cannot flatter the figures.
//  - Planned R: reward ÷ risk in price, from the take profit and the initial
//    stop, measured in the trade's direction.
//  - Realised R: net P&L ÷ initial_risk_amount when the money at risk is known
//    (costs included, the honest figure); otherwise the price move to the exit
//    ÷ the initial stop distance (costs left out), and the result says which.
// Exact decimals throughout (big.js); figures are rounded to 2 places for display.
import { dec, toDecimalString, type BigNumber } from "~/domain/decimal.ts";
import type { Direction } from "./types.ts";

export interface RInputs {
  direction: Direction;
  entryPrice: string;
  exitPrice: string | null;
  initialStopLoss: string | null;
  takeProfit: string | null;
  netProfit: string;
  initialRiskAmount: string | null;
  closed: boolean;
}

export type PlannedR =
  { value: string; reward: string; risk: string } | { value: null; reason: "no-stop" | "no-target" | "stop-on-wrong-side" | "target-on-wrong-side" };

export type RealisedR =
  { value: string; method: "risk-amount" | "price-distance" } | { value: null; reason: "open" | "no-risk" | "stop-on-wrong-side" };

const R_PLACES = 2;

/** Price distance from entry to `price`, positive when the move favours the trade. */
function favourableMove(direction: Direction, entry: BigNumber, price: BigNumber): BigNumber {
  return direction === "buy" ? price.minus(entry) : entry.minus(price);
}

function rounded(value: BigNumber): string {
  return toDecimalString(value.round(R_PLACES));
}

export function plannedR(input: RInputs): PlannedR {
  if (!input.initialStopLoss) return { value: null, reason: "no-stop" };
  if (!input.takeProfit) return { value: null, reason: "no-target" };
  const entry = dec(input.entryPrice);
  const risk = favourableMove(input.direction, entry, dec(input.initialStopLoss)).neg();
  if (risk.lte(0)) return { value: null, reason: "stop-on-wrong-side" };
  const reward = favourableMove(input.direction, entry, dec(input.takeProfit));
  if (reward.lte(0)) return { value: null, reason: "target-on-wrong-side" };
  return { value: rounded(reward.div(risk)), reward: toDecimalString(reward), risk: toDecimalString(risk) };
}

/**
 * The money at risk at entry when it was not recorded (synced and imported
 * trades): the initial stop's distance priced at the trade's own money per
 * price unit, gross profit ÷ the favourable move to the exit — the "same rate
 * as the trade's P&L" of metrics.md, with volume, contract size and currency
 * conversion all inside it. Null when the exit equals the entry (no rate to
 * read), the stop is on the wrong side, or anything is missing.
 */
export function impliedRiskAmount(input: {
  direction: Direction;
  entryPrice: string;
  exitPrice: string | null;
  initialStopLoss: string | null;
  grossProfit: string;
}): string | null {
  if (!input.initialStopLoss || !input.exitPrice) return null;
  // Binary floats are fine here: the result is a derived divisor for R (shown to 2 places), never a
  // stored amount, and analytics calls this for every trade of a period (100,000 at a time).
  const entry = Number(input.entryPrice);
  const sign = input.direction === "buy" ? 1 : -1;
  const risk = sign * (entry - Number(input.initialStopLoss));
  const move = sign * (Number(input.exitPrice) - entry);
  const moneyPerPrice = Number(input.grossProfit) / move;
  if (!(risk > 0) || !Number.isFinite(moneyPerPrice) || !(moneyPerPrice > 0)) return null;
  // toFixed(8) of a finite positive number is plain decimal text; trailing zeros go as toDecimalString would drop them.
  return (risk * moneyPerPrice).toFixed(8).replace(/\.?0+$/, "");
}

export function realisedR(input: RInputs & { grossProfit?: string }): RealisedR {
  if (!input.closed || !input.exitPrice) return { value: null, reason: "open" };
  const riskAmount =
    input.initialRiskAmount && dec(input.initialRiskAmount).gt(0)
      ? input.initialRiskAmount
      : input.grossProfit !== undefined
        ? impliedRiskAmount({ ...input, grossProfit: input.grossProfit })
        : null;
  if (riskAmount) return { value: rounded(dec(input.netProfit).div(riskAmount)), method: "risk-amount" };
  if (!input.initialStopLoss) return { value: null, reason: "no-risk" };
  const entry = dec(input.entryPrice);
  const risk = favourableMove(input.direction, entry, dec(input.initialStopLoss)).neg();
  if (risk.lte(0)) return { value: null, reason: "stop-on-wrong-side" };
  return { value: rounded(favourableMove(input.direction, entry, dec(input.exitPrice)).div(risk)), method: "price-distance" };
}
