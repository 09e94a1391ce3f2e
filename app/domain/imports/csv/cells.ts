// Cell readers shared by the CSV formats.
import { parseBrokerNumber, type BigNumber } from "../../decimal.ts";
import type { CloseReason, Direction } from "../../trades/types.ts";
import type { DecimalSeparator } from "./read-csv.ts";

const CURRENCY_NOISE = /[$€£¥₽]|\b(?:USD|EUR|GBP|JPY|CHF|AUD|CAD|NZD|lots?|lotes?)\b/gi;

/** A money/price/volume cell ("1 434.86", "-2,50", "€48", "0.1 Lots") as a decimal, null when it is not a number. */
export function parseNumberCell(text: string, decimalSeparator: DecimalSeparator): BigNumber | null {
  const cleaned = text.replace(CURRENCY_NOISE, "").trim();
  if (cleaned === "") return null;
  return parseBrokerNumber(cleaned, decimalSeparator);
}

const BUY_WORDS = new Set([
  "buy",
  "long",
  "b",
  "achat",
  "acheter",
  "kaufen",
  "kauf",
  "compra",
  "comprar",
  "acquisto",
  "compra",
  "покупка",
  "buy in",
  "trade buy",
]);
const SELL_WORDS = new Set([
  "sell",
  "short",
  "s",
  "vente",
  "vendre",
  "verkaufen",
  "verkauf",
  "venta",
  "vender",
  "vendita",
  "продажа",
  "sell in",
  "trade sell",
]);

/** "buy" / "sell" from a side cell ("Buy", "SHORT", "Achat", "buy limit"), or null. */
export function parseSide(text: string): Direction | null {
  const value = text.trim().toLowerCase();
  if (BUY_WORDS.has(value)) return "buy";
  if (SELL_WORDS.has(value)) return "sell";
  const first = value.split(/[\s_-]+/)[0] ?? "";
  if (BUY_WORDS.has(first)) return "buy";
  if (SELL_WORDS.has(first)) return "sell";
  return null;
}

const CASH_WORDS: Record<string, "deposit" | "withdrawal" | "credit" | "balance"> = {
  balance: "balance",
  deposit: "deposit",
  withdrawal: "withdrawal",
  credit: "credit",
  dépôt: "deposit",
  depot: "deposit",
  retrait: "withdrawal",
};

/** Cash-ledger rows that some exports mix into trade lists ("balance", "deposit"). */
export function cashKindOf(sideText: string): "deposit" | "withdrawal" | "credit" | "balance" | null {
  return CASH_WORDS[sideText.trim().toLowerCase()] ?? null;
}

/** How a position closed, from the comment MetaTrader writes ("[sl 1.08]", "[tp 1.14086]", "[so 18.80%/…]"). */
export function closeReasonFromComment(comment: string | null): CloseReason | null {
  if (!comment) return null;
  const match = /^\s*\[(sl|tp|so)\b/i.exec(comment);
  return match ? (match[1]!.toLowerCase() as CloseReason) : null;
}

/** Comments are stored up to 500 characters; empty becomes null. */
export function commentOrNull(text: string | undefined): string | null {
  const trimmed = (text ?? "").trim();
  if (trimmed === "") return null;
  return trimmed.length > 500 ? trimmed.slice(0, 500) : trimmed;
}
