// The MT5 report as an import plan (trades built on demand, inflating by the
// caller's inflater) must be exactly the report as parsed whole: the same
// trades in the same order, the same cash, rejections (with their printed
// values, which for late rejections come from a second read) and warnings.
import { readFileSync } from "node:fs";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { generateMt5ReportWithSummary } from "../../../../tests/fixtures/imports/generate-mt5-report.ts";
import { materialise } from "../import-plan.ts";
import { inflateInPieces, type Inflate } from "../xlsx.ts";
import { parseMt5HtmlReport, parseMt5XlsxReport, planMt5HtmlReport, planMt5XlsxReport } from "./index.ts";

const options = { serverTimeZone: "NY+7", marginMode: "hedging" as const, accountCurrency: "USD" };
const dir = new URL("../../../../tests/fixtures/imports/mt5/", import.meta.url);

const nodeInflate: Inflate = async (compressed, onPiece) => {
  const stream = zlib.createInflateRaw({ chunkSize: 16 * 1024 });
  stream.end(compressed);
  for await (const piece of stream) onPiece(piece as Uint8Array);
};

/** fflate's output cut into pieces of 1 to 13 bytes: every element straddles a piece boundary somewhere. */
const crumbs: Inflate = (compressed, onPiece) =>
  inflateInPieces(compressed, (piece) => {
    for (let at = 0, size = 1; at < piece.length; at += size, size = (size % 13) + 1) onPiece(piece.subarray(at, at + size));
  });

const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe("planMt5XlsxReport", () => {
  const generated = generateMt5ReportWithSummary({ positions: 3000, format: "xlsx", seed: 5 }).bytes;
  const whole = json(parseMt5XlsxReport(generated, options));

  it.each([
    ["Node's zlib", nodeInflate],
    ["fflate", inflateInPieces],
    ["1–13 byte pieces", crumbs],
  ] as const)("builds exactly the trades, cash and warnings of the whole parse (%s)", async (_, inflate) => {
    const plan = await planMt5XlsxReport(generated, options, inflate);
    expect(plan.tradeCount).toBe(3000);
    expect(json(materialise(plan))).toEqual(whole);
  });

  it("hands the trades out in chunks of the size asked for, in file order, and the first ones on their own", async () => {
    const plan = await planMt5XlsxReport(generated, options, nodeInflate);
    const sizes: number[] = [];
    const ids: string[] = [];
    for (const chunk of plan.tradeChunks(700)) {
      sizes.push(chunk.length);
      ids.push(...chunk.map((trade) => trade.positionId));
    }
    expect(sizes).toEqual([700, 700, 700, 700, 200]);
    expect(ids).toEqual(plan.positionIds);
    expect(json(plan.firstTrades(10))).toEqual((whole as { trades: unknown[] }).trades.slice(0, 10));
    expect(plan.openCount).toBe(materialise(plan).trades.filter((trade) => trade.status === "open").length);
  });

  it("does not build the trades the consumer skips (a re-import's stored positions)", async () => {
    const plan = await planMt5XlsxReport(generated, options, nodeInflate);
    const stored = new Set(plan.positionIds.slice(0, 2500));
    const chunks = [...plan.tradeChunks(1000, (id) => stored.has(id))];
    const flat = chunks.flat();
    expect(flat.filter((trade) => "skipped" in trade)).toHaveLength(2500);
    expect(flat.slice(0, 2500).every((trade) => "skipped" in trade && trade.positionId === plan.positionIds[flat.indexOf(trade)])).toBe(true);
    expect(json(flat.slice(2500))).toEqual((whole as { trades: unknown[] }).trades.slice(2500));
  });

  it.each(["hedging-partials", "netting-scale-in", "russian-hedging"])("reads the %s fixture as the whole parse does", async (name) => {
    const bytes = new Uint8Array(readFileSync(new URL(`${name}.xlsx`, dir)));
    const plan = await planMt5XlsxReport(bytes, options, crumbs);
    expect(json(materialise(plan))).toEqual(json(parseMt5XlsxReport(bytes, options)));
  });
});

describe("rejections found after matching", () => {
  // hedging-partials has an exit deal (4999) whose position opened before the report period.
  const expectedValues = {
    Time: "2025.03.01 09:00:00",
    Deal: "4999",
    Symbol: "EURUSD.Z",
    Type: "sell",
    Direction: "out",
    Volume: "0.5",
    Price: "1.09000",
    Order: "1999",
    Commission: "0.00",
    Fee: "0.00",
    Swap: "0.00",
    Profit: "25.00",
    Balance: "25.00",
    Comment: "",
  };

  it("carry the deal's printed values, read again from the HTML rows", () => {
    const html = new TextDecoder("utf-16le").decode(readFileSync(new URL("hedging-partials.htm", dir)));
    const orphan = planMt5HtmlReport(html, options).rejected.find((row) => /deal 4999/.test(row.reason));
    expect(orphan).toMatchObject({ row: 1, section: "Deals", values: expectedValues });
    expect(parseMt5HtmlReport(html, options).rejected).toEqual(planMt5HtmlReport(html, options).rejected);
  });

  it("carry the deal's printed values, read again from the workbook", async () => {
    const bytes = new Uint8Array(readFileSync(new URL("hedging-partials.xlsx", dir)));
    const orphan = (await planMt5XlsxReport(bytes, options, nodeInflate)).rejected.find((row) => /deal 4999/.test(row.reason));
    // The workbook prints money as numbers ("0", "25") where the HTML prints "0.00".
    expect(orphan?.values).toMatchObject({ Time: "2025.03.01 09:00:00", Deal: "4999", Symbol: "EURUSD.Z", Direction: "out", Order: "1999" });
    expect(parseMt5XlsxReport(bytes, options).rejected).toEqual((await planMt5XlsxReport(bytes, options, nodeInflate)).rejected);
  });
});
