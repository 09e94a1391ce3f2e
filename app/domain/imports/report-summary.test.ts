// Every real export in tests/fixtures/real (copies of shared/fixtures/real): the
// balance and net profit each one prints, read in its own language, and the
// reconciliation of those figures against the trades and cash parsed from the
// same file (what the store then writes), in exact decimals.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sum, toDecimalString } from "../decimal.ts";
import type { ParsedImport } from "../trades/types.ts";
import { parseImportFile } from "./parse-import.ts";
import { reconcileImport, type StoredFigures } from "./reconcile-import.ts";
import type { ReportSummary } from "./report-summary.ts";

const options = { serverTimeZone: "UTC", marginMode: "hedging", accountCurrency: "USD" } as const;

function parse(path: string): ParsedImport {
  const outcome = parseImportFile(new Uint8Array(readFileSync(new URL(`../../../tests/fixtures/real/${path}`, import.meta.url))), options);
  if (!outcome.ok) throw new Error(`${path}: ${outcome.error.message}`);
  return outcome.parsed;
}

/** What storing the parse gives (the database sums the same columns). */
function storedFrom(parsed: ParsedImport): StoredFigures {
  const net = (trade: ParsedImport["trades"][number]) => sum([trade.grossProfit, trade.commission, trade.swap, trade.fee]);
  return {
    tradesNet: toDecimalString(sum(parsed.trades.map(net))),
    closedTradesNet: toDecimalString(sum(parsed.trades.filter((trade) => trade.status === "closed").map(net))),
    cash: toDecimalString(sum(parsed.cash.filter((movement) => movement.kind !== "credit").map((movement) => movement.amount))),
    trades: parsed.trades.length,
    cashRows: parsed.cash.length,
  };
}

const mt5 = (balance: string | null, netProfit: string | null, label: string, openingBalance: string | null): ReportSummary => ({
  balance,
  netProfit,
  netProfitCovers: "all-trades",
  netProfitLabel: label,
  depositWithdrawal: null,
  openingBalance,
});
const mt4 = (depositWithdrawal: string, netProfit: string, balance: string): ReportSummary => ({
  balance,
  netProfit,
  netProfitCovers: "closed-trades",
  netProfitLabel: "Closed Trade P/L",
  depositWithdrawal,
  openingBalance: null,
});

// [file, language, summary printed, reconciled with its own rows]
const FILES: [string, string, ReportSummary | null, boolean][] = [
  ["ReportHistory-hfm-demo.xlsx", "en", mt5("50.94", "-49.67", "Total Net Profit", "50.61"), true],
  ["public/ftmo-fr/ReportHistory-1513621052.xlsx", "fr", mt5("200772.8", "772.8", "Profit Total Net", "0"), true],
  ["public/metaquotes-jp/ReportHistory-10009822126.xlsx", "ja", mt5("37378", "-62622", "総損益", "0"), true],
  ["public/oanda-jp/ReportHistory-400078005.html", "ja", mt5("3002745", "2745", "総損益", "0"), true],
  ["public/metaquotes-bg-en/ReportHistory-5014131788.html", "bg", mt5("99996.7", "-3.3", "Обща нетна печалба", "0"), true],
  ["public/metaquotes-bg-en/ReportHistory-70358000.html", "en", mt5("9949.16", "-50.84", "Total Net Profit", "0"), true],
  ["public/vantage-en/ReportHistory-25858699.xlsx", "en", mt5("5822.08", "822.08", "Total Net Profit", "0"), true],
  // Credit (530.20) is printed in the Deals but never enters the balance.
  ["public/xm-en/ReportHistory-314575560sa.xlsx", "en", mt5("860.34", "359.34", "Total Net Profit", "0"), true],
  ["public/xm-en/reporte25-11.xlsx", "en", mt5("888.27", "387.27", "Total Net Profit", "0"), true],
  ["public/xm-en/reporte25-11.csv", "en", mt5("888.27", "387.27", "Total Net Profit", "0"), true],
  // Trade Account Reports are refused with what they are (mt5-report/real-public.test.ts).
  // Positions only (re-saved in Excel with the summary removed), and the user-edited workbook.
  ["public/icmarkets-sk/ReportHistory-7024848.xlsx", "sk", null, false],
  ["public/xm-en/ReportHistory-314575560.xlsx", "en", null, false],
  ["mt4-Statement.htm", "en", mt4("100000", "8205.65", "94174.94"), false],
  ["public/mt4-ecmarkets/Statement.htm", "en", mt4("200", "682.56", "882.56"), true],
  ["public/mt4-fyntura/Statement.htm", "en", mt4("-403", "1635.24", "1232.24"), true],
  ["public/mt4-fyntura/DetailedStatement.htm", "en", mt4("-403", "1635.24", "1232.24"), true],
  ["public/mt4-oanda/Statement.htm", "en", mt4("4997.46", "-266.19", "4731.27"), true],
  ["public/mt4-rawtrading/Statement.htm", "en", mt4("200", "99.31", "299.31"), true],
  ["public/mt4-ronnaru-jpy/Statement.htm", "en", mt4("500000", "-103107", "396893"), true],
  ["public/mt4-ronnaru-jpy/DetailedStatement.htm", "en", mt4("500000", "-348604", "151396"), true],
  ["public/mt4-startrader-gbk/Statement.htm", "en", mt4("-110000", "172705.68", "62705.68"), true],
];

describe("report summaries of every real export", () => {
  it.each(FILES)("%s (%s)", (path, language, summary, reconciles) => {
    const parsed = parse(path);
    expect(parsed.language).toBe(language);
    expect(parsed.summary ?? null).toEqual(summary);
    if (!summary) return;
    const result = reconcileImport({ summary, stored: storedFrom(parsed) });
    expect(result.allMatch).toBe(reconciles);
    if (reconciles) expect(result.sentence).toMatch(/✓$/);
  });

  it("the HFM report: its balance starts from the 50.61 before its first deal", () => {
    const parsed = parse("ReportHistory-hfm-demo.xlsx");
    const result = reconcileImport({ summary: parsed.summary!, stored: storedFrom(parsed) });
    expect(result.sentence).toBe(
      "The report says balance 50.94 and Total Net Profit −49.67; stored trades and cash movements give 50.94 and −49.67 ✓",
    );
    expect(result.notes).toEqual([
      "The balance starts from 50.61, the balance before the file's first deal (the file shows it; it is not stored as a deposit).",
    ]);
  });

  it("an MT4 statement whose own Summary does not add up says so, with the difference", () => {
    const parsed = parse("mt4-Statement.htm");
    const result = reconcileImport({ summary: parsed.summary!, stored: storedFrom(parsed) });
    const balance = result.checks.find((check) => check.figure === "balance")!;
    expect(balance).toMatchObject({ file: "94174.94", stored: "108205.65", difference: "14030.71", matches: false });
    expect(balance.explanation).toContain("Deposit/Withdrawal 100,000 plus Closed Trade P/L 8,205.65 make 108,205.65, not its balance 94,174.94");
    expect(result.checks.filter((check) => check.figure !== "balance").every((check) => check.matches)).toBe(true);
    expect(result.sentence).toContain("balance differs by +14,030.71 (stored 108,205.65, file 94,174.94)");
  });

  it("a Trade Account Report's balance is not compared, and says why", () => {
    // The importer now refuses such a file; the reconciliation still must not compare a balance
    // without the deals that start it: its summary and the one open position it held (profit −33).
    const summary = mt5("3002745", null, "Total Net Profit", null);
    const result = reconcileImport({ summary, stored: { tradesNet: "-33", closedTradesNet: "0", cash: "0", trades: 1, cashRows: 0 } });
    expect(result.checks).toEqual([]);
    expect(result.notes[0]).toContain("no deal to show the balance its period starts from");
  });

  it("the OANDA export with one stray byte after </html> is read, with a warning", () => {
    expect(parse("public/oanda-jp/ReportHistory-400078005.html").warnings).toContain(
      "The file ends with one stray byte after its last line; it was ignored.",
    );
  });
});

describe("reconcileImport", () => {
  const summary = mt5("10482.17", "482.17", "Total Net Profit", "0");
  const stored = { tradesNet: "482.17", closedTradesNet: "482.17", cash: "10000", trades: 40, cashRows: 1 };

  it("✓ when both figures agree", () => {
    expect(reconcileImport({ summary, stored }).sentence).toBe(
      "The report says balance 10,482.17 and Total Net Profit 482.17; stored trades and cash movements give 10,482.17 and 482.17 ✓",
    );
  });

  it("names a difference, and calls a cent a trade rounding", () => {
    const result = reconcileImport({ summary, stored: { ...stored, tradesNet: "482.2" } });
    expect(result.allMatch).toBe(false);
    expect(result.sentence).toBe(
      "The report says balance 10,482.17 and Total Net Profit 482.17; stored trades and cash movements give 10,482.20 and 482.20: balance differs by +0.03 (stored 10,482.20, file 10,482.17) and Total Net Profit differs by +0.03 (stored 482.20, file 482.17).",
    );
    expect(result.checks[1]!.explanation).toBe("At most a cent per trade (40 trades): rounding between the report's Positions and Deals tables.");
  });

  it("a larger difference has no rounding excuse", () => {
    const result = reconcileImport({ summary, stored: { ...stored, tradesNet: "400" } });
    expect(result.checks.map((check) => [check.difference, check.explanation])).toEqual([
      ["-82.17", null],
      ["-82.17", null],
    ]);
  });
});
