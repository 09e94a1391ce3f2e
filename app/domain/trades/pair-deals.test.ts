import { describe, expect, it } from "vitest";
import { pairDeals } from "./pair-deals.ts";
import type { DealInput } from "./types.ts";

let minute = 0;
function deal(partial: Partial<DealInput> & Pick<DealInput, "ticket" | "type">): DealInput {
  minute += 1;
  return {
    orderId: null,
    executedAt: new Date(Date.UTC(2025, 3, 15, 10, minute)),
    serverUtcOffsetMinutes: 180,
    entry: null,
    positionId: null,
    brokerSymbol: "EURUSD.Z",
    volume: "0",
    price: "0",
    commission: "0",
    fee: "0",
    swap: "0",
    profit: "0",
    reason: null,
    comment: null,
    magic: null,
    ...partial,
  };
}

describe("pairDeals — hedging", () => {
  it("prices a position's VWAP by its own deals' decimals, whatever other positions share the batch", () => {
    const gold = () => [
      deal({ ticket: "11", type: "buy", entry: "in", positionId: "200", brokerSymbol: "XAUUSD", volume: "3", price: "2000.10" }),
      deal({ ticket: "12", type: "sell", entry: "out", positionId: "200", brokerSymbol: "XAUUSD", volume: "1", price: "2000.11" }),
      deal({ ticket: "13", type: "sell", entry: "out", positionId: "200", brokerSymbol: "XAUUSD", volume: "2", price: "2000.12" }),
    ];
    const euro = deal({ ticket: "14", type: "buy", entry: "in", positionId: "201", volume: "0.1", price: "1.08312" });
    const alone = pairDeals(gold(), { marginMode: "hedging" }).trades.find((t) => t.positionId === "200");
    const beside = pairDeals([euro, ...gold()], { marginMode: "hedging" }).trades.find((t) => t.positionId === "200");
    // 2000.11666…: two printed decimals + 3.
    expect(alone?.exitPrice).toBe("2000.11667");
    expect(beside?.exitPrice).toBe("2000.11667");
  });

  it("turns a partial close into exit legs of one trade with VWAP prices and summed money", () => {
    const { trades, warnings } = pairDeals(
      [
        deal({ ticket: "1", type: "buy", entry: "in", positionId: "100", volume: "0.30", price: "1.10000", commission: "-2.10" }),
        deal({ ticket: "2", type: "sell", entry: "out", positionId: "100", volume: "0.10", price: "1.10100", profit: "10.00", commission: "-0.70" }),
        deal({
          ticket: "3",
          type: "sell",
          entry: "out",
          positionId: "100",
          volume: "0.20",
          price: "1.10250",
          profit: "50.00",
          swap: "-1.20",
          fee: "-0.30",
          reason: "tp",
        }),
      ],
      { marginMode: "hedging", volumeStep: "0.01" },
    );
    expect(warnings).toEqual([]);
    expect(trades).toHaveLength(1);
    const trade = trades[0]!;
    expect(trade).toMatchObject({
      positionId: "100",
      symbol: "EURUSD",
      brokerSymbol: "EURUSD.Z",
      direction: "buy",
      status: "closed",
      volume: "0.3",
      closedVolume: "0.3",
      entryPrice: "1.1",
      // (0.1 × 1.101 + 0.2 × 1.1025) / 0.3 = 1.102
      exitPrice: "1.102",
      grossProfit: "60",
      commission: "-2.8",
      swap: "-1.2",
      fee: "-0.3",
      closeReason: "tp",
      pnlSource: "broker",
    });
    expect(trade.legs.map((leg) => [leg.kind, leg.dealId, leg.volume])).toEqual([
      ["entry", "1", "0.3"],
      ["exit", "2", "0.1"],
      ["exit", "3", "0.2"],
    ]);
    expect(trade.openedAt.toISOString()).toBe(trades[0]!.legs[0]!.executedAt.toISOString());
    expect(trade.closedAt?.toISOString()).toBe(trade.legs[2]!.executedAt.toISOString());
    expect(trade.openServerUtcOffsetMinutes).toBe(180);
  });

  it("averages scale-in entries and keeps the position open while volume remains", () => {
    const { trades } = pairDeals(
      [
        deal({ ticket: "1", type: "sell", entry: "in", positionId: "7", volume: "1", price: "150.000", brokerSymbol: "USDJPY" }),
        deal({ ticket: "2", type: "sell", entry: "in", positionId: "7", volume: "3", price: "150.400", brokerSymbol: "USDJPY" }),
        deal({ ticket: "3", type: "buy", entry: "out", positionId: "7", volume: "2", price: "149.000", profit: "2000", brokerSymbol: "USDJPY" }),
      ],
      { marginMode: "hedging", volumeStep: "0.01" },
    );
    expect(trades[0]).toMatchObject({
      direction: "sell",
      status: "open",
      volume: "4",
      closedVolume: "2",
      entryPrice: "150.3",
      exitPrice: "149",
      closedAt: null,
      grossProfit: "2000",
    });
  });

  it("closes when the remainder is below half a volume step, and not without a step", () => {
    const deals = [
      deal({ ticket: "1", type: "buy", entry: "in", positionId: "9", volume: "0.1", price: "2000" }),
      deal({ ticket: "2", type: "sell", entry: "out", positionId: "9", volume: "0.099", price: "2010" }),
    ];
    expect(pairDeals(deals, { marginMode: "hedging", volumeStep: "0.01" }).trades[0]!.status).toBe("closed");
    expect(pairDeals(deals, { marginMode: "hedging" }).trades[0]!.status).toBe("open");
  });

  it("gives each side of a close-by its own OUT_BY exit", () => {
    const { trades } = pairDeals(
      [
        deal({ ticket: "1", type: "buy", entry: "in", positionId: "1", volume: "1", price: "1.2" }),
        deal({ ticket: "2", type: "sell", entry: "in", positionId: "2", volume: "1", price: "1.21" }),
        deal({ ticket: "3", type: "sell", entry: "out_by", positionId: "1", volume: "1", price: "1.21", profit: "1000" }),
        deal({ ticket: "4", type: "buy", entry: "out_by", positionId: "2", volume: "1", price: "1.2", profit: "1000" }),
      ],
      { marginMode: "hedging", volumeStep: "0.01" },
    );
    expect(trades.map((t) => [t.positionId, t.direction, t.status, t.exitPrice, t.grossProfit])).toEqual([
      ["1", "buy", "closed", "1.21", "1000"],
      ["2", "sell", "closed", "1.2", "1000"],
    ]);
  });

  it("counts service deals' money but not their price or volume", () => {
    const { trades } = pairDeals(
      [
        deal({ ticket: "1", type: "buy", entry: "in", positionId: "5", volume: "1", price: "100" }),
        deal({ ticket: "2", type: "sell", entry: "out", positionId: "5", volume: "1", price: "99", swap: "-3", reason: "rollover" }),
        deal({ ticket: "3", type: "sell", entry: "out", positionId: "5", volume: "1", price: "110", profit: "10" }),
      ],
      { marginMode: "hedging", volumeStep: "0.01" },
    );
    expect(trades[0]).toMatchObject({ volume: "1", closedVolume: "1", exitPrice: "110", swap: "-3", grossProfit: "10", status: "closed" });
  });

  it("takes commission on IN, OUT or both", () => {
    const run = (inCommission: string, outCommission: string) =>
      pairDeals(
        [
          deal({ ticket: "1", type: "buy", entry: "in", positionId: "5", volume: "1", price: "1", commission: inCommission }),
          deal({ ticket: "2", type: "sell", entry: "out", positionId: "5", volume: "1", price: "1", commission: outCommission }),
        ],
        { marginMode: "hedging" },
      ).trades[0]!.commission;
    expect(run("-3.5", "0")).toBe("-3.5");
    expect(run("0", "-3.5")).toBe("-3.5");
    expect(run("-3.5", "-3.5")).toBe("-7");
  });

  it("does not invent a trade from exits whose entry is missing", () => {
    const orphan = deal({ ticket: "9", type: "sell", entry: "out", positionId: "42", volume: "1", price: "1", profit: "5" });
    const { trades, warnings, unpaired } = pairDeals([orphan], { marginMode: "hedging" });
    expect(trades).toEqual([]);
    expect(unpaired).toEqual([orphan]);
    expect(warnings[0]).toMatch(/Position 42: no entry deal/);
  });
});

describe("pairDeals — netting", () => {
  it("splits an INOUT reversal into trade k and k+1 with pro-rata commission", () => {
    const { trades } = pairDeals(
      [
        deal({ ticket: "1", type: "buy", entry: "in", positionId: "500", volume: "1", price: "1.1000", commission: "-7" }),
        deal({
          ticket: "2",
          type: "sell",
          entry: "inout",
          positionId: "500",
          volume: "3",
          price: "1.1050",
          profit: "500",
          commission: "-21",
          fee: "-0.90",
          swap: "-2",
        }),
        deal({ ticket: "3", type: "buy", entry: "out", positionId: "500", volume: "2", price: "1.1000", profit: "1000", commission: "-14" }),
      ],
      { marginMode: "netting", volumeStep: "0.01" },
    );
    expect(
      trades.map((t) => ({
        id: t.positionId,
        dir: t.direction,
        status: t.status,
        vol: t.volume,
        entry: t.entryPrice,
        exit: t.exitPrice,
        gross: t.grossProfit,
        commission: t.commission,
        fee: t.fee,
        swap: t.swap,
      })),
    ).toEqual([
      // 1 of 3 lots closes trade 1: a third of −21 and −0.90; all the profit and swap.
      { id: "500", dir: "buy", status: "closed", vol: "1", entry: "1.1", exit: "1.105", gross: "500", commission: "-14", fee: "-0.3", swap: "-2" },
      { id: "500#2", dir: "sell", status: "closed", vol: "2", entry: "1.105", exit: "1.1", gross: "1000", commission: "-28", fee: "-0.6", swap: "0" },
    ]);
    expect(trades[1]!.legs.map((leg) => [leg.kind, leg.dealId, leg.volume, leg.commission])).toEqual([
      ["entry", "2", "2", "-14"],
      ["exit", "3", "2", "-14"],
    ]);
  });

  it("adds same-side deals to the open position and closes at zero", () => {
    const { trades } = pairDeals(
      [
        deal({ ticket: "1", type: "sell", entry: "in", positionId: "8", volume: "1", price: "10" }),
        deal({ ticket: "2", type: "sell", entry: "in", positionId: "8", volume: "1", price: "12" }),
        deal({ ticket: "3", type: "buy", entry: "out", positionId: "8", volume: "2", price: "9", profit: "4" }),
      ],
      { marginMode: "netting" },
    );
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({ direction: "sell", volume: "2", entryPrice: "11", exitPrice: "9", status: "closed" });
  });
});

describe("pairDeals — cash and exclusions", () => {
  it("sends cash deals to the ledger by type and sign, ignores cancelled and positionless deals", () => {
    const { trades, cash, warnings } = pairDeals(
      [
        deal({ ticket: "10", type: "balance", profit: "50.00", comment: "Client Demo Deposit" }),
        deal({ ticket: "11", type: "balance", profit: "-20.00" }),
        deal({ ticket: "12", type: "credit", profit: "100" }),
        deal({ ticket: "13", type: "commission_daily", profit: "-1.5" }),
        deal({ ticket: "14", type: "DEAL_TYPE_DIVIDEND_FRANKED", profit: "3" }),
        deal({ ticket: "15", type: "tax", profit: "-0.4" }),
        deal({ ticket: "16", type: "buy_canceled", positionId: "3", volume: "1", price: "1" }),
        deal({ ticket: "17", type: "buy", entry: "in", positionId: "0", volume: "1", price: "1" }),
      ],
      { marginMode: "hedging" },
    );
    expect(trades).toEqual([]);
    expect(cash.map((c) => [c.dealId, c.kind, c.amount])).toEqual([
      ["10", "deposit", "50"],
      ["11", "withdrawal", "-20"],
      ["12", "credit", "100"],
      ["13", "commission", "-1.5"],
      ["14", "dividend", "3"],
      ["15", "tax", "-0.4"],
    ]);
    expect(cash[0]!.comment).toBe("Client Demo Deposit");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Deal 17/);
  });
});
