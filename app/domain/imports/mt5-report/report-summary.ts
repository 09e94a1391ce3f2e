// The summary an MT5 Trade History Report prints below its tables ("Balance:"
// in the account block, "Total Net Profit:" in Results), in every language
// whose texts were found in a real export, and the balance the report's
// period starts from (its first deal's Balance less that deal's money).
import { dec, toDecimalString } from "../../decimal.ts";
import { decimalText } from "../decimal-text.ts";
import { summaryNumber, type ReportSummary } from "../report-summary.ts";
import { normalizeLabel } from "./languages.ts";
import { cellOf, type ReportRows } from "./report-reader.ts";

const BALANCE_LABELS = new Set(["balance", "solde", "残高", "баланс"]);
const NET_PROFIT_LABELS = new Set(["total net profit", "profit total net", "総損益", "обща нетна печалба"]);

function openingBalance(firstDeal: ReportRows["firstDeal"]): string | null {
  if (!firstDeal) return null;
  const balance = decimalText(cellOf(firstDeal, "balance").trim());
  if (balance === null) return null;
  let opening = dec(balance);
  for (const key of ["commission", "fee", "swap", "profit"]) {
    const text = cellOf(firstDeal, key).trim();
    if (text === "") continue;
    const value = decimalText(text);
    if (value === null) return null;
    opening = opening.minus(value);
  }
  return toDecimalString(opening);
}

export function readMt5Summary(rows: ReportRows): ReportSummary | null {
  let balance: string | null = null;
  let netProfit: string | null = null;
  let netProfitLabel = "Total Net Profit";
  for (const { label, value } of rows.summaryLines) {
    const key = normalizeLabel(label).trim();
    if (balance === null && BALANCE_LABELS.has(key)) balance = summaryNumber(value);
    else if (netProfit === null && NET_PROFIT_LABELS.has(key)) {
      netProfit = summaryNumber(value);
      netProfitLabel = label.replace(/\s*:\s*$/, "");
    }
  }
  if (balance === null && netProfit === null) return null;
  return {
    balance,
    netProfit,
    netProfitCovers: "all-trades",
    netProfitLabel,
    depositWithdrawal: null,
    openingBalance: openingBalance(rows.firstDeal),
  };
}
