// Trades for the legs-in-row tests (docs/decisions/017): single entry/exit
// pairs of both directions, an open position, and positions whose legs must
// stay rows (a scale-in, an exit whose profit is not the trade's).
import type { TradeInput, TradeLegInput } from "../../app/domain/trades/types.ts";

export function pairLeg(fields: Partial<TradeLegInput> = {}): TradeLegInput {
  return {
    dealId: "9001",
    orderId: "8001",
    kind: "entry",
    direction: "buy",
    executedAt: new Date("2026-03-02T09:15:00Z"),
    serverUtcOffsetMinutes: 120,
    volume: "0.50",
    price: "1.08250",
    profit: "0",
    commission: "-1.75",
    swap: "0",
    fee: "0",
    reason: "client",
    comment: "entry note",
    ...fields,
  };
}

/** A closed buy, one entry and one exit deal, with commission on both deals and profit and swap on the exit. */
export function closedPair(positionId: string, fields: Partial<TradeInput> = {}): TradeInput {
  return {
    positionId,
    symbol: "EURUSD",
    brokerSymbol: "EURUSD.Z",
    direction: "buy",
    status: "closed",
    openedAt: new Date("2026-03-02T09:15:00Z"),
    closedAt: new Date("2026-03-02T11:40:00Z"),
    openServerUtcOffsetMinutes: 120,
    closeServerUtcOffsetMinutes: 120,
    volume: "0.50",
    closedVolume: "0.50",
    entryPrice: "1.08250",
    exitPrice: "1.08420",
    initialStopLoss: null,
    stopLoss: "1.08100",
    takeProfit: null,
    grossProfit: "85.00",
    commission: "-3.50",
    swap: "-0.42",
    fee: "0",
    pnlSource: "broker",
    profitCurrency: null,
    conversionRate: null,
    pips: null,
    initialRiskAmount: null,
    closeReason: "tp",
    magic: null,
    comment: "entry note",
    raw: { section: "Positions", row: 1 },
    legs: [
      pairLeg({ dealId: `${positionId}1` }),
      pairLeg({
        dealId: `${positionId}2`,
        orderId: "8002",
        kind: "exit",
        direction: "sell",
        executedAt: new Date("2026-03-02T11:40:00Z"),
        price: "1.08420",
        profit: "85.00",
        swap: "-0.42",
        reason: "tp",
        comment: "[tp 1.08420]",
      }),
    ],
    ...fields,
  };
}

/** A closed sell whose exit deal carries a fee and no commission. */
export function closedSellPair(positionId: string): TradeInput {
  const trade = closedPair(positionId, { direction: "sell", grossProfit: "-12.30", commission: "-1.75", fee: "-0.20", swap: "0" });
  trade.legs = [
    pairLeg({ dealId: `${positionId}1`, direction: "sell", reason: null, comment: null }),
    pairLeg({
      dealId: `${positionId}2`,
      orderId: null,
      kind: "exit",
      direction: "buy",
      executedAt: new Date("2026-03-02T11:40:00Z"),
      price: "1.08420",
      profit: "-12.30",
      commission: "0",
      fee: "-0.20",
      reason: null,
      comment: null,
    }),
  ];
  return trade;
}

/** Still open: one entry deal, nothing closed. */
export function openEntry(positionId: string): TradeInput {
  const trade = closedPair(positionId, {
    status: "open",
    closedAt: null,
    closeServerUtcOffsetMinutes: null,
    closedVolume: "0",
    exitPrice: null,
    grossProfit: "0",
    commission: "-1.75",
    swap: "0",
    closeReason: null,
  });
  trade.legs = [trade.legs[0]!];
  return trade;
}

/** Two entries (a scale-in) and one exit: its legs stay rows. */
export function scaleIn(positionId: string): TradeInput {
  const trade = closedPair(positionId, { volume: "1.00", closedVolume: "1.00", entryPrice: "1.082750" });
  trade.legs = [
    pairLeg({ dealId: `${positionId}1` }),
    pairLeg({ dealId: `${positionId}3`, executedAt: new Date("2026-03-02T09:30:00Z"), price: "1.08300" }),
    { ...trade.legs[1]!, volume: "1.00" },
  ];
  return trade;
}

/** One entry and one exit, but the exit deal's profit is not the trade's (a report's fallback): rows. */
export function disagreeingPair(positionId: string): TradeInput {
  const trade = closedPair(positionId);
  trade.legs = [trade.legs[0]!, { ...trade.legs[1]!, profit: "80.00" }];
  return trade;
}
