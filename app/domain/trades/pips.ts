// Pips a trade moved, from its volume-weighted entry and exit, for trades the
// broker reports without them (sync and file imports). Manual entry computes
// the same figure in manual-trade.ts.
import { toDecimalString } from "../decimal.ts";
import { resolveInstrument, type InstrumentOverrides } from "../instruments/catalogue.ts";
import { pipsGained } from "./pnl.ts";
import type { TradeInput } from "./types.ts";

/** One decimal more than a tenth of a pip is noise from VWAP division. */
const PIP_DECIMALS = 1;

export function tradePips(
  trade: Pick<TradeInput, "symbol" | "direction" | "entryPrice" | "exitPrice">,
  overrides?: InstrumentOverrides,
): string | null {
  if (!trade.exitPrice) return null;
  const spec = resolveInstrument(trade.symbol, overrides);
  if (!spec) return null;
  const sign = trade.direction === "buy" ? 1 : -1;
  return (
    tenthsOfPipsExactly(sign, trade.entryPrice, trade.exitPrice, spec.pipSize) ??
    toDecimalString(pipsGained(spec, trade.direction, trade.entryPrice, trade.exitPrice).round(PIP_DECIMALS))
  );
}

// A 100 000-trade import computes this for every trade, and big.js division
// is most of its cost. With a power-of-ten pip and plain decimal prices the
// figure is integer arithmetic: the same digits, rounded half away from zero
// as big.js rounds them. Anything else returns null and goes through big.js.
const PLAIN_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;
const POWER_OF_TEN_PIP = /^(?:1(0*)|0\.(0*)1)$/;
/** Digits that stay exact in a double. */
const SAFE_DIGITS = 15;

function tenthsOfPipsExactly(sign: number, entry: string, exit: string, pipSize: string): string | null {
  const pip = POWER_OF_TEN_PIP.exec(pipSize);
  const from = PLAIN_DECIMAL.exec(entry);
  const to = PLAIN_DECIMAL.exec(exit);
  if (!pip || !from || !to) return null;
  // pip = 10^pipExponent.
  const pipExponent = pip[1] !== undefined ? pip[1].length : -(pip[2]!.length + 1);
  const decimals = Math.max(from[3]?.length ?? 0, to[3]?.length ?? 0);
  const scaled = (match: RegExpExecArray): number | null => {
    const digits = match[2]! + (match[3] ?? "").padEnd(decimals, "0");
    if (digits.length > SAFE_DIGITS) return null;
    return (match[1] ? -1 : 1) * Number(digits);
  };
  const a = scaled(from);
  const b = scaled(to);
  if (a === null || b === null) return null;
  // move = (b − a)·10^−decimals; tenths of pips = move · 10^(1 − pipExponent).
  const move = sign * (b - a);
  const shift = 1 - pipExponent - decimals;
  let tenths: number;
  if (shift >= 0) {
    tenths = move * 10 ** shift;
    if (!Number.isSafeInteger(tenths)) return null;
  } else {
    const divisor = 10 ** -shift;
    const magnitude = Math.abs(move);
    const rounded = Math.floor(magnitude / divisor) + (2 * (magnitude % divisor) >= divisor ? 1 : 0);
    tenths = move < 0 ? -rounded : rounded;
  }
  if (tenths === 0) return "0";
  const magnitude = Math.abs(tenths);
  const whole = Math.floor(magnitude / 10);
  const tenth = magnitude % 10;
  return `${tenths < 0 ? "-" : ""}${whole}${tenth ? `.${tenth}` : ""}`;
}
