// Exact money arithmetic for the analytics figures. Every amount of one data
// set is read as an integer count of 10^-decimals units, `decimals` being the
// most any amount of the set is written with. The counts are held in plain
// numbers: integers are exact in a double up to 2^53, and prepare() checks
// that the absolute amounts of the whole set add up to less than that, so
// every sum of any subset, in any order, is exact. (BigInt sums spent most
// of their time allocating at 100,000 trades; money is rounded to cents in
// practice, where the bound is 45 trillion.) A set outside the bound is
// refused with a RangeError rather than rounded.

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** Divisions (averages) keep 12 decimals, rounded half away from zero, like decimal.ts. */
export const DIVISION_DECIMALS = 12;

/** Σ|units| of a data set must stay below this for its sums to be exact. */
export const EXACT_UNITS_LIMIT = Number.MAX_SAFE_INTEGER / 2;

export function decimalsOf(text: string): number {
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

export interface MoneyScale {
  decimals: number;
}

function parts(text: string): { negative: boolean; whole: string; fraction: string } {
  const match = DECIMAL.exec(text.trim());
  if (!match || (match[2] === "" && !match[3])) throw new Error(`not a decimal amount: ${JSON.stringify(text)}`);
  return { negative: match[1] === "-", whole: match[2] || "0", fraction: match[3] ?? "" };
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Decimals of the text plainDigits read last (−1 after a refusal). */
let plainDecimals = -1;

/**
 * Fast path for the usual "-12.34" (400,000 calls for 100,000 trades): the
 * digits without the point, digit by digit into an integer, every step exact
 * while the value stays a safe integer (checked). Its decimals are left in
 * plainDecimals. Null for any other spelling or size.
 */
function plainDigits(text: string): number | null {
  plainDecimals = -1;
  const length = text.length;
  let i = text.charCodeAt(0) === 45 ? 1 : 0; // "-"
  const negative = i === 1;
  let units = 0;
  let digits = 0;
  let fractionDigits = -1;
  for (; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      units = units * 10 + (code - 48);
      digits++;
      if (fractionDigits >= 0) fractionDigits++;
    } else if (code === 46 && fractionDigits < 0 && digits > 0) {
      fractionDigits = 0;
    } else {
      return null;
    }
  }
  if (digits === 0 || fractionDigits === 0 || units > EXACT_UNITS_LIMIT) return null;
  plainDecimals = Math.max(fractionDigits, 0);
  return negative && units !== 0 ? -units : units;
}

function plainUnits(text: string, decimals: number): number | null {
  const raw = plainDigits(text);
  if (raw === null || plainDecimals > decimals || decimals > 22) return null;
  const units = raw * POWERS_OF_TEN[decimals - plainDecimals]!;
  return Math.abs(units) <= EXACT_UNITS_LIMIT ? units : null;
}

/**
 * Reads decimal text once as its digits without the point (an exact
 * integer, stored at into[index]) and returns how many decimals it had, so
 * a data set is read in one pass and scaled once its most decimals are known.
 */
export function readDecimal(text: string, into: Float64Array, index: number): number {
  const raw = plainDigits(text);
  if (raw !== null) {
    into[index] = raw;
    return plainDecimals;
  }
  const decimals = parts(text).fraction.length; // throws for a non-number
  into[index] = toUnits(text, { decimals }); // throws the precise reason
  return decimals;
}

/** Raw digits with `from` decimals → units at `to` decimals (to ≥ from), exact or refused. */
export function rescaleUnits(raw: number, from: number, to: number): number {
  if (from === to) return raw;
  const units = raw * (POWERS_OF_TEN[to - from] ?? Infinity);
  if (!(Math.abs(units) <= EXACT_UNITS_LIMIT)) throw new RangeError(`amount too large for exact analytics at ${to} decimals`);
  return units;
}

/** Decimal text → integer units at the scale, as an exact safe integer. */
export function toUnits(text: string, scale: MoneyScale): number {
  const fast = plainUnits(text, scale.decimals);
  if (fast !== null) return fast;
  const { negative, whole, fraction } = parts(text);
  if (fraction.length > scale.decimals) throw new Error(`amount ${text} has more than ${scale.decimals} decimals`);
  const units = Number(whole + fraction.padEnd(scale.decimals, "0"));
  if (!(units <= EXACT_UNITS_LIMIT)) {
    throw new RangeError(`amount ${text} at ${scale.decimals} decimals is too large for exact analytics`);
  }
  return negative ? -units : units;
}

/** Decimal text → integer units as a BigInt (any size; for the standalone helpers). */
export function toBigUnits(text: string, decimals: number): bigint {
  const { negative, whole, fraction } = parts(text);
  const units = BigInt(whole + fraction.padEnd(decimals, "0"));
  return negative ? -units : units;
}

/** Integer units → plain decimal text without trailing zeros ("1.5", "-0.01", "0"). */
export function formatUnits(units: number | bigint, decimals: number): string {
  if (typeof units === "number" && decimals <= 22) return formatSafeUnits(units, decimals);
  const negative = units < 0;
  let digits = (negative ? -units : units).toString();
  if (decimals > 0) {
    if (digits.length <= decimals) digits = digits.padStart(decimals + 1, "0");
    const point = digits.length - decimals;
    let end = digits.length;
    while (end > point && digits.charCodeAt(end - 1) === 48) end--;
    digits = end > point ? `${digits.slice(0, point)}.${digits.slice(point, end)}` : digits.slice(0, point);
  }
  return negative && digits !== "0" ? `-${digits}` : digits;
}

/**
 * The same for a safe integer, by integer arithmetic (exact below 2^53):
 * 200,000 calls for a 100,000-trade balance curve.
 */
function formatSafeUnits(units: number, decimals: number): string {
  if (units === 0) return "0";
  const negative = units < 0;
  const magnitude = negative ? -units : units;
  const unit = POWERS_OF_TEN[decimals]!;
  const whole = Math.floor(magnitude / unit);
  let fraction = magnitude - whole * unit;
  let text: string;
  if (fraction === 0) {
    text = String(whole);
  } else {
    let places = decimals;
    while (fraction % 10 === 0) {
      fraction /= 10;
      places--;
    }
    text = `${whole}.${String(fraction).padStart(places, "0")}`;
  }
  return negative ? `-${text}` : text;
}

export function formatMoney(units: number, scale: MoneyScale): string {
  return formatUnits(units, scale.decimals);
}

/** units / divisor at DIVISION_DECIMALS decimals, rounded half away from zero, as text. */
export function divideMoney(units: number, divisor: number, scale: MoneyScale): string {
  const numerator = BigInt(units) * 10n ** BigInt(DIVISION_DECIMALS);
  const denominator = BigInt(divisor) * 10n ** BigInt(scale.decimals);
  let quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const twiceRemainder = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twiceRemainder >= (denominator < 0n ? -denominator : denominator)) quotient += numerator < 0n ? -1n : 1n;
  return formatUnits(quotient, DIVISION_DECIMALS);
}

/** A money statistic (a bootstrap bound, in currency) as text at the data set's decimals, at least cents. */
export function formatEstimate(value: number, scale: MoneyScale): string {
  const text = value.toFixed(Math.min(Math.max(scale.decimals, 2), 20));
  const trimmed = text.includes(".") ? text.replace(/\.?0+$/, "") : text;
  return trimmed === "-0" ? "0" : trimmed;
}
