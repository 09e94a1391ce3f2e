import { describe, expect, it } from "vitest";
import { csvCell, csvRow, neutraliseText, TRADE_CSV_COLUMNS, tradeCsvHeader, tradeCsvRow, type TradeCsvRecord } from "./csv-export.ts";

describe("neutraliseText", () => {
  it.each([
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ["+1+1", "'+1+1"],
    ["-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["\t=1+1", "'\t=1+1"],
    ["\r=1+1", "'\r=1+1"],
  ])("prefixes %j with an apostrophe", (input, expected) => {
    expect(neutraliseText(input)).toBe(expected);
  });

  it("leaves ordinary text alone", () => {
    expect(neutraliseText("EURUSD")).toBe("EURUSD");
    expect(neutraliseText("a=b")).toBe("a=b");
    expect(neutraliseText("")).toBe("");
  });
});

describe("csvCell", () => {
  it("keeps our own decimals as numbers, negative ones included", () => {
    expect(csvCell({ number: "-22.35" })).toBe("-22.35");
    expect(csvCell({ number: "1434.86" })).toBe("1434.86");
    expect(csvCell({ number: null })).toBe("");
  });

  it("treats a 'number' that is not a plain decimal as text", () => {
    expect(csvCell({ number: "-1+cmd" })).toBe("'-1+cmd");
    expect(csvCell({ number: "=1,2" })).toBe(`"'=1,2"`);
  });

  it("quotes commas, quotes and line breaks (RFC 4180) after neutralising", () => {
    expect(csvCell({ text: 'said "hi", left' })).toBe(`"said ""hi"", left"`);
    expect(csvCell({ text: "line\nbreak" })).toBe(`"line\nbreak"`);
    expect(csvCell({ text: '=HYPERLINK("x")' })).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell({ text: null })).toBe("");
  });

  it("ends rows with CRLF", () => {
    expect(csvRow([{ text: "a" }, { number: "1" }, { text: null }])).toBe("a,1,\r\n");
  });
});

describe("trade rows", () => {
  const trade: TradeCsvRecord = {
    id: "8c0f6a52-1b51-4c1b-9d0e-0f3f4f0a0a01",
    accountName: "=Prop, firm",
    accountCurrency: "USD",
    positionId: "123456",
    symbol: "EURUSD",
    brokerSymbol: "EURUSD.z",
    direction: "sell",
    status: "closed",
    openedAt: "2026-03-02T09:15:00.000Z",
    closedAt: "2026-03-02T11:40:00.000Z",
    volume: "0.5",
    closedVolume: "0.5",
    entryPrice: "1.0825",
    exitPrice: "1.0842",
    initialStopLoss: null,
    stopLoss: null,
    takeProfit: null,
    grossProfit: "-85",
    commission: "-3.5",
    swap: "0",
    fee: "0",
    netProfit: "-88.5",
    pnlSource: "broker",
    profitCurrency: null,
    conversionRate: null,
    pips: "-17",
    sessionTag: "london",
    closeReason: "sl",
    source: "file",
    tags: ["@revenge", "news"],
    hasJournal: true,
    comment: "+cmd",
  };

  it("has one header cell per column and the row in the same order", () => {
    const header = tradeCsvHeader();
    expect(header.trimEnd().split(",")).toEqual([...TRADE_CSV_COLUMNS]);
    const row = tradeCsvRow(trade);
    expect(row).toBe(
      '8c0f6a52-1b51-4c1b-9d0e-0f3f4f0a0a01,"\'=Prop, firm",USD,123456,EURUSD,EURUSD.z,sell,closed,' +
        "2026-03-02T09:15:00.000Z,2026-03-02T11:40:00.000Z,0.5,0.5,1.08250,1.08420,,,,-85,-3.5,0,0,-88.5," +
        "broker,,,-17,london,sl,file,'@revenge; news,yes,'+cmd\r\n",
    );
  });

  it("writes prices with the symbol's digits as the broker prints them, never rounding an average of fills", () => {
    const cells = (record: TradeCsvRecord) =>
      tradeCsvRow({ ...record, accountName: "Main" })
        .trimEnd()
        .split(",");
    const at = (name: string) => TRADE_CSV_COLUMNS.indexOf(name as (typeof TRADE_CSV_COLUMNS)[number]);
    const vwap = cells({ ...trade, exitPrice: "1.29634333", initialStopLoss: "1.081", takeProfit: "1.07" });
    expect([vwap[at("entry_price")], vwap[at("exit_price")], vwap[at("initial_stop_loss")], vwap[at("take_profit")]]).toEqual([
      "1.08250",
      "1.29634333",
      "1.08100",
      "1.07000",
    ]);
    const gold = cells({ ...trade, symbol: "XAUUSD", entryPrice: "2315.4", exitPrice: "2320" });
    expect([gold[at("entry_price")], gold[at("exit_price")]]).toEqual(["2315.40", "2320.00"]);
    // A symbol the catalogue does not know keeps the stored text.
    const unknown = cells({ ...trade, symbol: "ZZZ.CASH", entryPrice: "101.5" });
    expect(unknown[at("entry_price")]).toBe("101.5");
  });
});
