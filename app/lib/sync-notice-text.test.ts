import { describe, expect, it } from "vitest";
import { accountPausedText, formatPipsOneDecimal, tradeClosedText, tradeClosedTone } from "./sync-notice-text.ts";

describe("tradeClosedText", () => {
  it("reads like the product says: symbol, side, signed money and pips", () => {
    expect(tradeClosedText({ symbol: "EURUSD", direction: "buy", netProfit: "47.50", currency: "USD", pips: "23" })).toBe(
      "EURUSD buy closed +$47.50 (+23.0 pips)",
    );
    expect(tradeClosedText({ symbol: "XAUUSD", direction: "sell", netProfit: "-120.4", currency: "EUR", pips: "-41.25" })).toBe(
      "XAUUSD sell closed -€120.40 (-41.3 pips)",
    );
  });

  it("leaves the pips out when they are unknown, and handles cent accounts", () => {
    expect(tradeClosedText({ symbol: "US30", direction: "buy", netProfit: "0", currency: "USC", pips: null })).toBe("US30 buy closed USC\u00a00.00");
  });
});

describe("formatPipsOneDecimal", () => {
  it("rounds half up on the decimal text, with a sign for gains", () => {
    expect(formatPipsOneDecimal("23.05")).toBe("+23.1");
    expect(formatPipsOneDecimal("0.04")).toBe("0.0");
    expect(formatPipsOneDecimal("-0.04")).toBe("0.0");
    expect(formatPipsOneDecimal("1234567890.15")).toBe("+1234567890.2");
    expect(formatPipsOneDecimal("not a number")).toBeNull();
  });
});

describe("tone and the paused notice", () => {
  it("colours by the sign of the stored amount", () => {
    expect(tradeClosedTone("47.50")).toBe("profit");
    expect(tradeClosedTone("-0.01")).toBe("loss");
    expect(tradeClosedTone("0.00")).toBe("neutral");
    expect(tradeClosedTone("?")).toBe("neutral");
  });

  it("names the account and passes the reason on", () => {
    expect(accountPausedText({ accountName: "IC Live", message: "The investor password was refused 3 times." })).toBe(
      "Sync paused for IC Live: The investor password was refused 3 times.",
    );
    expect(accountPausedText({ accountName: "IC Live", message: " " })).toBe("Sync paused for IC Live.");
  });
});
