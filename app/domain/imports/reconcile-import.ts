// After an import: the figures the file prints about itself (report-summary.ts)
// against what the stored trades and cash movements of that file add up to,
// in exact decimals. A difference is named with its size and, where the file
// itself explains it, why.
import { dec, toDecimalString } from "../decimal.ts";
import type { ReportSummary } from "./report-summary.ts";

/** What the database holds for the file's positions and cash rows, right after the store. */
export interface StoredFigures {
  /** Net (profit + commission + swap + fee) of every stored trade of the file, open ones' booked money included. */
  tradesNet: string;
  /** The same over its closed trades only. */
  closedTradesNet: string;
  /** Cash movements of the file that move the balance (credit does not). */
  cash: string;
  trades: number;
  cashRows: number;
}

export interface ImportReconciliation {
  summary: ReportSummary;
  stored: StoredFigures;
}

export interface ReconciliationCheck {
  figure: "balance" | "net" | "deposits";
  /** How the file names the figure ("balance", "Total Net Profit"). */
  label: string;
  file: string;
  stored: string;
  /** stored − file. */
  difference: string;
  matches: boolean;
  /** Why the figures differ, when the file shows it. */
  explanation: string | null;
}

export interface ReconciliationResult {
  checks: ReconciliationCheck[];
  allMatch: boolean;
  /** One sentence: the file's figures, the stored figures, ✓ or the differences. */
  sentence: string;
  /** Figures the file prints that cannot be compared, and why. */
  notes: string[];
}

/** "10482.17" → "10,482.17"; decimals as held, at least two when there are any (JPY stays whole). */
export function groupedDecimal(text: string): string {
  const negative = text.startsWith("-");
  const [whole = "0", fraction] = (negative ? text.slice(1) : text).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const decimals = fraction === undefined ? "" : `.${fraction.padEnd(2, "0")}`;
  return `${negative ? "−" : ""}${grouped}${decimals}`;
}

const signed = (text: string) => (text.startsWith("-") ? groupedDecimal(text) : `+${groupedDecimal(text)}`);

function check(
  figure: ReconciliationCheck["figure"],
  label: string,
  file: string,
  stored: string,
  explanation: string | null = null,
): ReconciliationCheck {
  const difference = dec(stored).minus(file);
  return { figure, label, file, stored, difference: toDecimalString(difference), matches: difference.eq(0), explanation };
}

/** Compares the file's own figures with what was stored from it. */
export function reconcileImport({ summary, stored }: ImportReconciliation): ReconciliationResult {
  const checks: ReconciliationCheck[] = [];
  const notes: string[] = [];
  const tradesNet = summary.netProfitCovers === "closed-trades" ? stored.closedTradesNet : stored.tradesNet;

  if (summary.balance !== null) {
    if (summary.netProfitCovers === "all-trades" && summary.openingBalance === null) {
      notes.push(
        `The file prints a balance of ${groupedDecimal(summary.balance)} but no deal to show the balance its period starts from, so the balance is not compared.`,
      );
    } else {
      const opening = summary.openingBalance ?? "0";
      const storedBalance = toDecimalString(dec(opening).plus(tradesNet).plus(stored.cash));
      let explanation: string | null = null;
      if (summary.depositWithdrawal !== null && summary.netProfit !== null) {
        // MT4: the Summary's own Deposit/Withdrawal + Closed Trade P/L should be its Balance.
        const ownSum = dec(summary.depositWithdrawal).plus(summary.netProfit);
        if (!ownSum.eq(summary.balance)) {
          explanation = `The file's own figures differ by the same kind of amount: its Deposit/Withdrawal ${groupedDecimal(summary.depositWithdrawal)} plus ${summary.netProfitLabel} ${groupedDecimal(summary.netProfit)} make ${groupedDecimal(toDecimalString(ownSum))}, not its balance ${groupedDecimal(summary.balance)}; the statement does not hold every row behind its balance (an earlier period or rows it leaves out).`;
        }
      }
      checks.push(check("balance", "balance", summary.balance, storedBalance, explanation));
      if (summary.openingBalance !== null && !dec(summary.openingBalance).eq(0)) {
        notes.push(
          `The balance starts from ${groupedDecimal(summary.openingBalance)}, the balance before the file's first deal (the file shows it; it is not stored as a deposit).`,
        );
      }
    }
  }
  if (summary.netProfit !== null) checks.push(check("net", summary.netProfitLabel, summary.netProfit, tradesNet));
  if (summary.depositWithdrawal !== null) checks.push(check("deposits", "Deposit/Withdrawal", summary.depositWithdrawal, stored.cash));

  for (const item of checks) {
    if (item.matches || item.explanation) continue;
    const size = dec(item.difference).abs();
    // Reports print each position's money rounded to the cent in Positions, and each deal's in Deals.
    if (item.figure !== "deposits" && stored.trades > 0 && size.lte(dec("0.01").times(stored.trades))) {
      item.explanation = `At most a cent per trade (${stored.trades} trades): rounding between the report's Positions and Deals tables.`;
    }
  }

  const allMatch = checks.length > 0 && checks.every((item) => item.matches);
  const named = (item: ReconciliationCheck) => `${item.label} ${groupedDecimal(item.file)}`;
  const storedNamed = checks.map((item) => groupedDecimal(item.stored));
  let sentence: string;
  if (checks.length === 0) {
    sentence = "The file prints no balance or net profit to compare with what was stored.";
  } else {
    const fileSide = `The report says ${joinAnd(checks.map(named))}`;
    const storedSide = `stored trades and cash movements give ${joinAnd(storedNamed)}`;
    if (allMatch) sentence = `${fileSide}; ${storedSide} ✓`;
    else {
      const differences = checks
        .filter((item) => !item.matches)
        .map(
          (item) => `${item.label} differs by ${signed(item.difference)} (stored ${groupedDecimal(item.stored)}, file ${groupedDecimal(item.file)})`,
        );
      sentence = `${fileSide}; ${storedSide}: ${joinAnd(differences)}.`;
    }
  }
  return { checks, allMatch, sentence, notes };
}

function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
