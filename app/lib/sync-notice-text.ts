// The words of the live notices the jobs process broadcasts: the toast for a
// synced trade closing ("EURUSD buy closed +$47.50 (+23.0 pips)") and the one
// for an account whose sync was paused. Amounts arrive as decimal strings and
// are formatted with the shared money format; pips are rounded with big.js to
// one decimal, never through a float.
import type { AccountPausedNotice, TradeClosedNotice } from "~/domain/sync/realtime-contract.ts";
import { dec } from "~/domain/decimal.ts";
import { formatMoney } from "./format.ts";

/** "+23.0", "-4.5", "0.0"; null when the text is not a number. */
export function formatPipsOneDecimal(pips: string): string | null {
  let value;
  try {
    value = dec(pips.trim());
  } catch {
    return null;
  }
  const text = value.round(1).toFixed(1);
  const normalised = text === "-0.0" ? "0.0" : text;
  return value.gt(0) && normalised !== "0.0" ? `+${normalised}` : normalised;
}

export function tradeClosedText(notice: Pick<TradeClosedNotice, "symbol" | "direction" | "netProfit" | "currency" | "pips">): string {
  const money = formatMoney(notice.netProfit, notice.currency, { signed: true });
  const pips = notice.pips === null ? null : formatPipsOneDecimal(notice.pips);
  return `${notice.symbol} ${notice.direction} closed ${money}${pips === null ? "" : ` (${pips} pips)`}`;
}

/** Whether the closed trade made money, lost it, or broke even (the toast's colour; the sign says it too). */
export function tradeClosedTone(netProfit: string): "profit" | "loss" | "neutral" {
  try {
    const value = dec(netProfit.trim());
    return value.gt(0) ? "profit" : value.lt(0) ? "loss" : "neutral";
  } catch {
    return "neutral";
  }
}

export function accountPausedText(notice: Pick<AccountPausedNotice, "accountName" | "message">): string {
  const message = notice.message.trim();
  return `Sync paused for ${notice.accountName}${message ? `: ${message}` : "."}`;
}
