// The volume-weighted average price of a trade's entries or exits, by one rule
// wherever a trade is built from deals (the MT5 sync's pairing and the MT5
// report importer), so the same position gets the same prices — and pips —
// whichever way it arrived: three decimals more than the deals of that
// position were printed with, rounded half up. The rule looks at the
// position's own deals only, never at which other deals came in the same batch.
import { Big, dec, decimalPlaces, sum, toDecimalString } from "../decimal.ts";

export interface PricedVolume {
  price: string;
  volume: string;
}

/** Decimals a VWAP over these deals keeps: theirs, plus three (at most 12). */
export function vwapDigits(deals: readonly PricedVolume[]): number {
  let digits = 0;
  for (const deal of deals) digits = Math.max(digits, decimalPlaces(deal.price));
  return Math.min(digits + 3, 12);
}

/**
 * The VWAP as big.js computes it: the division at big.js's 12 decimals
 * (decimal.ts), then rounded to `digits` — both half up: the reference the
 * fast path below must match exactly (vwap.test.ts).
 */
export function bigVwap(deals: readonly PricedVolume[], digits: number): string | null {
  const volume = sum(deals.map((deal) => deal.volume));
  if (volume.eq(0)) return null;
  const notional = sum(deals.map((deal) => dec(deal.price).times(deal.volume)));
  return toDecimalString(notional.div(volume).round(digits, Big.roundHalfUp));
}

const PLAIN = /^\d+(?:\.\d+)?$/;
const TEN = 10n;

/** A plain non-negative decimal text as an integer at `scale` decimals (the text has at most that many). */
function scaled(text: string, scale: number): bigint {
  const dot = text.indexOf(".");
  if (dot < 0) return BigInt(text) * TEN ** BigInt(scale);
  const fraction = text.slice(dot + 1);
  return BigInt(text.slice(0, dot) + fraction) * TEN ** BigInt(scale - fraction.length);
}

/** a / b rounded half up, for a ≥ 0 and b > 0. */
function divideHalfUp(a: bigint, b: bigint): bigint {
  return (a * 2n + b) / (b * 2n);
}

function decimalText(value: bigint, scale: number): string {
  if (scale === 0) return value.toString();
  const digits = value.toString().padStart(scale + 1, "0");
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`.replace(/\.?0+$/, "");
}

/**
 * VWAP of `deals` at `digits` decimals; null when their volume is zero.
 * Prices and volumes are whole numbers at their own scales, so the usual
 * case is BigInt arithmetic (a 100,000-position import builds tens of
 * thousands of these); anything but plain decimals goes through big.js.
 */
export function vwap(deals: readonly PricedVolume[], digits: number): string | null {
  if (deals.length === 0) return null;
  let priceScale = 0;
  let volumeScale = 0;
  for (const deal of deals) {
    if (!PLAIN.test(deal.price) || !PLAIN.test(deal.volume)) return bigVwap(deals, digits);
    priceScale = Math.max(priceScale, decimalPlaces(deal.price));
    volumeScale = Math.max(volumeScale, decimalPlaces(deal.volume));
  }
  if (priceScale > 12 || digits > 12) return bigVwap(deals, digits);
  let notional = 0n;
  let volume = 0n;
  for (const deal of deals) {
    const lots = scaled(deal.volume, volumeScale);
    notional += scaled(deal.price, priceScale) * lots;
    volume += lots;
  }
  if (volume === 0n) return null;
  // notional / volume is the VWAP at priceScale decimals: first to 12 (big.js's division), then to `digits`.
  const at12 = divideHalfUp(notional * TEN ** BigInt(12 - priceScale), volume);
  return decimalText(divideHalfUp(at12, TEN ** BigInt(12 - digits)), digits);
}
