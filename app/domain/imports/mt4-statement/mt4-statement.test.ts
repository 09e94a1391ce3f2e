// The real MT4 Detailed Statement (tests/fixtures/real/mt4-Statement.htm, copied from shared/fixtures/real).
// Expected totals are the statement's own printed totals row:
// Commission −2 265.77, Taxes 0.00, Swap −308.60, Profit 10 780.02,
// Closed P/L 8 205.65; 124 closed trades, 1 open trade, 3 cancelled orders,
// 1 deposit of 100 000.00 (counted by hand from the file).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sum, toDecimalString } from "../../decimal.ts";
import { parseMt4Statement } from "./index.ts";

const text = readFileSync(new URL("../../../../tests/fixtures/real/mt4-Statement.htm", import.meta.url), "latin1");
const options = { serverTimeZone: "NY+7", marginMode: "hedging" as const, accountCurrency: "USD" };

describe("parseMt4Statement", () => {
  const parsed = parseMt4Statement(text, options);
  const closed = parsed.trades.filter((t) => t.status === "closed");

  it("reads every closed trade and reproduces the statement totals", () => {
    expect(parsed.rejected).toEqual([]);
    expect(closed).toHaveLength(124);
    expect(toDecimalString(sum(closed.map((t) => t.commission)))).toBe("-2265.77");
    expect(toDecimalString(sum(closed.map((t) => t.swap)))).toBe("-308.6");
    expect(toDecimalString(sum(closed.map((t) => t.grossProfit)))).toBe("10780.02");
    expect(toDecimalString(sum(closed.flatMap((t) => [t.commission, t.swap, t.grossProfit, t.fee])))).toBe("8205.65");
    expect(parsed.warnings).toContain("3 cancelled or expired pending order(s) were skipped.");
  });

  it("reads the audusd row with space thousands, lowercase symbol and the title comment", () => {
    const trade = parsed.trades.find((t) => t.positionId === "77896825")!;
    expect(trade).toMatchObject({
      symbol: "AUDUSD",
      brokerSymbol: "audusd",
      direction: "buy",
      volume: "5.54",
      entryPrice: "0.68287",
      stopLoss: "0.68288",
      takeProfit: "0.68546",
      exitPrice: "0.68546",
      commission: "-18.92",
      swap: "-147.92",
      grossProfit: "1434.86",
      fee: "0",
      closeReason: "tp",
      comment: "#2022052714 [tp]",
    });
    // 2023.12.27 04:01:43 at GMT+2 (NY+7 in winter).
    expect(trade.openedAt.toISOString()).toBe("2023-12-27T02:01:43.000Z");
    expect(trade.legs.map((l) => [l.kind, l.volume, l.price])).toEqual([
      ["entry", "5.54", "0.68287"],
      ["exit", "5.54", "0.68546"],
    ]);
  });

  it("imports open trades as open and the deposit as cash", () => {
    expect(parsed.trades.filter((t) => t.status === "open").map((t) => [t.positionId, t.direction, t.volume, t.commission, t.closedAt])).toEqual([
      ["78412103", "sell", "4.95", "-16.3", null],
    ]);
    expect(parsed.cash.map((c) => [c.dealId, c.kind, c.amount, c.comment])).toEqual([["75408826", "deposit", "100000", "Deposited using API"]]);
    expect(parsed.account).toMatchObject({ login: "2100104808", name: "jsacap_MT4", currency: "USD", company: "Tradeslide Trading Tech Limited" });
  });

  it("treats 0.00000 SL/TP as none and rejects an unreadable row with a reason", () => {
    const broken = text.replace("<td class=mspt>5.54</td>", "<td class=mspt>abc</td>");
    const result = parseMt4Statement(broken, options);
    expect(result.rejected).toEqual([
      expect.objectContaining({ section: "Closed Transactions", reason: expect.stringMatching(/row \d+: "Size" is "abc", not a number/) }),
    ]);
    const zeroStops = parseMt4Statement(
      text.replace('<td style="mso-number-format:0\\.00000;">0.68288</td>', '<td style="mso-number-format:0\\.00000;">0.00000</td>'),
      options,
    );
    expect(zeroStops.trades.find((t) => t.positionId === "77896825")!.stopLoss).toBeNull();
  });
});

describe("parseMt4Statement on the hand-built fixture (tests/fixtures/imports/mt4)", () => {
  const dir = new URL("../../../../tests/fixtures/imports/mt4/", import.meta.url);
  const parsed = parseMt4Statement(readFileSync(new URL("statement-small.htm", dir), "latin1"), options);
  const expected = JSON.parse(readFileSync(new URL("statement-small.expected.json", dir), "utf8")) as {
    account: unknown;
    trades: Record<string, unknown>[];
    closedPl: string;
    cash: string[][];
    sourceRowCount: number;
  };

  it("matches the hand-worked trades, cash and Closed P/L", () => {
    expect(parsed.rejected).toEqual([]);
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
        entryPrice: t.entryPrice,
        exitPrice: t.exitPrice,
        stopLoss: t.stopLoss,
        takeProfit: t.takeProfit,
        grossProfit: t.grossProfit,
        commission: t.commission,
        swap: t.swap,
        fee: t.fee,
        closeReason: t.closeReason,
        comment: t.comment,
      })),
    ).toEqual(expected.trades);
    const closed = parsed.trades.filter((t) => t.status === "closed");
    expect(toDecimalString(sum(closed.flatMap((t) => [t.commission, t.fee, t.swap, t.grossProfit])))).toBe(expected.closedPl);
    expect(parsed.cash.map((c) => [c.dealId, c.kind, c.amount, c.comment])).toEqual(expected.cash);
    expect(parsed.sourceRowCount).toBe(expected.sourceRowCount);
  });
});

// Fyntura prints each ticket's magic number in a row of its own under it
// (`<td colspan=9>&nbsp;</td><td>21000</td>`). Counted from the file with a
// regular expression over its rows: 302 buy/sell tickets, 292 followed by a
// magic row (21000 ×105, 5421 ×80, 423164 ×42, 5431 ×32, …); the magic rows of
// cancelled pending orders belong to no trade.
describe("parseMt4Statement magic numbers (tests/fixtures/real/public/mt4-fyntura)", () => {
  const fyntura = readFileSync(new URL("../../../../tests/fixtures/real/public/mt4-fyntura/Statement.htm", import.meta.url), "latin1");
  const parsed = parseMt4Statement(fyntura, options);

  it("stores the magic number printed under each trade", () => {
    expect(parsed.trades).toHaveLength(302);
    const counts = new Map<string, number>();
    for (const trade of parsed.trades) if (trade.magic !== null) counts.set(trade.magic, (counts.get(trade.magic) ?? 0) + 1);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(292);
    expect(counts.get("21000")).toBe(105);
    expect(counts.get("5421")).toBe(80);
    expect(counts.get("423164")).toBe(42);
    expect(counts.get("5431")).toBe(32);
    expect(counts.get("135797531")).toBe(3);
    expect(parsed.trades.find((t) => t.positionId === "2175250")?.magic).toBe("21000");
  });

  it("leaves magic empty where the statement prints none", () => {
    expect(parseMt4Statement(text, options).trades.filter((t) => t.magic !== null)).toEqual([]);
  });
});

// OANDA's statement (tests/fixtures/real/public/mt4-oanda) has three balance
// rows: ADJUSTMENT 5 000.00 and two "Financing" rows (−2.46, −0.08); its
// Summary prints Deposit/Withdrawal 4 997.46, which counts them all.
describe("parseMt4Statement financing rows (tests/fixtures/real/public/mt4-oanda)", () => {
  const oanda = readFileSync(new URL("../../../../tests/fixtures/real/public/mt4-oanda/Statement.htm", import.meta.url), "latin1");
  const parsed = parseMt4Statement(oanda, options);

  it("classifies Financing balance rows as financing, not withdrawals", () => {
    expect(parsed.cash.map((c) => [c.dealId, c.kind, c.amount, c.comment])).toEqual([
      ["232892964", "deposit", "5000", "ADJUSTMENT"],
      ["233130479", "financing", "-2.46", "Financing"],
      ["233948356", "financing", "-0.08", "Financing"],
    ]);
    expect(toDecimalString(sum(parsed.cash.map((c) => c.amount)))).toBe(parsed.summary?.depositWithdrawal);
  });
});
