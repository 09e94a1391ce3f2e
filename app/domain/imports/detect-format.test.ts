import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { detectTextFormat, zipEntryNames } from "./detect-format.ts";
import { detectImportFormat, parseImportFile } from "./parse-import.ts";

const ROOT = join(import.meta.dirname, "../../..");
const real = (name: string) => new Uint8Array(readFileSync(join(ROOT, "tests/fixtures/real", name)));
const fixture = (path: string) => new Uint8Array(readFileSync(join(ROOT, "tests/fixtures/imports", path)));

describe("detectImportFormat (from content, never the name)", () => {
  it("finds the real HFM XLSX report and the real MT4 statement", () => {
    expect(detectImportFormat(real("ReportHistory-hfm-demo.xlsx"))).toEqual({ ok: true, format: "mt5-xlsx" });
    expect(detectImportFormat(real("mt4-Statement.htm"))).toEqual({ ok: true, format: "mt4-html" });
    expect(detectImportFormat(fixture("bad/mt4-statement-windows-1252.htm"))).toEqual({ ok: true, format: "mt4-html" });
  });

  it("hands the real HFM workbook to the MT5 report parser", () => {
    const outcome = parseImportFile(real("ReportHistory-hfm-demo.xlsx"), { serverTimeZone: "NY+7", marginMode: "hedging", accountCurrency: "USD" });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.parsed.format).toBe("mt5-xlsx");
    expect(outcome.parsed.trades.length).toBeGreaterThan(0);
  });

  it("hands MT4 statements, ASCII or windows-1252, to the MT4 parser", () => {
    const options = { serverTimeZone: "NY+7", marginMode: "hedging" as const, accountCurrency: "USD" };
    const ascii = parseImportFile(real("mt4-Statement.htm"), options);
    const latin = parseImportFile(fixture("bad/mt4-statement-windows-1252.htm"), options);
    expect(ascii.ok && latin.ok).toBe(true);
    if (!ascii.ok || !latin.ok) return;
    expect(ascii.parsed.format).toBe("mt4-html");
    expect(ascii.parsed.trades.length).toBeGreaterThan(0);
    expect(latin.parsed.trades.length).toBe(ascii.parsed.trades.length);
    expect(latin.parsed.warnings.join(" ")).toContain("read as windows-1252");
  });

  it.each([
    ["csv/mt5-position-history.csv", "mt5-positions-csv"],
    ["ctrader/statement-deals-transactions.csv", "ctrader-csv"],
    ["ctrader/history-partial-close.csv", "ctrader-csv"],
    ["csv/ftmo-french.csv", "generic-csv"],
    ["csv/generic-semicolon-decimal-comma.csv", "generic-csv"],
    ["json/valid-trades.json", "json"],
    ["bad/utf16le-no-bom.csv", "generic-csv"],
  ])("%s is %s", (path, format) => {
    expect(detectImportFormat(fixture(path))).toEqual({ ok: true, format });
  });

  it("refuses a ZIP that is not a workbook", () => {
    // A stored (uncompressed) one-file ZIP holding notes.txt.
    const name = new TextEncoder().encode("notes.txt");
    const content = new TextEncoder().encode("hello");
    const local = new Uint8Array(30 + name.length + content.length);
    const view = new DataView(local.buffer);
    view.setUint32(0, 0x04034b50, true);
    view.setUint32(18, content.length, true);
    view.setUint32(22, content.length, true);
    view.setUint16(26, name.length, true);
    local.set(name, 30);
    local.set(content, 30 + name.length);
    const central = new Uint8Array(46 + name.length);
    const centralView = new DataView(central.buffer);
    centralView.setUint32(0, 0x02014b50, true);
    centralView.setUint32(20, content.length, true);
    centralView.setUint32(24, content.length, true);
    centralView.setUint16(28, name.length, true);
    centralView.setUint32(42, 0, true);
    central.set(name, 46);
    const end = new Uint8Array(22);
    const endView = new DataView(end.buffer);
    endView.setUint32(0, 0x06054b50, true);
    endView.setUint16(8, 1, true);
    endView.setUint16(10, 1, true);
    endView.setUint32(12, central.length, true);
    endView.setUint32(16, local.length, true);
    const zip = new Uint8Array([...local, ...central, ...end]);
    expect(zipEntryNames(zip)).toEqual({ ok: true, names: ["notes.txt"] });
    expect(detectImportFormat(zip)).toEqual({
      ok: false,
      error: { code: "unknown-format", message: expect.stringContaining("a ZIP archive (notes.txt), not an Excel workbook") },
    });
  });

  it("calls a ZIP without its end directory truncated", () => {
    const bytes = real("ReportHistory-hfm-demo.xlsx");
    expect(detectImportFormat(bytes.subarray(0, bytes.length - 30))).toMatchObject({ ok: false, error: { code: "truncated" } });
  });
});

describe("detectTextFormat", () => {
  it("ignores the file name and reads the content: text that is not a table", () => {
    expect(detectTextFormat("just one line of prose")).toMatchObject({ ok: false, error: { code: "unknown-format" } });
  });

  it("takes JSON by its first character", () => {
    expect(detectTextFormat('  \n[{"symbol":"EURUSD"}]')).toEqual({ ok: true, format: "json" });
  });
});
