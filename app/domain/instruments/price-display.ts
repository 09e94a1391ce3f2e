// Prices as the broker prints them: with the symbol's digits (1.07120, not
// 1.0712), and an average of several fills (a VWAP, 1.29634333) with one digit
// more. The exact stored value is never changed; the caller shows it on hover
// when the displayed text differs.
import { dec, decimalPlaces } from "../decimal.ts";
import { resolveInstrument } from "./catalogue.ts";

export interface DisplayedPrice {
  text: string;
  /** The stored value, when the text shows it rounded. */
  exact: string | null;
}

/** The symbol's digits from the instrument catalogue; null for a symbol it does not know. */
export function symbolDigits(symbol: string): number | null {
  return resolveInstrument(symbol)?.digits ?? null;
}

export function displayPrice(price: string | null | undefined, digits: number | null): DisplayedPrice {
  if (price === null || price === undefined || price === "") return { text: "—", exact: null };
  if (digits === null) return { text: price, exact: null };
  // More decimals than the symbol prints: an average of fills — one digit more, rounded half up.
  const shown = decimalPlaces(price) > digits ? digits + 1 : digits;
  const text = dec(price).toFixed(shown);
  return { text, exact: dec(text).eq(dec(price)) ? null : price };
}

/**
 * A price for an export: the symbol's digits as the broker prints them
 * (1.0712 → 1.07120), never rounded — a file is read back by other tools,
 * so an average of fills keeps every stored digit (1.29634333).
 */
export function exportPrice(price: string | null | undefined, digits: number | null): string | null {
  if (price === null || price === undefined || price === "") return null;
  if (digits === null || decimalPlaces(price) >= digits) return price;
  return dec(price).toFixed(digits);
}
