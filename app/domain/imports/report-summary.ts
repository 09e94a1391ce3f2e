// The figures a broker report prints about itself (its balance, its total
// net profit, MT4's deposits), kept as exact decimal text so the import can
// be reconciled against what was stored (reconcile-import.ts).
import { parseBrokerNumber, toDecimalString } from "../decimal.ts";

export interface ReportSummary {
  /** The balance printed at the end of the report ("Balance:"). */
  balance: string | null;
  /** MT5 Results "Total Net Profit:" (every trading deal's money) or MT4 "Closed Trade P/L:" (closed tickets only). */
  netProfit: string | null;
  /** Which trades the net profit covers: every stored trade of the file, or its closed ones only. */
  netProfitCovers: "all-trades" | "closed-trades";
  /** The label the file prints for the net profit, for messages. */
  netProfitLabel: string;
  /** MT4 "Deposit/Withdrawal:"; MT5 reports print no such figure. */
  depositWithdrawal: string | null;
  /** The balance before the report's first row, when the file shows it (MT5: the first deal's Balance less that deal's money). */
  openingBalance: string | null;
}

/** A summary value as exact decimal text ("1 232.24" → "1232.24", "50.940000" → "50.94"); null for a placeholder or anything else. */
export function summaryNumber(text: string | undefined): string | null {
  if (text === undefined) return null;
  const value = parseBrokerNumber(text.trim());
  return value ? toDecimalString(value) : null;
}

/** Whether the summary has anything to compare. */
export function hasFigures(summary: ReportSummary | null | undefined): summary is ReportSummary {
  return !!summary && (summary.balance !== null || summary.netProfit !== null || summary.depositWithdrawal !== null);
}
