import { decimalsOf, formatUnits, toBigUnits } from "./money.ts";
import type { AnalyticsTrade } from "./types.ts";

type Amounts = Pick<AnalyticsTrade, "profit" | "commission" | "swap" | "fee">;

/** Net P&L = profit + commission + swap + fee (costs are stored negative), exact at any size. */
export function netOf(trade: Amounts): string {
  const amounts = [trade.profit, trade.commission, trade.swap, trade.fee];
  const decimals = Math.max(...amounts.map(decimalsOf));
  let total = 0n;
  for (const amount of amounts) total += toBigUnits(amount, decimals);
  return formatUnits(total, decimals);
}
