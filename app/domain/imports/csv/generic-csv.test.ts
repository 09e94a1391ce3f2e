import { describe, expect, it } from "vitest";
import type { ParseOptions } from "../parse-options.ts";
import { findHeaderRow, parseGenericCsv } from "./generic-csv.ts";

const mapping = {
  positionId: "Ticket",
  symbol: "Symbol",
  side: "Side",
  openTime: "Open",
  closeTime: "Close",
  volume: "Lots",
  openPrice: "Entry",
  closePrice: "Exit",
  profit: "Profit",
  netProfit: "Net",
  commission: "Comm",
  comment: null,
};
const options: ParseOptions = { serverTimeZone: "Etc/UTC", marginMode: "hedging", accountCurrency: "USD", columnMapping: mapping };
const HEADER = "Ticket,Symbol,Side,Open,Close,Lots,Entry,Exit,Profit,Net,Comm";

function parse(rows: string[], extra: Partial<ParseOptions> = {}) {
  const outcome = parseGenericCsv([HEADER, ...rows].join("\n"), { ...options, ...extra });
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.parsed;
}

describe("parseGenericCsv", () => {
  it("reports dates whose day order cannot be told and reads them day-first", () => {
    const parsed = parse(["1,EURUSD,buy,03/04/2025 10:00,03/04/2025 11:00,0.1,1.1,1.2,10,,"]);
    expect(parsed.warnings.join(" ")).toContain("day and month cannot be told apart");
    expect(parsed.trades[0]!.openedAt.toISOString()).toBe("2025-04-03T10:00:00.000Z");
  });

  it("decides month-first from another row of the column", () => {
    const parsed = parse([
      "1,EURUSD,buy,03/04/2025 10:00,03/04/2025 11:00,0.1,1.1,1.2,10,,",
      "2,EURUSD,buy,03/14/2025 10:00,03/14/2025 11:00,0.1,1.1,1.2,10,,",
    ]);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.trades.map((trade) => trade.openedAt.toISOString())).toEqual(["2025-03-04T10:00:00.000Z", "2025-03-14T10:00:00.000Z"]);
  });

  it("derives gross profit from a net column", () => {
    const parsed = parse(["1,EURUSD,buy,2025-04-03 10:00,2025-04-03 11:00,0.1,1.1,1.2,,9.3,-0.7"]);
    expect(parsed.trades[0]).toMatchObject({ grossProfit: "10", commission: "-0.7" });
  });

  it("keeps an open trade open, with its fingerprint when the ticket is empty", () => {
    const parsed = parse([",EURUSD,sell,2025-04-03 10:00,,0.1,1.1,,,,"]);
    expect(parsed.trades[0]).toMatchObject({ status: "open", closedAt: null, exitPrice: null, closedVolume: "0", grossProfit: "0" });
    expect(parsed.trades[0]!.positionId).toMatch(/^fp:[0-9a-f]{64}$/);
    expect(parsed.trades[0]!.legs).toHaveLength(1);
  });

  it("rejects rows with specific, combined reasons and their row numbers", () => {
    const parsed = parse([
      "1,EURUSD,hold,2025-04-03 10:00,2025-04-03 11:00,0.1,1.1,1.2,10,,",
      "2,,buy,2025-04-03 10:00,2025-04-03 11:00,abc,1.1,1.2,10,,",
      "3,EURUSD,buy,2025-04-03 10:00,2025-04-03 11:00,0.1,1.1,,10,,",
      "4,EURUSD,buy,2025-04-03 12:00,2025-04-03 11:00,0.1,1.1,1.2,10,,",
      "5,EURUSD,buy,2025-04-03 10:00,2025-04-03 11:00,0.1,1.1,1.2,,,",
      "6,EURUSD,buy,2025-04-03 10:00,2025-04-03 11:00,0.1,1.1,1.2,10,,",
      "6,EURUSD,buy,2025-04-03 10:00,2025-04-03 11:00,0.1,1.1,1.2,10,,",
    ]);
    expect(parsed.rejected.map(({ row, reason }) => ({ row, reason }))).toEqual([
      { row: 2, reason: 'Side "hold" is not buy or sell' },
      { row: 3, reason: 'Symbol is empty; Volume "abc" is not a number' },
      { row: 4, reason: "Close price is empty" },
      { row: 5, reason: "Close time is before open time" },
      { row: 6, reason: "Profit is empty for a closed trade" },
      { row: 8, reason: "Ticket 6 appears again (first on row 7); each position is imported once" },
    ]);
    expect(parsed.trades).toHaveLength(1);
    expect(parsed.rejected[0]!.values).toMatchObject({ Ticket: "1", Side: "hold" });
  });

  it("reads tab-separated files with decimal commas", () => {
    const text = [
      HEADER.replaceAll(",", "\t"),
      ["1", "EURUSD", "buy", "2025-04-03 10:00", "2025-04-03 11:00", "0,1", "1,1", "1,2", "1.000,50", "", "-0,7"].join("\t"),
    ].join("\n");
    const outcome = parseGenericCsv(text, options);
    expect(outcome.ok && outcome.parsed.trades[0]).toMatchObject({
      volume: "0.1",
      entryPrice: "1.1",
      exitPrice: "1.2",
      grossProfit: "1000.5",
      commission: "-0.7",
    });
  });

  it("skips preamble lines above the header and blank lines between rows", () => {
    const outcome = parseGenericCsv(
      [
        "Trade history",
        "",
        HEADER,
        "1,EURUSD,buy,2025-04-03 10:00,2025-04-03 11:00,0.1,1.1,1.2,10,,",
        "",
        "2,EURUSD,buy,2025-04-04 10:00,2025-04-04 11:00,0.1,1.1,1.2,10,,",
      ].join("\n"),
      options,
    );
    expect(outcome.ok && outcome.parsed.trades.map((trade) => trade.positionId)).toEqual(["1", "2"]);
    expect(outcome.ok && outcome.parsed.sourceRowCount).toBe(2);
  });

  it("asks for a mapping, keeping the user's valid choices in the suggestion", () => {
    const outcome = parseGenericCsv(`${HEADER}\n1,EURUSD,buy,2025-04-03 10:00,2025-04-03 11:00,0.1,1.1,1.2,10,,`, {
      ...options,
      columnMapping: { symbol: "Symbol", side: "Side", volume: "Lots", openPrice: "Gone" },
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok || !("mapping" in outcome)) return;
    expect(outcome.error.message).toContain("still missing: Open time, Open price");
    expect(outcome.mapping.suggested).toMatchObject({ symbol: "Symbol", side: "Side", volume: "Lots", positionId: "Ticket", openTime: "Open" });
    expect(outcome.mapping.sampleRows).toEqual([["1", "EURUSD", "buy", "2025-04-03 10:00", "2025-04-03 11:00", "0.1", "1.1", "1.2", "10", "", ""]]);
    expect(outcome.mapping.fields.filter((field) => field.required).map((field) => field.name)).toEqual([
      "symbol",
      "side",
      "openTime",
      "volume",
      "openPrice",
    ]);
  });
});

describe("findHeaderRow", () => {
  it("skips title lines, even ones with a date, above the header", () => {
    const rows = [
      ["Report", "", "", ""],
      ["Name: History ", "Produced At: 17/06/2026 19:49", "", ""],
      ["Symbol", "Type", "Volume", "Profit"],
      ["EURUSD", "buy", "0.1", "10"],
    ];
    expect(findHeaderRow(rows)).toBe(2);
  });
});
