// The hand-built fixture corpus (tests/fixtures/imports/mt5): each report is
// read as UTF-16LE HTML and as XLSX with UTF-16 parts and compared with its
// hand-worked *.expected.json.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sum, toDecimalString } from "../../decimal.ts";
import type { ParsedImport } from "../../trades/types.ts";
import { hedgingPartials, PORTUGUESE_LABELS } from "../../../../tests/fixtures/imports/mt5/models.ts";
import { ENGLISH_LABELS, renderMt5Html, renderMt5Xlsx, type ReportLabels } from "../../../../tests/fixtures/imports/mt5-report-writer.ts";
import { parseImportFile } from "../parse-import.ts";
import { parseMt5HtmlReport, parseMt5XlsxReport, sniffMetaTraderHtml } from "./index.ts";
import { columnOf, importableReportLanguages, REPORT_LANGUAGES, sectionOf } from "./languages.ts";

const dir = new URL("../../../../tests/fixtures/imports/mt5/", import.meta.url);
const options = { serverTimeZone: "NY+7", marginMode: "hedging" as const, accountCurrency: "USD" };

interface Expected {
  account: Record<string, unknown>;
  trades: (Record<string, unknown> & { legs: string[][] })[];
  totals: { closedTrades: number; openTrades: number; grossProfit: string; commission: string; swap: string; fee: string };
  cash: { dealId: string; kind: string; amount: string; occurredAt: string; comment: string }[];
  rejected: { row: number; section: string; reasonMatches: string }[];
  sourceRowCount: number;
}

function load(name: string): { html: string; xlsx: Uint8Array; expected: Expected } {
  const bytes = readFileSync(new URL(`${name}.htm`, dir));
  expect([bytes[0], bytes[1]]).toEqual([0xff, 0xfe]);
  return {
    html: new TextDecoder("utf-16le").decode(bytes),
    xlsx: new Uint8Array(readFileSync(new URL(`${name}.xlsx`, dir))),
    expected: JSON.parse(readFileSync(new URL(`${name}.expected.json`, dir), "utf8")) as Expected,
  };
}

function compare(parsed: ParsedImport, expected: Expected) {
  expect(parsed.account).toEqual(expected.account);
  expect(
    parsed.trades.map((t) => ({
      positionId: t.positionId,
      symbol: t.symbol,
      brokerSymbol: t.brokerSymbol,
      direction: t.direction,
      status: t.status,
      openedAt: t.openedAt.toISOString(),
      closedAt: t.closedAt?.toISOString() ?? null,
      volume: t.volume,
      closedVolume: t.closedVolume,
      entryPrice: t.entryPrice,
      exitPrice: t.exitPrice,
      stopLoss: t.stopLoss,
      takeProfit: t.takeProfit,
      grossProfit: t.grossProfit,
      commission: t.commission,
      swap: t.swap,
      fee: t.fee,
      closeReason: t.closeReason,
      legs: t.legs.map((l) => [l.kind, l.dealId, l.volume, l.price]),
    })),
  ).toEqual(expected.trades);
  const totals = expected.totals;
  expect(parsed.trades.filter((t) => t.status === "closed")).toHaveLength(totals.closedTrades);
  expect(parsed.trades.filter((t) => t.status === "open")).toHaveLength(totals.openTrades);
  expect(toDecimalString(sum(parsed.trades.map((t) => t.grossProfit)))).toBe(totals.grossProfit);
  expect(toDecimalString(sum(parsed.trades.map((t) => t.commission)))).toBe(totals.commission);
  expect(toDecimalString(sum(parsed.trades.map((t) => t.swap)))).toBe(totals.swap);
  expect(toDecimalString(sum(parsed.trades.map((t) => t.fee)))).toBe(totals.fee);
  expect(
    parsed.cash.map((c) => ({ dealId: c.dealId, kind: c.kind, amount: c.amount, occurredAt: c.occurredAt.toISOString(), comment: c.comment })),
  ).toEqual(expected.cash);
  expect(parsed.rejected).toHaveLength(expected.rejected.length);
  expected.rejected.forEach((rejection, index) => {
    expect(parsed.rejected[index]).toMatchObject({ row: rejection.row, section: rejection.section });
    expect(parsed.rejected[index]!.reason).toMatch(new RegExp(rejection.reasonMatches));
  });
  expect(parsed.sourceRowCount).toBe(expected.sourceRowCount);
}

describe("MT5 fixture corpus", () => {
  it("hedging-partials.htm: partial close, thousands, detached minus, orphan, DST, hidden comment cell", () => {
    const { html, expected } = load("hedging-partials");
    expect(sniffMetaTraderHtml(html)).toBe("mt5-html");
    const parsed = parseMt5HtmlReport(html, options);
    compare(parsed, expected);
    expect(parsed.language).toBe("en");
    expect(parsed.trades[0]!.comment).toBe("scaled out");
    expect(parsed.warnings.some((w) => /1 exit deal\(s\) belong to positions opened before the report period/.test(w))).toBe(true);
    expect(parsed.trades.find((t) => t.positionId === "1004")!.raw).toMatchObject({ floatingProfit: "50", marketPrice: "149.500" });
  });

  it("hedging-partials.xlsx: the same report with UTF-16 parts and NBSP thousands", () => {
    const { xlsx, expected } = load("hedging-partials");
    const parsed = parseMt5XlsxReport(xlsx, options);
    compare(parsed, expected);
    expect(parsed.format).toBe("mt5-xlsx");
  });

  it("netting-scale-in: a second entry deal becomes a scale-in leg", () => {
    const { html, xlsx, expected } = load("netting-scale-in");
    compare(parsed(html), expected);
    compare(parseMt5XlsxReport(xlsx, options), expected);
    function parsed(text: string) {
      return parseMt5HtmlReport(text, options);
    }
  });

  it("russian-hedging: Russian headers, Deals without Order/Fee/Balance columns", () => {
    const { html, xlsx, expected } = load("russian-hedging");
    for (const result of [parseMt5HtmlReport(html, options), parseMt5XlsxReport(xlsx, options)]) {
      expect(result.language).toBe("ru");
      compare(result, expected);
    }
  });
});

describe("Portuguese reports", () => {
  const skipped =
    /The section titled "\[UNCONFIRMED Open Positions title\]" is not one the importer knows in a supported language; its rows were skipped/;

  it("portuguese-hedging.htm: Portuguese headers and sections; an Open Positions section under an unknown title is skipped", () => {
    const { html, expected } = load("portuguese-hedging");
    expect(sniffMetaTraderHtml(html)).toBe("mt5-html");
    const parsed = parseMt5HtmlReport(html, options);
    expect(parsed.language).toBe("pt");
    compare(parsed, expected);
    expect(parsed.trades[0]!.comment).toBe("scaled out");
    expect(parsed.warnings.some((w) => skipped.test(w))).toBe(true);
    expect(parsed.warnings.filter((w) => w.startsWith("Unknown column"))).toEqual([]);
  });

  it("portuguese-hedging.xlsx: the same report as a workbook with UTF-16 parts", () => {
    const { xlsx, expected } = load("portuguese-hedging");
    const parsed = parseMt5XlsxReport(xlsx, options);
    expect(parsed.language).toBe("pt");
    compare(parsed, expected);
    expect(parsed.warnings.some((w) => skipped.test(w))).toBe(true);
  });

  it("imports through the upload entry point, the deals' Taxa column as the fee", () => {
    const { xlsx } = load("portuguese-hedging");
    for (const bytes of [new Uint8Array(readFileSync(new URL("portuguese-hedging.htm", dir))), xlsx]) {
      const outcome = parseImportFile(bytes, options);
      if (!outcome.ok) throw new Error(outcome.error.message);
      expect(outcome.parsed.language).toBe("pt");
      expect(outcome.parsed.trades.map((t) => [t.positionId, t.fee])).toEqual([
        ["1001", "-0.3"],
        ["1002", "0"],
        ["1003", "0"],
      ]);
    }
  });
});

describe("the language table", () => {
  const needed = {
    positions: ["time", "position", "symbol", "type", "volume", "price"],
    deals: ["time", "deal", "symbol", "type", "direction", "volume", "price", "profit"],
  };

  it("gives every importable language the sections and columns a report needs, and marks the rest partial", () => {
    for (const language of REPORT_LANGUAGES) {
      const kinds = new Set(Object.values(language.sections));
      const keys = new Set(Object.values(language.headers));
      const complete = kinds.has("positions") && kinds.has("deals") && [...needed.positions, ...needed.deals].every((key) => keys.has(key as never));
      expect({ code: language.code, complete }).toEqual({ code: language.code, complete: language.status !== "partial" });
    }
    expect(importableReportLanguages().map((language) => language.code)).toEqual(["en", "pt", "ru", "fr", "ja", "bg"]);
  });

  it("lets a text shared by languages mean one thing (Resultados, Volume, S / L)", () => {
    expect(sectionOf("Resultados")?.kind).toBe("results");
    expect(columnOf("Volume")).toEqual({ key: "volume", languages: ["en", "pt", "fr"] });
    expect(columnOf("S / L")?.languages).toEqual(["en", "pt", "ru", "fr", "bg", "sk"]);
    expect(columnOf("Ofertas")).toBeNull();
    expect(sectionOf("Ofertas")?.kind).toBe("deals");
  });
});

describe("reports in a language the importer cannot read", () => {
  // Marker texts, not a translation: they stand for any language without texts here.
  const unknownLanguage = (labels: ReportLabels): ReportLabels => {
    const mark = (text: string) => `[?] ${text}`;
    return {
      ...labels,
      title: mark(labels.title),
      positions: mark(labels.positions),
      orders: mark(labels.orders),
      deals: mark(labels.deals),
      openPositions: mark(labels.openPositions),
      workingOrders: mark(labels.workingOrders),
      results: mark(labels.results),
      positionsHeader: labels.positionsHeader.map(mark),
      ordersHeader: labels.ordersHeader.map(mark),
      dealsHeader: labels.dealsHeader.map(mark),
      openPositionsHeader: labels.openPositionsHeader.map(mark),
    };
  };
  // Spanish: the title and section titles are known texts; the column headers
  // other than Posición and Símbolo are not, so they are markers.
  const spanishPartial: ReportLabels = {
    ...ENGLISH_LABELS,
    title: "Informe del historial de trading",
    positions: "Posiciones",
    orders: "Órdenes",
    deals: "Transacciones",
    results: "Resultados",
    openPositions: "[?] Open Positions",
    positionsHeader: ENGLISH_LABELS.positionsHeader.map((text) => (text === "Position" ? "Posición" : text === "Symbol" ? "Símbolo" : `[?] ${text}`)),
    ordersHeader: ENGLISH_LABELS.ordersHeader.map((text) => `[?] ${text}`),
    dealsHeader: ENGLISH_LABELS.dealsHeader.map((text) => (text === "Symbol" ? "Símbolo" : `[?] ${text}`)),
    openPositionsHeader: ENGLISH_LABELS.openPositionsHeader.map((text) => `[?] ${text}`),
  };
  const files = (labels: ReportLabels) => {
    const model = { ...hedgingPartials, labels };
    return { html: renderMt5Html(model), xlsx: renderMt5Xlsx(model) };
  };
  const refusal = (bytes: Uint8Array) => {
    const outcome = parseImportFile(bytes, options);
    if (outcome.ok) throw new Error("expected the report to be refused");
    return outcome;
  };

  it("refuses a report whose section titles match no supported language, naming the languages that work", () => {
    for (const [bytes, format] of [
      [files(unknownLanguage(ENGLISH_LABELS)).html, "mt5-html"],
      [files(unknownLanguage(ENGLISH_LABELS)).xlsx, "mt5-xlsx"],
    ] as const) {
      const outcome = refusal(bytes);
      expect(outcome.format).toBe(format);
      expect(outcome.error.code).toBe("unknown-format");
      expect(outcome.error.message).toContain(
        'This MT5 report (its title reads "[?] Trade History Report") is in a terminal language whose section titles RawJournal cannot read yet.',
      );
      expect(outcome.error.message).toContain("Reports are read in English, Portuguese, Russian (provisional)");
      expect(outcome.error.message).toContain("View → Languages → English");
      expect(outcome.error.message).not.toMatch(/widen the period/);
    }
  });

  it("refuses a Spanish report, whose headers are known only in part, instead of reading its columns by position", () => {
    for (const bytes of [files(spanishPartial).html, files(spanishPartial).xlsx]) {
      const outcome = refusal(bytes);
      expect(outcome.error.message).toContain(
        "This MT5 report is in Spanish, whose column headers RawJournal knows only in part: the Positions header was not recognised (missing time, type, volume, price); the Deals header was not recognised (missing time, deal, type, volume, price, profit).",
      );
    }
  });

  it("keeps the unrecognised-header warning when other rows of the report could be read", () => {
    const { html } = load("hedging-partials");
    const parsed = parseMt5HtmlReport(html.replace(/<b>Position<\/b>/g, "<b>[?] Position</b>"), options);
    expect(parsed.cash).toHaveLength(2);
    expect(parsed.warnings.some((w) => /Positions section's header was not recognised \(missing position\)/.test(w))).toBe(true);
  });

  it("still treats a workbook without MT5 marks as a spreadsheet to map", () => {
    const model = { ...hedgingPartials, accountLine: "no account here", labels: unknownLanguage(ENGLISH_LABELS) };
    const outcome = parseImportFile(renderMt5Xlsx(model), options);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.code).toBe("needs-mapping");
  });

  it("the Portuguese labels use no marker text the importer reads", () => {
    const read = [
      PORTUGUESE_LABELS.positions,
      PORTUGUESE_LABELS.orders,
      PORTUGUESE_LABELS.deals,
      ...PORTUGUESE_LABELS.positionsHeader,
      ...PORTUGUESE_LABELS.dealsHeader,
      ...PORTUGUESE_LABELS.ordersHeader,
    ];
    expect(read.filter((text) => text.includes("UNCONFIRMED"))).toEqual([]);
    expect(read.every((text) => sectionOf(text) !== null || columnOf(text) !== null)).toBe(true);
  });
});

describe("row rejection and section boundaries", () => {
  const { html } = load("hedging-partials");

  it("names the section, row and column of an unreadable cell", () => {
    const broken = html.replace("<td nowrap>0.1</td>", "<td nowrap>abc</td>");
    const parsed = parseMt5HtmlReport(broken, options);
    expect(parsed.rejected.map((r) => r.reason)).toContain('Deals row 4: "Volume" is "abc", not a number');
    expect(parsed.rejected.find((r) => r.row === 4)!.values).toMatchObject({ Volume: "abc", Deal: "5002" });
  });

  it("stops a section at the summary block (no Balance row is read as a position)", () => {
    const parsed = parseMt5HtmlReport(html, options);
    expect(parsed.trades.map((t) => t.positionId)).toEqual(["1001", "1002", "1003", "1004"]);
  });

  it("reports an unrecognised header once instead of rejecting every row", () => {
    const unknown = html.replace(/<b>Position<\/b>/g, "<b>Ticket?</b>");
    const parsed = parseMt5HtmlReport(unknown, options);
    expect(parsed.warnings.some((w) => /Positions section's header was not recognised \(missing position\)/.test(w))).toBe(true);
  });
});

describe("sniffMetaTraderHtml", () => {
  it("tells MT4 statements, MT5 reports and other HTML apart", () => {
    const mt4 = readFileSync(new URL("../../../../tests/fixtures/real/mt4-Statement.htm", import.meta.url), "latin1");
    expect(sniffMetaTraderHtml(mt4)).toBe("mt4-html");
    expect(sniffMetaTraderHtml(load("russian-hedging").html)).toBe("mt5-html");
    expect(sniffMetaTraderHtml("<html><body><table><tr><td>Invoice</td></tr></table></body></html>")).toBeNull();
    expect(sniffMetaTraderHtml("just text")).toBeNull();
  });
});
