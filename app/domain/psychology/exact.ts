// Exact decimal comparisons and sums for the signals, on BigInt units: run
// for every trade of a 100,000-trade history, where big.js objects cost
// about a second. Inputs are plain decimal text as PostgreSQL prints numeric
// ("-240.50", "1.6"); anything else is refused rather than misread.

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

function parts(text: string): { negative: boolean; digits: string; decimals: number } {
  if (!PLAIN_DECIMAL.test(text)) throw new Error(`not a plain decimal: ${JSON.stringify(text)}`);
  const negative = text.startsWith("-");
  const body = negative ? text.slice(1) : text;
  const dot = body.indexOf(".");
  return dot < 0
    ? { negative, digits: body, decimals: 0 }
    : { negative, digits: body.slice(0, dot) + body.slice(dot + 1), decimals: body.length - dot - 1 };
}

export function decimalsOf(text: string): number {
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** The amount in units of 10^-scale (scale ≥ its own decimals). */
export function unitsAt(text: string, scale: number): bigint {
  const { negative, digits, decimals } = parts(text);
  if (decimals > scale) throw new Error(`${text} has more than ${scale} decimals`);
  const units = BigInt(digits + "0".repeat(scale - decimals));
  return negative ? -units : units;
}

/** Units of 10^-scale back to plain decimal text without trailing zeros ("-100.1", "0"). */
export function unitsToText(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, "");
  const text = fraction ? `${whole}.${fraction}` : whole;
  return negative && text !== "0" ? `-${text}` : text;
}

/** net < 0, read from the text ("-0.00" is not negative). */
export function isNegative(text: string): boolean {
  return text.startsWith("-") && /[1-9]/.test(text);
}

/**
 * Units of 10^-scale as a double when that is exact: at most 8 decimals and
 * 15 characters, so the units stay below 10^15 and the nearest double to the
 * text, scaled, is within 0.1 of the integer the rounding picks.
 */
export function smallUnits(text: string, scale: number): number | null {
  return scale <= 8 && text.length <= 15 && PLAIN_DECIMAL.test(text) ? Math.round(Number(text) * 10 ** scale) : null;
}

/** a ≥ b × ratio, exactly. */
export function atLeastTimes(a: string, b: string, ratio: string): boolean {
  const scale = Math.max(decimalsOf(a), decimalsOf(b));
  const ratioScale = decimalsOf(ratio);
  const [smallA, smallB, smallRatio] = [smallUnits(a, scale), smallUnits(b, scale), smallUnits(ratio, ratioScale)];
  // Products below 2^53 are exact in doubles (the usual lots: "0.15", "1.5").
  if (smallA !== null && smallB !== null && smallRatio !== null && smallB * smallRatio < 2 ** 53 && smallA * 10 ** ratioScale < 2 ** 53) {
    return smallA * 10 ** ratioScale >= smallB * smallRatio;
  }
  return unitsAt(a, scale) * 10n ** BigInt(ratioScale) >= unitsAt(b, scale) * unitsAt(ratio, ratioScale);
}

/** a ÷ b rounded down to 2 decimals, as text ("1.60"); b > 0. */
export function ratioHundredths(a: string, b: string): string {
  const scale = Math.max(decimalsOf(a), decimalsOf(b));
  const hundredths = (unitsAt(a, scale) * 100n) / unitsAt(b, scale);
  const text = hundredths.toString().padStart(3, "0");
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

/**
 * Units of 10^-scale of every amount, as doubles when every sum of them is
 * exact (each amount small, and the absolute amounts together below 2^53),
 * else as BigInt.
 */
export function unitsOfAll(texts: readonly string[], scale: number): number[] | bigint[] {
  const small: number[] = [];
  let absolute = 0;
  for (const text of texts) {
    const units = smallUnits(text, scale);
    if (units === null) return texts.map((t) => unitsAt(t, scale));
    absolute += Math.abs(units);
    small.push(units);
  }
  return absolute < 2 ** 53 ? small : texts.map((t) => unitsAt(t, scale));
}
