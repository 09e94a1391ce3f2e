// The XLSX reader (its own zip, shared-string table and worksheet scanner,
// tuned for a 100,000-position report) must read a big report exactly as the
// HTML reader reads the same report: the generator writes one model both ways,
// so any divergence of the XLSX path — a shared string, a cell, a row — shows
// up as a different trade, cash row, rejection or warning.
import { describe, expect, it } from "vitest";
import { generateMt5Report } from "../../../../tests/fixtures/imports/generate-mt5-report.ts";
import { decodeText } from "../decode-text.ts";
import { parseMt5HtmlReport, parseMt5XlsxReport } from "./index.ts";

const options = { serverTimeZone: "NY+7", marginMode: "hedging" as const, accountCurrency: "USD" };
const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

describe("a generated report read from XLSX and from HTML", () => {
  it.each([11])("gives the same import for 5,000 positions (seed %i)", (seed) => {
    const xlsx = json(parseMt5XlsxReport(generateMt5Report({ positions: 5000, format: "xlsx", seed }), options));
    const decoded = decodeText(generateMt5Report({ positions: 5000, format: "html", seed }));
    if (!decoded.ok) throw new Error(decoded.error.message);
    const html = json(parseMt5HtmlReport(decoded.text, options));
    expect((xlsx.trades as unknown[]).length).toBe(5000);
    expect({ ...xlsx, format: null }).toEqual({ ...html, format: null });
  });
});
