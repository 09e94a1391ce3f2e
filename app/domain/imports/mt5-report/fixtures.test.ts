// The hand-built fixture corpus (tests/fixtures/imports/mt5): each report is
// read as UTF-16LE HTML and as XLSX with UTF-16 parts and compared with its
// hand-worked *.expected.json.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sum, toDecimalString } from "../../decimal.ts";
import type { ParsedImport } from "../../trades/types.ts";
import { parseMt5HtmlReport, parseMt5XlsxReport, sniffMetaTraderHtml } from "./index.ts";

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
  expect(parsed.trades.map((t) => ({
    positionId: t.positionId, symbol: t.symbol, brokerSymbol: t.brokerSymbol, direction: t.direction, status: t.status,
    openedAt: t.openedAt.toISOString(), closedAt: t.closedAt?.toISOString() ?? null, volume: t.volume, closedVolume: t.closedVolume,
    entryPrice: t.entryPrice, exitPrice: t.exitPrice, stopLoss: t.stopLoss, takeProfit: t.takeProfit,
    grossProfit: t.grossProfit, commission: t.commission, swap: t.swap, fee: t.fee, closeReason: t.closeReason,
    legs: t.legs.map((l) => [l.kind, l.dealId, l.volume, l.price]),
  }))).toEqual(expected.trades);
  const totals = expected.totals;
  expect(parsed.trades.filter((t) => t.status === "closed")).toHaveLength(totals.closedTrades);
  expect(parsed.trades.filter((t) => t.status === "open")).toHaveLength(totals.openTrades);
  expect(toDecimalString(sum(parsed.trades.map((t) => t.grossProfit)))).toBe(totals.grossProfit);
  expect(toDecimalString(sum(parsed.trades.map((t) => t.commission)))).toBe(totals.commission);
  expect(toDecimalString(sum(parsed.trades.map((t) => t.swap)))).toBe(totals.swap);
  expect(toDecimalString(sum(parsed.trades.map((t) => t.fee)))).toBe(totals.fee);
  expect(parsed.cash.map((c) => ({ dealId: c.dealId, kind: c.kind, amount: c.amount, occurredAt: c.occurredAt.toISOString(), comment: c.comment }))).toEqual(expected.cash);
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
    const mt4 = readFileSync(new URL("../../../../../shared/fixtures/real/mt4-Statement.htm", import.meta.url), "latin1");
    expect(sniffMetaTraderHtml(mt4)).toBe("mt4-html");
    expect(sniffMetaTraderHtml(load("russian-hedging").html)).toBe("mt5-html");
    expect(sniffMetaTraderHtml("<html><body><table><tr><td>Invoice</td></tr></table></body></html>")).toBeNull();
    expect(sniffMetaTraderHtml("just text")).toBeNull();
  });
});
