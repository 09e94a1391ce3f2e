// Exact decimal arithmetic for money, prices and volumes (big.js, pure JS).
// Stored amounts never pass through binary floats.
import Big from "big.js";

export { Big };
export type { Big as BigNumber } from "big.js";

// Division (VWAP, currency conversion) keeps 12 decimals; display rounds later.
Big.DP = 12;
Big.RM = Big.roundHalfUp;

export const ZERO = new Big(0);

export function dec(value: Big | string | number): Big {
  return value instanceof Big ? value : new Big(value);
}

/** Plain decimal text without exponent or trailing zeros ("1.5", "-0.01", "0"). */
export function toDecimalString(value: Big): string {
  const text = value.toFixed();
  if (!text.includes(".")) return text === "-0" ? "0" : text;
  const trimmed = text.replace(/\.?0+$/, "");
  return trimmed === "-0" ? "0" : trimmed;
}

/** Decimals a plain decimal text is written with ("1.0831" → 4, "150" → 0). */
export function decimalPlaces(text: string): number {
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

export function sum(values: Iterable<Big | string>): Big {
  let total = ZERO;
  for (const value of values) total = total.plus(value);
  return total;
}

/**
 * Reads a number as brokers print it: "1 434.86" (space or NBSP thousands),
 * "- 2.50" (detached minus), "1,234.56", "−3" (U+2212), "(12.50)" (accounting
 * negative), "12.5%" is refused. Returns null for anything that is not a
 * number so callers can report the cell instead of guessing.
 */
export function parseBrokerNumber(input: string, decimalSeparator: "." | "," = "."): Big | null {
  let text = input.replace(/[\u00a0\u202f\u2009\s]/g, "").replace(/\u2212/g, "-");
  if (text === "") return null;
  let negative = false;
  if (text.startsWith("(") && text.endsWith(")")) {
    negative = true;
    text = text.slice(1, -1);
  }
  if (text.startsWith("-")) {
    negative = !negative;
    text = text.slice(1);
  } else if (text.startsWith("+")) {
    text = text.slice(1);
  }
  if (decimalSeparator === ",") text = text.replace(/\./g, "").replace(",", ".");
  else text = text.replace(/,/g, "");
  if (!/^(\d+\.?\d*|\.\d+)$/.test(text)) return null;
  const value = new Big(text);
  return negative ? value.neg() : value;
}
