// Identity for trades and cash rows from files that carry no broker id, so a
// re-import of the same or an overlapping file finds the same rows.
//
// Trade recipe (documented in docs/imports/json-schema.md):
//   canonical = ["trade", SYMBOL, side, openTimeUtc, volume, openPrice].join("|")
//   positionId = "fp:" + sha256(canonical) in lowercase hex
// where SYMBOL is the canonical symbol (normalizeSymbol, upper case), side is
// "buy" or "sell", openTimeUtc is ISO 8601 in UTC truncated to the second
// ("2025-04-15T14:11:31Z"), and volume and openPrice are plain decimals without
// trailing zeros ("0.1", "1.12895"). The account is not part of it: the
// storage identity is (account, position id) already.
//
// Cash recipe:
//   canonical = ["cash", kind, occurredAtUtc, amount, comment ?? ""].join("|")
//   dealId = "fp:" + sha256(canonical)
// node:crypto hashes in memory only; the domain stays free of I/O.
import { createHash } from "node:crypto";
import { dec, toDecimalString } from "../decimal.ts";

export interface TradeFingerprintInput {
  symbol: string;
  direction: "buy" | "sell";
  openedAt: Date;
  volume: string;
  entryPrice: string;
}

export function utcIsoToSecond(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function normalisedDecimal(value: string): string {
  return toDecimalString(dec(value));
}

export function tradeFingerprintCanonical(input: TradeFingerprintInput): string {
  return [
    "trade",
    input.symbol.trim().toUpperCase(),
    input.direction,
    utcIsoToSecond(input.openedAt),
    normalisedDecimal(input.volume),
    normalisedDecimal(input.entryPrice),
  ].join("|");
}

export function tradeFingerprint(input: TradeFingerprintInput): string {
  return "fp:" + createHash("sha256").update(tradeFingerprintCanonical(input), "utf8").digest("hex");
}

export interface CashFingerprintInput {
  kind: string;
  occurredAt: Date;
  amount: string;
  comment: string | null;
}

export function cashFingerprintCanonical(input: CashFingerprintInput): string {
  return ["cash", input.kind, utcIsoToSecond(input.occurredAt), normalisedDecimal(input.amount), input.comment ?? ""].join("|");
}

export function cashFingerprint(input: CashFingerprintInput): string {
  return "fp:" + createHash("sha256").update(cashFingerprintCanonical(input), "utf8").digest("hex");
}
