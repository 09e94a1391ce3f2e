import { describe, expect, it } from "vitest";
import { parsePositionsCsv } from "./positions-csv.ts";

const options = { serverTimeZone: "Etc/UTC", marginMode: "hedging" as const, accountCurrency: "USD" };
const HEADER =
  "Symbol,Account Number,Position,Position Status,Date Time,Transaction Type,Trade Volume Lots,Open Price,Profit,Commission,Swap,Comment";

function parse(rows: string[]) {
  const outcome = parsePositionsCsv([HEADER, ...rows].join("\n"), options);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.parsed;
}

describe("parsePositionsCsv", () => {
  it("reads optional commission, swap and comment columns onto the legs", () => {
    const parsed = parse([
      "EURUSD,1,10,Closed,1/15/2026 9:00:00 AM,Trade Buy In,1.00,1.10000,0,-3.50,0,",
      "EURUSD,1,10,Closed,1/15/2026 1:30:00 PM,Trade Sell Out,1.00,1.10200,200.00,-3.50,-1.20,[tp 1.10200]",
    ]);
    expect(parsed.trades[0]).toMatchObject({
      positionId: "10",
      status: "closed",
      grossProfit: "200",
      commission: "-7",
      swap: "-1.2",
      closeReason: "tp",
      openedAt: new Date("2026-01-15T09:00:00Z"),
      closedAt: new Date("2026-01-15T13:30:00Z"),
    });
  });

  it("rejects netting reversals and positions that close more than they open", () => {
    const parsed = parse([
      "EURUSD,1,11,Closed,1/15/2026 9:00:00 AM,Trade Buy InOut,1.00,1.10000,0,0,0,",
      "EURUSD,1,12,Closed,1/15/2026 9:00:00 AM,Trade Buy In,0.10,1.10000,0,0,0,",
      "EURUSD,1,12,Closed,1/15/2026 9:30:00 AM,Trade Sell Out,0.20,1.10100,10,0,0,",
      "EURUSD,1,13,Closed,1/15/2026 9:30:00 AM,Deposit,,,1000,0,0,",
    ]);
    expect(parsed.trades).toEqual([]);
    expect(parsed.rejected.map(({ row, reason }) => ({ row, reason }))).toEqual([
      { row: 2, reason: expect.stringContaining("is not supported in this CSV") },
      { row: 3, reason: expect.stringContaining("Position 12 closes 0.2 lots but opens only 0.1") },
      { row: 4, reason: expect.stringContaining("Position 12 closes 0.2 lots but opens only 0.1") },
    ]);
    expect(parsed.cash).toMatchObject([{ kind: "deposit", amount: "1000" }]);
  });

  it("refuses a header without the columns a trade needs", () => {
    const outcome = parsePositionsCsv("Symbol,Position,Date Time,Transaction Type\nEURUSD,1,1/1/2026 1:00:00 AM,Trade Buy In", options);
    expect(outcome).toMatchObject({ ok: false, error: { code: "unknown-format", message: expect.stringContaining("volume, price, profit") } });
  });
});
