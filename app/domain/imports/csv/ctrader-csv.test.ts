import { describe, expect, it } from "vitest";
import { parseCtraderCsv } from "./ctrader-csv.ts";

const options = { serverTimeZone: "NY+7", marginMode: "hedging" as const, accountCurrency: "USD" };

describe("parseCtraderCsv", () => {
  it("refuses an export without opening times, naming the missing columns", () => {
    const text =
      "Symbol,Opening Direction,Closing Time (UTC+3),Entry price,Closing price,Closing Quantity,Net USD,Balance USD\nNAS100,Buy,03 Jun 2026 14:34:12.258,30717.3,30757.8,5 Lots,202.50,1 536.11";
    expect(parseCtraderCsv(text, options)).toEqual({
      ok: false,
      format: "ctrader-csv",
      error: { code: "unknown-format", message: expect.stringContaining("lacks Opening time") },
    });
  });

  it("rejects quantities that are units rather than lots", () => {
    const text =
      "ID,Symbol,Opening Direction,Opening Time,Closing Time,Entry Price,Closing Price,Closing Quantity,Net USD\n1,EURUSD,Buy,2026-01-10 10:00:00,2026-01-10 11:00:00,1.085,1.086,100000,100";
    const outcome = parseCtraderCsv(text, options);
    expect(outcome.ok && outcome.parsed.rejected[0]).toMatchObject({ row: 2, reason: expect.stringContaining("looks like units, not lots") });
  });

  it("reads times without an offset in the header as server time", () => {
    const text =
      "ID,Symbol,Opening Direction,Opening Time,Closing Time,Entry Price,Closing Price,Closing Quantity,Gross USD\n1,EURUSD,Sell,2026-01-10 10:00:00,2026-01-10 11:00:00,1.086,1.085,1 Lots,100";
    const outcome = parseCtraderCsv(text, options);
    // NY+7 is UTC+2 in January.
    expect(outcome.ok && outcome.parsed.trades[0]).toMatchObject({
      openedAt: new Date("2026-01-10T08:00:00Z"),
      openServerUtcOffsetMinutes: 120,
      grossProfit: "100",
    });
  });
});
