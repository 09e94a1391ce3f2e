// A broker-printed number straight to its canonical decimal text — exactly
// toDecimalString(parseBrokerNumber(text)) — without building a Big for the
// plain case ("1.12895", "-6.93", "0.00"), which is nearly every cell of a
// report. Anything else (thousands separators, detached or Unicode minus,
// accounting parentheses…) takes the general path.
import { parseBrokerNumber, toDecimalString } from "../decimal.ts";

/** Canonical text ("1.5", "-0.01", "0") of a plain decimal, or undefined when the text is not one. */
function plainDecimal(text: string): string | undefined {
  const length = text.length;
  let at = 0;
  const negative = text.charCodeAt(0) === 45; // -
  if (negative) at = 1;
  const intStart = at;
  while (at < length) {
    const code = text.charCodeAt(at);
    if (code < 48 || code > 57) break;
    at++;
  }
  const intEnd = at;
  if (intEnd === intStart) return undefined;
  let fracEnd = at;
  if (at < length) {
    if (text.charCodeAt(at) !== 46) return undefined; // .
    at++;
    const fracStart = at;
    while (at < length) {
      const code = text.charCodeAt(at);
      if (code < 48 || code > 57) return undefined;
      at++;
    }
    if (at === fracStart) return undefined;
    fracEnd = at;
    while (fracEnd > fracStart && text.charCodeAt(fracEnd - 1) === 48) fracEnd--;
    if (fracEnd === fracStart) fracEnd = intEnd; // all zeros after the point
  }
  let intFrom = intStart;
  while (intFrom < intEnd - 1 && text.charCodeAt(intFrom) === 48) intFrom++;
  const digits = fracEnd > intEnd ? text.slice(intFrom, fracEnd) : text.slice(intFrom, intEnd);
  if (digits === "0") return "0";
  return negative ? `-${digits}` : digits;
}

/** toDecimalString(parseBrokerNumber(text)), or null when the text is not a number. */
export function decimalText(text: string): string | null {
  const plain = plainDecimal(text);
  if (plain !== undefined) return plain;
  const value = parseBrokerNumber(text);
  return value ? toDecimalString(value) : null;
}
