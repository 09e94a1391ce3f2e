// Numbers a spreadsheet re-saved as binary doubles: Excel writes a cell it
// re-saves with 17 significant digits (0.88684 → "0.88683999999999996"). MT5
// never prints that many (prices have the symbol's digits, money has cents),
// so a value of 15 or more significant digits is taken as binary-double noise
// and read back to what the broker printed: the shortest decimal that is the
// same double (which is the typed text whenever it had ≤ 15 significant
// digits), then, if still longer, the symbol's digits for a price or cents for
// money. Anything shorter is read exactly as printed, never rounded.
import { dec, decimalPlaces, toDecimalString } from "../../decimal.ts";

/** At least this many significant digits: evidently a binary double, not a printed figure. */
export const DOUBLE_NOISE_DIGITS = 15;

/** Significant digits of a canonical decimal text ("-0.0012" → 2). */
function significantDigits(text: string): number {
  const digits = text.replace(/^-/, "").replace(".", "").replace(/^0+/, "");
  return digits.length;
}

export function isDoubleNoise(canonical: string): boolean {
  return significantDigits(canonical) >= DOUBLE_NOISE_DIGITS;
}

/**
 * `canonical` read back to the figure the broker printed when it is
 * binary-double noise; unchanged otherwise. `digits`: the most decimals the
 * figure can have (the symbol's digits, 2 for money), null when unknown.
 */
export function withoutDoubleNoise(canonical: string, digits: number | null): string {
  if (!isDoubleNoise(canonical)) return canonical;
  const shortest = toDecimalString(dec(String(Number(canonical))));
  if (digits === null || decimalPlaces(shortest) <= digits) return shortest;
  return toDecimalString(dec(shortest).round(digits, 1));
}
