// Broker-reported figures from real reports (../shared/reference/mt5.md §5)
// reproduced to the cent, plus the cases the product plan's shortcut gets wrong.
import { describe, expect, it } from "vitest";
import { dec, toDecimalString } from "../decimal.ts";
import { CATALOGUE } from "../instruments/catalogue.ts";
import type { InstrumentSpec } from "../instruments/types.ts";
import {
  closedTradePnl,
  grossProfitInProfitCurrency,
  impliedConversionRate,
  initialRiskAmount,
  pipsGained,
  plannedR,
  pointsGained,
  parseConversionRate,
  roundMoney,
} from "./pnl.ts";

const spec = (symbol: string): InstrumentSpec => {
  const found = CATALOGUE.get(symbol);
  if (!found) throw new Error(`${symbol} missing from the catalogue`);
  return found;
};
const text = (value: { toString(): string } | null | undefined) =>
  value === null || value === undefined ? null : toDecimalString(dec(value.toString()));

describe("closedTradePnl reproduces broker-reported profit", () => {
  it.each([
    // symbol, side, lots, open, close, account, stated rate, profit-currency gross, rate basis, account gross
    ["USDCHF", "buy", "0.01", "0.97898", "0.95758", "USD", null, "-21.4", "inverse-of-price", "-22.35"],
    ["XAUUSD", "buy", "1.42", "2079.79", "2074.93", "USD", null, "-690.12", "same-currency", "-690.12"],
    ["USDCAD", "sell", "6.12", "1.33912", "1.33595", "USD", null, "1940.04", "inverse-of-price", "1452.18"],
    // 3.56 lots × 0.216 = 76 896 JPY, at USDJPY 141.5 (1 JPY = 1/141.5 USD).
    ["GBPJPY", "buy", "3.56", "183.456", "183.24", "USD", "1/141.5", "-76896", "stated", "-543.43"],
    ["EURUSD", "buy", "0.5", "1.0825", "1.0842", "USD", null, "85", "same-currency", "85"],
    ["EURUSD", "sell", "2", "1.0842", "1.0825", "USD", null, "340", "same-currency", "340"],
    // A EUR account trading EURUSD: the profit is in USD, 1 USD = 1/1.0842 EUR at the close.
    ["EURUSD", "buy", "0.5", "1.0825", "1.0842", "EUR", null, "85", "inverse-of-price", "78.4"],
    ["USDJPY", "buy", "1", "150", "150.1", "USD", null, "10000", "inverse-of-price", "66.62"],
    ["GER40", "sell", "2", "18250.5", "18200", "USD", "1.08", "101", "stated", "109.08"],
  ] as const)("%s %s %s lots %s → %s on a %s account", (symbol, side, lots, open, close, account, stated, profitGross, basis, accountGross) => {
    const statedRate = stated ? parseConversionRate(stated) : null;
    const result = closedTradePnl(spec(symbol), account, { direction: side, lots, openPrice: open, closePrice: close }, statedRate);
    expect(result).not.toBeNull();
    expect(text(result!.grossInProfitCurrency)).toBe(profitGross);
    expect(result!.basis).toBe(basis);
    expect(text(result!.gross.amount)).toBe(accountGross);
  });

  it("USDJPY +10 pips on 1 lot at 150.1 is about $66.62, not the plan's pips × lots × 10", () => {
    const usdjpy = spec("USDJPY");
    const trade = { direction: "buy" as const, lots: "1", openPrice: "150.000", closePrice: "150.100" };
    const pips = pipsGained(usdjpy, trade.direction, trade.openPrice, trade.closePrice);
    expect(text(pips)).toBe("10");
    const planShortcut = pips.times(trade.lots).times(10);
    const result = closedTradePnl(usdjpy, "USD", trade, null)!;
    expect(result.gross.amount.eq(planShortcut)).toBe(false);
    expect(result.gross.amount.toFixed(2)).toBe("66.62");
  });

  it("keeps the unrounded figure and rounds half-up (ties away from zero) to the cent", () => {
    const eurusd = spec("EURUSD");
    const up = closedTradePnl(eurusd, "USD", { direction: "buy", lots: "0.01", openPrice: "1.100000", closePrice: "1.100005" }, null)!;
    expect(text(up.gross.unrounded)).toBe("0.005");
    expect(up.gross.amount.toFixed(2)).toBe("0.01");
    const down = closedTradePnl(eurusd, "USD", { direction: "sell", lots: "0.01", openPrice: "1.100000", closePrice: "1.100005" }, null)!;
    expect(down.gross.amount.toFixed(2)).toBe("-0.01");
    expect(roundMoney(dec("2.344999")).toFixed(2)).toBe("2.34");
    const chf = closedTradePnl(spec("USDCHF"), "USD", { direction: "buy", lots: "0.01", openPrice: "0.97898", closePrice: "0.95758" }, null)!;
    expect(chf.gross.unrounded.toFixed(6)).toBe("-22.348002");
  });

  it("uses the user's stated rate over the implied one", () => {
    const result = closedTradePnl(spec("EURUSD"), "EUR", { direction: "buy", lots: "1", openPrice: "1.08", closePrice: "1.09" }, "0.9")!;
    expect(result.basis).toBe("stated");
    expect(text(result.gross.amount)).toBe("900");
    const exact = closedTradePnl(
      spec("USDCHF"),
      "USD",
      { direction: "buy", lots: "0.01", openPrice: "0.97898", closePrice: "0.95758" },
      parseConversionRate("1/0.95758"),
    )!;
    expect(text(exact.gross.amount)).toBe("-22.35");
  });

  it("returns null when the rate is neither implied nor stated", () => {
    expect(closedTradePnl(spec("GBPJPY"), "USD", { direction: "buy", lots: "1", openPrice: "190", closePrice: "191" }, null)).toBeNull();
    expect(closedTradePnl(spec("EURGBP"), "USD", { direction: "buy", lots: "1", openPrice: "0.85", closePrice: "0.86" }, null)).toBeNull();
  });
});

describe("impliedConversionRate", () => {
  it("is 1 for the account currency, 1 ÷ price for the account's base currency, else null", () => {
    expect(text(impliedConversionRate(spec("EURUSD"), "USD", "1.1")?.rate)).toBe("1");
    expect(impliedConversionRate(spec("USDCHF"), "USD", "0.8")?.rate.toFixed(4)).toBe("1.2500");
    expect(impliedConversionRate(spec("GBPJPY"), "USD", "190")).toBeNull();
    expect(impliedConversionRate(spec("USDCHF"), "USD", null)).toBeNull();
    expect(text(impliedConversionRate(spec("GER40"), "EUR", null)?.rate)).toBe("1");
  });
});

describe("parseConversionRate", () => {
  it("reads decimals and 1/x quotes, refuses the rest", () => {
    expect(text(parseConversionRate("1.08"))).toBe("1.08");
    expect(parseConversionRate("1/141.5")?.toFixed(12)).toBe("0.007067137809");
    expect(text(parseConversionRate(" 0,5 "))).toBe("0.5");
    for (const bad of ["", "0", "-1", "1/0", "abc", "1/2/3"]) expect(parseConversionRate(bad), bad).toBeNull();
  });
});

describe("futures", () => {
  it("uses tick value ÷ tick size", () => {
    const es: InstrumentSpec = { ...spec("US500"), calculationMode: "futures", tickSize: "0.25", tickValue: "12.5", contractSize: "50" };
    expect(text(grossProfitInProfitCurrency(es, "buy", "2", "5000", "5001"))).toBe("100");
    expect(text(grossProfitInProfitCurrency(es, "sell", "1", "5000", "5001.25"))).toBe("-62.5");
    expect(() => grossProfitInProfitCurrency({ ...es, tickValue: null }, "buy", "1", "1", "2")).toThrow(/tick value/);
  });
});

describe("pips and points", () => {
  it("counts JPY pips at 0.01 and FX points at 0.00001", () => {
    expect(text(pipsGained(spec("USDCHF"), "buy", "0.97898", "0.95758"))).toBe("-214");
    expect(text(pointsGained(spec("USDCHF"), "buy", "0.97898", "0.95758"))).toBe("-2140");
    expect(text(pipsGained(spec("GBPJPY"), "sell", "183.456", "183.24"))).toBe("21.6");
    expect(text(pipsGained(spec("XAUUSD"), "buy", "2079.79", "2074.93"))).toBe("-48.6");
  });
});

describe("planned R and initial risk", () => {
  it("takes reward:risk from the take profit and the initial stop", () => {
    expect(text(plannedR("buy", "1.1000", "1.0950", "1.1100"))).toBe("2");
    expect(text(plannedR("sell", "1.1000", "1.1030", "1.0950"))).toBe("1.67");
    expect(plannedR("sell", "1.1000", "1.0950", "1.0900")).toBeNull();
    expect(plannedR("buy", "1.1000", null, "1.1100")).toBeNull();
  });

  it("prices the initial risk in the account currency at the stop", () => {
    expect(text(initialRiskAmount(spec("EURUSD"), "USD", { direction: "buy", lots: "1", openPrice: "1.10000", initialStop: "1.09500" }, null))).toBe(
      "500",
    );
    // 10 CHF at risk, 1 CHF = 1/0.96898 USD at the stop.
    expect(
      text(initialRiskAmount(spec("USDCHF"), "USD", { direction: "buy", lots: "0.01", openPrice: "0.97898", initialStop: "0.96898" }, null)),
    ).toBe("10.32");
    expect(initialRiskAmount(spec("GBPJPY"), "USD", { direction: "buy", lots: "1", openPrice: "190", initialStop: "189" }, null)).toBeNull();
    expect(
      text(initialRiskAmount(spec("GBPJPY"), "USD", { direction: "buy", lots: "1", openPrice: "190", initialStop: "189" }, dec(1).div(150))),
    ).toBe("666.67");
    expect(initialRiskAmount(spec("EURUSD"), "USD", { direction: "buy", lots: "1", openPrice: "1.1", initialStop: "1.2" }, null)).toBeNull();
  });
});
