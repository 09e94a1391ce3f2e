import { describe, expect, it } from "vitest";
import { formatDecimal, formatMoney } from "./format.ts";

describe("formatMoney", () => {
  it("formats a known currency with its symbol, two decimals and a sign for gains when asked", () => {
    expect(formatMoney("1434.856", "USD")).toBe("$1,434.86");
    expect(formatMoney("-22.35", "USD", { signed: true })).toBe("-$22.35");
    expect(formatMoney(12, "EUR", { signed: true })).toBe("+€12.00");
  });

  it("suffixes a currency Intl does not know, every time (the formatter is reused)", () => {
    expect(formatMoney("1500.5", "USDT")).toBe("1,500.50 USDT");
    expect(formatMoney("-3", "USDT")).toBe("-3.00 USDT");
    // Any three letters are a well-formed ISO code to Intl: its own code in front.
    expect(formatMoney("2", "USC")).toBe("USC\u00a02.00");
    expect(formatMoney("7", "USD")).toBe("$7.00");
  });

  it("shows a dash for no amount and the text for one that is not a number", () => {
    expect(formatMoney(null, "USD")).toBe("—");
    expect(formatMoney("abc", "USD")).toBe("abc");
  });
});

describe("formatDecimal", () => {
  it("rounds to the asked digits without trailing zeros, as toLocaleString does", () => {
    for (const [value, digits] of [
      ["1.005", 2],
      ["0.10", 2],
      ["12345.6789", 1],
      ["-0.04", 1],
      [3, 0],
    ] as const) {
      expect(formatDecimal(value, digits)).toBe(Number(value).toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 }));
    }
    expect(formatDecimal("0.5", 1, { signed: true })).toBe("+0.5");
    expect(formatDecimal("1234.5", 2)).toBe("1,234.5");
  });
});
