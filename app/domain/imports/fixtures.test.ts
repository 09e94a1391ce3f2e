// Fixture corpus (tests/fixtures/imports/{csv,ctrader,json,bad}): every file
// goes through parseImportFile exactly as an upload would, and is compared
// with an expected-result file worked out by hand.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sum, toDecimalString } from "../decimal.ts";
import type { ParsedImport } from "../trades/types.ts";
import { parseImportFile, type ParseOutcome } from "./parse-import.ts";
import type { ColumnMapping, ParseOptions } from "./parse-options.ts";

const FIXTURES = join(import.meta.dirname, "../../../tests/fixtures/imports");

interface Expected {
  options: ParseOptions;
  format: string;
  account?: Record<string, unknown>;
  sourceRowCount?: number;
  headers?: string[];
  suggested?: ColumnMapping;
  trades: Record<string, unknown>[];
  cash: Record<string, unknown>[];
  rejected: { row: number; reason: string }[];
  warning?: string;
  totals: { grossProfit: string; netProfit: string };
}

const read = (path: string) => new Uint8Array(readFileSync(join(FIXTURES, path)));
const expectedFor = (path: string): Expected => JSON.parse(readFileSync(join(FIXTURES, path.replace(/\.\w+$/, ".expected.json")), "utf8"));
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value));

function parsedOf(outcome: ParseOutcome): ParsedImport {
  if (!outcome.ok) throw new Error(`expected a parse, got ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.parsed;
}

function checkAgainst(parsed: ParsedImport, expected: Expected) {
  expect(parsed.format).toBe(expected.format);
  const trades = plain(parsed.trades);
  expect(trades).toHaveLength(expected.trades.length);
  expected.trades.forEach((trade, index) => expect(trades[index]).toMatchObject(trade));
  const cash = plain(parsed.cash);
  expect(cash).toHaveLength(expected.cash.length);
  expected.cash.forEach((movement, index) => expect(cash[index]).toMatchObject(movement));
  expect(parsed.rejected.map((row) => row.row)).toEqual(expected.rejected.map((row) => row.row));
  expected.rejected.forEach((row, index) => expect(parsed.rejected[index]!.reason).toContain(row.reason));
  if (expected.account) expect(parsed.account).toMatchObject(expected.account);
  if (expected.sourceRowCount !== undefined) expect(parsed.sourceRowCount).toBe(expected.sourceRowCount);
  if (expected.warning) expect(parsed.warnings.join(" ")).toContain(expected.warning);
  const gross = sum(parsed.trades.map((trade) => trade.grossProfit));
  const net = sum(parsed.trades.flatMap((trade) => [trade.grossProfit, trade.commission, trade.swap, trade.fee]));
  expect(toDecimalString(gross)).toBe(expected.totals.grossProfit);
  expect(toDecimalString(net)).toBe(expected.totals.netProfit);
  // Legs always add up to their trade.
  for (const trade of parsed.trades) {
    for (const field of ["profit", "commission", "swap", "fee"] as const) {
      const total = toDecimalString(sum(trade.legs.map((leg) => leg[field])));
      expect(total).toBe(field === "profit" ? trade.grossProfit : trade[field]);
    }
  }
}

describe("import fixtures with known layouts", () => {
  it.each([
    "csv/mt5-position-history.csv",
    "ctrader/statement-deals-transactions.csv",
    "ctrader/history-partial-close.csv",
    "json/valid-trades.json",
    "json/invalid-trades.json",
  ])("%s matches its hand-worked expected result", (path) => {
    const expected = expectedFor(path);
    checkAgainst(parsedOf(parseImportFile(read(path), expected.options)), expected);
  });
});

describe("generic CSV fixtures: mapping first, then the parse", () => {
  it.each(["csv/generic-semicolon-decimal-comma.csv", "csv/ftmo-french.csv", "csv/script-export-formula-cells.csv"])(
    "%s asks for a mapping, suggests it from the headers, then parses with it",
    (path) => {
      const expected = expectedFor(path);
      const first = parseImportFile(read(path), expected.options);
      expect(first.ok).toBe(false);
      if (first.ok || first.error.code !== "needs-mapping" || !("mapping" in first)) throw new Error("expected needs-mapping");
      expect(first.format).toBe("generic-csv");
      expect(first.error.message).toContain("Match the columns");
      expect(first.mapping.headerSignature).toMatch(/^csv1:[0-9a-f]{64}$/);
      expect(first.mapping.sampleRows.length).toBeGreaterThan(0);
      if (expected.headers) expect(first.mapping.headers).toEqual(expected.headers);
      if (expected.suggested) expect(first.mapping.suggested).toEqual(expected.suggested);
      const parsed = parsedOf(parseImportFile(read(path), { ...expected.options, columnMapping: first.mapping.suggested }));
      checkAgainst(parsed, expected);
    },
  );

  it("refuses a generic CSV with a repeated non-positional header, naming the columns", () => {
    const outcome = parseImportFile(read("csv/generic-duplicate-headers.csv"), {
      serverTimeZone: "NY+7",
      marginMode: "hedging",
      accountCurrency: "USD",
    });
    expect(outcome).toMatchObject({ ok: false, error: { code: "duplicate-headers" } });
    if (outcome.ok) return;
    expect(outcome.error.message).toContain('"Profit" (columns 9, 11)');
  });
});

describe("bad inputs", () => {
  const expected: Record<string, { code: string; message: string }> = JSON.parse(readFileSync(join(FIXTURES, "bad/expected.json"), "utf8"));
  const options: ParseOptions = { serverTimeZone: "NY+7", marginMode: "hedging", accountCurrency: "USD" };
  it.each(Object.keys(expected).filter((name) => !name.startsWith("_")))("%s gets its specific code and message", (name) => {
    const outcome = parseImportFile(read(`bad/${name}`), options);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe(expected[name]!.code);
    expect(outcome.error.message).toContain(expected[name]!.message);
  });

  it("reads UTF-16LE without a BOM and says so", () => {
    const first = parseImportFile(read("bad/utf16le-no-bom.csv"), options);
    if (first.ok || !("mapping" in first)) throw new Error("expected needs-mapping");
    const parsed = parsedOf(parseImportFile(read("bad/utf16le-no-bom.csv"), { ...options, columnMapping: first.mapping.suggested }));
    expect(parsed.warnings[0]).toContain("UTF-16LE without a byte-order mark");
    expect(plain(parsed.trades)).toMatchObject([{ positionId: "1", symbol: "EURUSD", comment: "Zürich", openedAt: "2025-04-15T14:11:31.000Z" }]);
  });

  it("refuses a 60 MB file by its size before reading it, in milliseconds", () => {
    const bytes = new Uint8Array(60 * 1024 * 1024);
    const started = performance.now();
    const outcome = parseImportFile(bytes, options);
    const elapsed = performance.now() - started;
    expect(outcome).toMatchObject({ ok: false, error: { code: "too-large" } });
    if (outcome.ok) return;
    expect(outcome.error.message).toContain("The file is 60.0 MB; the limit is 50 MB");
    expect(elapsed).toBeLessThan(20);
  });
});
