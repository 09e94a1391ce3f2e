// The real HFM demo export (tests/fixtures/real, copied from shared/fixtures/real) read as it is. Expected
// values are copied by hand from the report's own rows (Positions, Deals and
// its Results block: Total Net Profit −49.67).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sum, toDecimalString } from "../../decimal.ts";
import { parseMt5XlsxReport } from "./index.ts";

const bytes = new Uint8Array(readFileSync(new URL("../../../../tests/fixtures/real/ReportHistory-hfm-demo.xlsx", import.meta.url)));
const options = { serverTimeZone: "NY+7", marginMode: "hedging" as const, accountCurrency: "USD" };

describe("parseMt5XlsxReport on the real HFM demo report", () => {
  const parsed = parseMt5XlsxReport(bytes, options);

  it("reads the account header", () => {
    expect(parsed.format).toBe("mt5-xlsx");
    expect(parsed.language).toBe("en");
    expect(parsed.account).toEqual({
      login: "57174315",
      name: "Aron Ngeno",
      currency: "USD",
      server: "HFMarketsKE-Demo2",
      company: "HFM Investments Ltd",
      marginMode: "hedging",
      leverage: null,
    });
  });

  it("imports the nine closed positions and the open one, with the broker's totals", () => {
    expect(parsed.rejected).toEqual([]);
    const closed = parsed.trades.filter((t) => t.status === "closed");
    const open = parsed.trades.filter((t) => t.status === "open");
    expect(closed.map((t) => t.positionId)).toEqual([
      "35324172",
      "35324758",
      "35539894",
      "35540587",
      "36757232",
      "36757483",
      "36864085",
      "36864137",
      "36888042",
    ]);
    expect(toDecimalString(sum(closed.map((t) => t.grossProfit)))).toBe("-49.67");
    expect(open.map((t) => [t.positionId, t.brokerSymbol, t.symbol, t.volume, t.entryPrice])).toEqual([
      ["38262913", "NZDUSD.Z", "NZDUSD", "0.01", "0.5888"],
    ]);
  });

  it("converts NY+7 server time to UTC (GMT+3 in April)", () => {
    const first = parsed.trades.find((t) => t.positionId === "35324172")!;
    expect(first.openedAt.toISOString()).toBe("2025-04-15T14:11:31.000Z");
    expect(first.openServerUtcOffsetMinutes).toBe(180);
    expect(first.closedAt?.toISOString()).toBe("2025-04-16T19:25:20.000Z");
  });

  it("matches exit deals to positions, including the two NZDUSD positions closed seconds apart", () => {
    const legs = (id: string) => parsed.trades.find((t) => t.positionId === id)!.legs.map((l) => [l.kind, l.dealId, l.volume, l.price]);
    // Entry deal clipped by the report period: entry leg from the Positions row.
    expect(legs("35324172")).toEqual([
      ["entry", null, "0.01", "1.12895"],
      ["exit", "25615362", "0.01", "1.14086"],
    ]);
    expect(legs("36757232")).toEqual([
      ["entry", "26688606", "0.01", "0.59539"],
      ["exit", "26690110", "0.01", "0.59496"],
    ]);
    expect(legs("36757483")).toEqual([
      ["entry", "26688846", "0.01", "0.59526"],
      ["exit", "26690113", "0.01", "0.59496"],
    ]);
    expect(legs("36864085")).toEqual([
      ["entry", "26786837", "0.02", "162.138"],
      ["exit", "27056190", "0.02", "163.269"],
    ]);
    const usdchf = parsed.trades.find((t) => t.positionId === "36888042")!;
    expect(usdchf).toMatchObject({ direction: "sell", closeReason: "so", grossProfit: "-17.56", stopLoss: "0.83516", takeProfit: "0.81283" });
    // An empty T / P cell is no take profit.
    expect(parsed.trades.find((t) => t.positionId === "36864137")!.takeProfit).toBeNull();
    expect(parsed.trades.find((t) => t.positionId === "35324172")!.closeReason).toBe("tp");
  });

  it("puts the deposit in the cash ledger and never reads the Balance column as P&L", () => {
    expect(parsed.cash).toEqual([
      {
        dealId: "28133464",
        kind: "deposit",
        amount: "50",
        occurredAt: new Date("2025-05-12T13:33:07.000Z"),
        serverUtcOffsetMinutes: 180,
        comment: "Client Demo Deposit",
      },
    ]);
    // 9 positions + 24 orders + 18 deals + 1 open position.
    expect(parsed.sourceRowCount).toBe(9 + 24 + 18 + 1);
  });
});
