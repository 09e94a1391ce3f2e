// Quirks of the public real exports (tests/fixtures/real/public, SOURCES.md
// there): expected values are read off the files' own cells, not the parser.
import { readFileSync } from "node:fs";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { decimalPlaces, sum, toDecimalString } from "../../decimal.ts";
import type { ParsedImport } from "../../trades/types.ts";
import { parseImportFile } from "../parse-import.ts";
import { isDoubleNoise, withoutDoubleNoise } from "./excel-noise.ts";

const options = { serverTimeZone: "UTC", marginMode: "hedging", accountCurrency: "USD" } as const;
const bytesOf = (path: string) => new Uint8Array(readFileSync(new URL(`../../../../tests/fixtures/real/${path}`, import.meta.url)));

function parse(bytes: Uint8Array): ParsedImport {
  const outcome = parseImportFile(bytes, options);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.parsed;
}

describe("binary-double noise", () => {
  it("reads a re-saved double back to the printed figure, and leaves printed figures alone", () => {
    expect(isDoubleNoise("0.88683999999999996")).toBe(true);
    expect(withoutDoubleNoise("0.88683999999999996", 5)).toBe("0.88684");
    expect(withoutDoubleNoise("2.0699999999999998", 2)).toBe("2.07");
    expect(withoutDoubleNoise("-0.20000000000000001", 2)).toBe("-0.2");
    // Fourteen significant digits can be printed (a large balance): never rounded.
    expect(isDoubleNoise("123456789012.34")).toBe(false);
    expect(withoutDoubleNoise("1.29634333", 5)).toBe("1.29634333");
    // Still longer than the symbol prints after the shortest read-back: the symbol's digits.
    expect(withoutDoubleNoise("1.123456789012345", 5)).toBe("1.12346");
  });
});

describe("the Slovak IC Markets report (Positions only, numbers re-saved by Excel)", () => {
  const parsed = parse(bytesOf("public/icmarkets-sk/ReportHistory-7024848.xlsx"));

  it("imports its 412 closed positions with the file's totals (Komisia −999.88, Swap −475.64, Zisk 9437.19)", () => {
    const closed = parsed.trades.filter((trade) => trade.status === "closed");
    expect(closed).toHaveLength(412);
    expect(parsed.trades).toHaveLength(412);
    expect(toDecimalString(sum(closed.map((trade) => trade.commission)))).toBe("-999.88");
    expect(toDecimalString(sum(closed.map((trade) => trade.swap)))).toBe("-475.64");
    expect(toDecimalString(sum(closed.map((trade) => trade.grossProfit)))).toBe("9437.19");
    expect(parsed.rejected).toEqual([]);
    expect(parsed.warnings).toEqual([
      "The report has no Deals section, so its 412 closed position(s) were imported from their Positions rows alone (one entry and one exit each, without deal ids).",
    ]);
  });

  it("stores prices with the symbol's digits and money in cents, never the 17-digit doubles", () => {
    // Row 8 of the sheet: 0.88683999999999996, empty S / L and T / P, 0.88988999999999996, −0.06, −0.02, 2.0699999999999998.
    const first = parsed.trades.find((trade) => trade.positionId === "739899173")!;
    expect(first).toMatchObject({
      symbol: "AUDCAD",
      volume: "0.01",
      entryPrice: "0.88684",
      exitPrice: "0.88989",
      stopLoss: null,
      takeProfit: null,
      grossProfit: "2.07",
      commission: "-0.06",
      swap: "-0.02",
    });
    for (const trade of parsed.trades) {
      for (const price of [trade.entryPrice, trade.exitPrice, ...trade.legs.map((leg) => leg.price)])
        expect(decimalPlaces(price!)).toBeLessThanOrEqual(5);
      for (const money of [trade.grossProfit, trade.commission, trade.swap]) expect(decimalPlaces(money)).toBeLessThanOrEqual(2);
    }
  });
});

describe("exits on one symbol in the same second at the same price (MetaQuotes demo, 743 positions)", () => {
  const parsed = parse(bytesOf("public/metaquotes-bg-en/ReportHistory-70358000.html"));
  const exitsOf = (id: string) => parsed.trades.find((trade) => trade.positionId === id)!.legs.filter((leg) => leg.kind === "exit");

  it("gives every exit its deal: none is left to a Positions-row leg", () => {
    const withoutDeal = parsed.trades.filter((trade) => trade.legs.some((leg) => leg.kind === "exit" && leg.dealId === null));
    expect(withoutDeal).toEqual([]);
    expect(parsed.warnings).toEqual([]);
  });

  it("tells two USDCHF exits at 08:14:00, 0.89723, 0.03 lots apart by their profit", () => {
    // Deals 1747201364 (profit 0.43, comment 300003) and 1747201366 (−0.09, 300020).
    expect(exitsOf("1771896972").map((leg) => [leg.dealId, leg.profit])).toEqual([["1747201366", "-0.09"]]);
    expect(exitsOf("1771898298").map((leg) => [leg.dealId, leg.profit])).toEqual([["1747201364", "0.43"]]);
  });

  it("gives positions alike in every figure one deal each", () => {
    // USDJPY 1771911418 and 1771911420: same open second and price, close 08:16:00 at 143.119, profit 0.59.
    const deals = [exitsOf("1771911418"), exitsOf("1771911420")].map((legs) => legs.map((leg) => leg.dealId));
    expect(deals.flat()).toHaveLength(2);
    expect(new Set(deals.flat()).size).toBe(2);
    expect(deals.flat().every((deal) => deal !== null)).toBe(true);
  });
});

describe("a partly closed position (FTMO, French)", () => {
  it('reads its Positions row "0.02 / 0.05" as the closed part of the open position, not as a bad volume', () => {
    const parsed = parse(bytesOf("public/ftmo-fr/ReportHistory-1513621052.xlsx"));
    expect(parsed.rejected).toEqual([]);
    // Positions row 372 (0.02 of 0.05 closed at 0.69183, profit 5.54) and Open Positions row 1 (0.03 left).
    const trade = parsed.trades.find((t) => t.positionId === "479327047")!;
    expect(trade).toMatchObject({ status: "open", volume: "0.05", closedVolume: "0.02", grossProfit: "5.54" });
    expect(trade.legs.map((leg) => [leg.kind, leg.dealId, leg.volume])).toEqual([
      ["entry", "459755870", "0.05"],
      ["exit", "460269657", "0.02"],
    ]);
  });
});

describe("a workbook re-saved without its Positions title row", () => {
  // The HFM export with the "Positions" title cell emptied, as a user deleting the row would leave it.
  function withoutPositionsTitle(bytes: Uint8Array): Uint8Array {
    const files = unzipSync(bytes);
    const part = files["xl/sharedStrings.xml"]!;
    const utf16 = part[0] === 0xff && part[1] === 0xfe;
    const xml = utf16 ? new TextDecoder("utf-16le").decode(part.subarray(2)) : strFromU8(part);
    const doctored = xml.replace("<t>Positions</t>", "<t></t>");
    expect(doctored).not.toBe(xml);
    files["xl/sharedStrings.xml"] = utf16 ? new Uint8Array([0xff, 0xfe, ...Buffer.from(doctored, "utf16le")]) : strToU8(doctored);
    return zipSync(files);
  }

  it("says the Positions section is missing, not that positions opened before the report period", () => {
    const parsed = parse(withoutPositionsTitle(bytesOf("ReportHistory-hfm-demo.xlsx")));
    expect(parsed.warnings.join("\n")).toContain('The report has no Positions section: its "Positions" title row is missing');
    expect(parsed.warnings.join("\n")).not.toContain("before the report period");
    const exits = parsed.rejected.filter((row) => row.reason.includes(" out deal "));
    expect(exits.length).toBeGreaterThan(0);
    for (const row of parsed.rejected) expect(row.reason).not.toContain("before the report period");
    expect(exits[0]!.reason).toContain("cannot be matched to a position because the report has no Positions section");
    // The open position is still read from Open Positions.
    expect(parsed.trades.map((trade) => [trade.positionId, trade.status])).toEqual([["38262913", "open"]]);
  });

  it("the user-edited XM workbook gets the same explanation", () => {
    const parsed = parse(bytesOf("public/xm-en/ReportHistory-314575560.xlsx"));
    expect(parsed.warnings.join("\n")).toContain("The report has no Positions section");
    expect(parsed.rejected.some((row) => row.reason.includes("before the report period"))).toBe(false);
  });
});

describe("Trade Account Reports (open positions only)", () => {
  it.each([
    ["public/ftmo-fr/ReportTrade-1512498604.xlsx", "Rapport d'opérations du compte de trading"],
    ["public/oanda-jp/ReportTrade-400078005.html", "トレード口座レポート"],
  ])("%s is refused, saying what it is and what to export", (path, title) => {
    const outcome = parseImportFile(bytesOf(path), options);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe("unknown-format");
    expect(outcome.error.message).toContain(`This is an MT5 Trade Account Report ("${title}")`);
    expect(outcome.error.message).toContain("History tab");
    expect(outcome.error.message).toContain("Trade History Report instead");
  });
});
