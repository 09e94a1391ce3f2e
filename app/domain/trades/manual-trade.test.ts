import { describe, expect, it } from "vitest";
import { CATALOGUE } from "../instruments/catalogue.ts";
import {
  buildManualTrade,
  manualPositionId,
  prefilledConversionRate,
  rateFromQuotes,
  suggestedConversionRate,
  tradeFigures,
  type ManualTradeValues,
} from "./manual-trade.ts";

const base: ManualTradeValues = {
  accountId: "a",
  accountCurrency: "USD",
  symbol: "USDCHF",
  brokerSymbol: "USDCHF.z",
  direction: "buy",
  openedAt: new Date("2024-01-10T08:00:00Z"),
  closedAt: new Date("2024-01-12T15:30:00Z"),
  entryPrice: "0.97898",
  exitPrice: "0.95758",
  lots: "0.01",
  stopLoss: "0.96898",
  takeProfit: "0.99898",
  commission: "-0.07",
  swap: "-0.12",
  fee: "0",
  brokerProfit: null,
  conversionRate: null,
  spec: CATALOGUE.get("USDCHF")!,
  comment: null,
};
const id = manualPositionId("00000000-0000-4000-8000-000000000001");

describe("buildManualTrade", () => {
  it("computes a closed trade's P&L in the profit currency and converts it, recording the rate", () => {
    const trade = buildManualTrade(base, { positionId: id });
    expect(trade).toMatchObject({
      positionId: "manual:00000000-0000-4000-8000-000000000001",
      symbol: "USDCHF",
      brokerSymbol: "USDCHF.z",
      status: "closed",
      volume: "0.01",
      closedVolume: "0.01",
      grossProfit: "-22.35",
      commission: "-0.07",
      swap: "-0.12",
      pnlSource: "computed",
      profitCurrency: "CHF",
      pips: "-214",
      initialStopLoss: "0.96898",
      initialRiskAmount: "10.32",
    });
    expect(trade.conversionRate?.startsWith("1.0442991708")).toBe(true);
    expect(trade.raw).toMatchObject({ computed: { grossInProfitCurrency: "-21.4", basis: "inverse-of-price" } });
    expect(trade.legs.map((leg) => [leg.kind, leg.direction, leg.volume, leg.price, leg.profit, leg.commission, leg.swap])).toEqual([
      ["entry", "buy", "0.01", "0.97898", "0", "-0.07", "0"],
      ["exit", "sell", "0.01", "0.95758", "-22.35", "0", "-0.12"],
    ]);
  });

  it("lets the broker-reported P&L take precedence", () => {
    const trade = buildManualTrade({ ...base, brokerProfit: "-22.36" }, { positionId: id });
    expect(trade.grossProfit).toBe("-22.36");
    expect(trade.pnlSource).toBe("user");
    expect(trade.raw).toBeNull();
  });

  it("stores an open trade with one entry leg and no P&L", () => {
    const trade = buildManualTrade({ ...base, closedAt: null, exitPrice: null }, { positionId: id });
    expect(trade).toMatchObject({ status: "open", closedAt: null, exitPrice: null, closedVolume: "0", grossProfit: "0", pips: null });
    expect(trade.legs).toHaveLength(1);
    expect(trade.legs[0]!.swap).toBe("-0.12");
    expect(trade.initialRiskAmount).toBe("10.32");
  });

  it("keeps a stored initial stop on edit and uses the typed stop as the current one", () => {
    const trade = buildManualTrade({ ...base, stopLoss: "0.98000" }, { positionId: id, initialStopLoss: "0.96898" });
    expect(trade.initialStopLoss).toBe("0.96898");
    expect(trade.stopLoss).toBe("0.98000");
  });
});

describe("tradeFigures", () => {
  it("gives the preview's numbers: gross, rate, net, pips, points, planned R", () => {
    const figures = tradeFigures({
      spec: CATALOGUE.get("GBPJPY")!,
      accountCurrency: "USD",
      direction: "buy",
      lots: "3.56",
      entryPrice: "183.456",
      exitPrice: "183.240",
      initialStopLoss: "183.156",
      takeProfit: "184.056",
      brokerProfit: null,
      conversionRate: "0.007067137809",
      commission: "-24.92",
      swap: "0",
      fee: "0",
    });
    expect(figures).toMatchObject({
      profitCurrency: "JPY",
      grossInProfitCurrency: "-76896",
      conversionBasis: "stated",
      grossProfit: "-543.43",
      netProfit: "-568.35",
      pips: "-21.6",
      points: "-216",
      plannedR: "2",
      pnlSource: "computed",
    });
  });

  it("has no computed P&L without a rate, and suggests the implied rate when there is one", () => {
    const gbpjpy = CATALOGUE.get("GBPJPY")!;
    const figures = tradeFigures({
      spec: gbpjpy,
      accountCurrency: "USD",
      direction: "buy",
      lots: "1",
      entryPrice: "190",
      exitPrice: "191",
      initialStopLoss: null,
      takeProfit: null,
      brokerProfit: null,
      conversionRate: null,
      commission: "0",
      swap: "0",
      fee: "0",
    });
    expect(figures.grossProfit).toBeNull();
    expect(figures.grossInProfitCurrency).toBe("100000");
    expect(suggestedConversionRate(gbpjpy, "USD", "191")).toBeNull();
    expect(suggestedConversionRate(CATALOGUE.get("USDCHF")!, "USD", "0.95758")).toBe("1/0.95758");
    expect(suggestedConversionRate(CATALOGUE.get("EURUSD")!, "USD", null)).toBe("1");
  });
});

describe("rateFromQuotes and prefilledConversionRate", () => {
  it("reads a conversion rate from the direct or the inverse pair", () => {
    expect(rateFromQuotes("EUR", "USD", { EURUSD: "1.0842" })).toBe("1.0842");
    expect(rateFromQuotes("JPY", "USD", { USDJPY: "141.5" })).toBe("1/141.5");
    expect(rateFromQuotes("JPY", "USD", {})).toBeNull();
    expect(rateFromQuotes("USD", "USD", {})).toBe("1");
  });

  it("prefers the rate the trade implies over a quote", () => {
    expect(prefilledConversionRate(CATALOGUE.get("USDCHF")!, "USD", "0.9", { USDCHF: "0.95" })).toBe("1/0.9");
    expect(prefilledConversionRate(CATALOGUE.get("GBPJPY")!, "USD", "190", { USDJPY: "150" })).toBe("1/150");
    expect(prefilledConversionRate(CATALOGUE.get("GER40")!, "GBP", "18000", { EURGBP: "0.85" })).toBe("0.85");
    expect(prefilledConversionRate(null, "USD", "1", {})).toBeNull();
  });
});
