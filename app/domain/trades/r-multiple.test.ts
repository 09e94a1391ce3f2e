import { describe, expect, it } from "vitest";
import { impliedRiskAmount, plannedR, realisedR, type RInputs } from "./r-multiple.ts";

const buy: RInputs = {
  direction: "buy",
  entryPrice: "1.08250",
  exitPrice: "1.08550",
  initialStopLoss: "1.08100",
  takeProfit: "1.08700",
  netProfit: "142.50",
  initialRiskAmount: null,
  closed: true,
};

describe("plannedR", () => {
  it("divides the distance to the target by the distance to the initial stop (buy)", () => {
    // reward 0.00450, risk 0.00150 → 3R
    expect(plannedR(buy)).toEqual({ value: "3", reward: "0.0045", risk: "0.0015" });
  });

  it("measures a sell the other way round", () => {
    // XAUUSD sell at 2350.40, stop 2356.40 (6.00), target 2338.40 (12.00) → 2R
    expect(plannedR({ ...buy, direction: "sell", entryPrice: "2350.40", initialStopLoss: "2356.40", takeProfit: "2338.40" })).toEqual({
      value: "2",
      reward: "12",
      risk: "6",
    });
  });

  it("rounds half up to two places without float noise", () => {
    // reward 0.00100 / risk 0.00300 = 0.333… → 0.33; reward 0.00500/0.00300 = 1.666… → 1.67
    expect(plannedR({ ...buy, takeProfit: "1.08350", initialStopLoss: "1.07950" }).value).toBe("0.33");
    expect(plannedR({ ...buy, takeProfit: "1.08750", initialStopLoss: "1.07950" }).value).toBe("1.67");
  });

  it("says why there is no planned R", () => {
    expect(plannedR({ ...buy, initialStopLoss: null })).toEqual({ value: null, reason: "no-stop" });
    expect(plannedR({ ...buy, takeProfit: null })).toEqual({ value: null, reason: "no-target" });
    expect(plannedR({ ...buy, initialStopLoss: "1.09000" })).toEqual({ value: null, reason: "stop-on-wrong-side" });
    expect(plannedR({ ...buy, takeProfit: "1.08000" })).toEqual({ value: null, reason: "target-on-wrong-side" });
  });
});

describe("realisedR", () => {
  it("uses net P&L over the money at risk when it is known", () => {
    expect(realisedR({ ...buy, netProfit: "-37.50", initialRiskAmount: "75" })).toEqual({ value: "-0.5", method: "risk-amount" });
    expect(realisedR({ ...buy, netProfit: "142.50", initialRiskAmount: "75.00" })).toEqual({ value: "1.9", method: "risk-amount" });
  });

  it("falls back to the price move over the initial stop distance and says so", () => {
    // move +0.00300, risk 0.00150 → 2R
    expect(realisedR(buy)).toEqual({ value: "2", method: "price-distance" });
    // sell stopped out beyond the stop (slippage): move -0.0018 / risk 0.0015 = -1.2R
    expect(realisedR({ ...buy, direction: "sell", entryPrice: "1.08250", initialStopLoss: "1.08400", exitPrice: "1.08430" })).toEqual({
      value: "-1.2",
      method: "price-distance",
    });
  });

  it("has no realised R for open trades or without a risk", () => {
    expect(realisedR({ ...buy, closed: false, exitPrice: null })).toEqual({ value: null, reason: "open" });
    expect(realisedR({ ...buy, initialStopLoss: null })).toEqual({ value: null, reason: "no-risk" });
    expect(realisedR({ ...buy, initialStopLoss: "1.08300" })).toEqual({ value: null, reason: "stop-on-wrong-side" });
  });
});

describe("impliedRiskAmount: money at risk read from the trade's own P&L", () => {
  it("prices the initial stop's distance at the trade's money per price unit", () => {
    // Buy 1.08000 → 1.08300 made $300 gross (0.003 × 1 lot × 100,000): $100,000 per price unit.
    // The stop at 1.07800 risked 0.002 of it: $200, so net $293 is 1.47 R.
    const risk = impliedRiskAmount({ direction: "buy", entryPrice: "1.08000", exitPrice: "1.08300", initialStopLoss: "1.07800", grossProfit: "300" });
    expect(risk).toBe("200");
    expect(
      realisedR({
        direction: "buy",
        entryPrice: "1.08000",
        exitPrice: "1.08300",
        initialStopLoss: "1.07800",
        takeProfit: null,
        netProfit: "293",
        initialRiskAmount: null,
        closed: true,
        grossProfit: "300",
      }),
    ).toEqual({ value: "1.47", method: "risk-amount" });
    // A USDJPY sell on a USD account: the conversion is inside the rate. 150.500 → 150.800 lost ¥300,000 = $1,989.39.
    expect(
      impliedRiskAmount({ direction: "sell", entryPrice: "150.500", exitPrice: "150.800", initialStopLoss: "150.700", grossProfit: "-1989.39" }),
    ).toBe("1326.26");
  });

  it("has no answer when the exit equals the entry, the stop is on the wrong side, or there is no stop", () => {
    expect(impliedRiskAmount({ direction: "buy", entryPrice: "1.1", exitPrice: "1.1", initialStopLoss: "1.09", grossProfit: "0" })).toBeNull();
    expect(impliedRiskAmount({ direction: "buy", entryPrice: "1.1", exitPrice: "1.2", initialStopLoss: "1.15", grossProfit: "100" })).toBeNull();
    expect(impliedRiskAmount({ direction: "buy", entryPrice: "1.1", exitPrice: "1.2", initialStopLoss: null, grossProfit: "100" })).toBeNull();
  });
});
