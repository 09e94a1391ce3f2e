import { describe, expect, it } from "vitest";
import { atLeastTimes, isNegative, ratioHundredths, unitsAt, unitsToText } from "./exact.ts";

describe("exact decimals", () => {
  it("compares a ≥ b × ratio exactly", () => {
    expect(atLeastTimes("0.15", "0.1", "1.5")).toBe(true);
    expect(atLeastTimes("0.14999999", "0.1", "1.5")).toBe(false);
    expect(atLeastTimes("3", "2", "1.5")).toBe(true);
    expect(atLeastTimes("2.99", "2", "1.5")).toBe(false);
  });

  it("divides to hundredths rounding down", () => {
    expect(ratioHundredths("1.6", "1")).toBe("1.60");
    expect(ratioHundredths("1", "3")).toBe("0.33");
    expect(ratioHundredths("0.15", "0.1")).toBe("1.50");
    expect(ratioHundredths("200", "0.01")).toBe("20000.00");
  });

  it("reads the sign and the units of plain decimal text, and refuses anything else", () => {
    expect(isNegative("-0.01")).toBe(true);
    expect(isNegative("-0.00")).toBe(false);
    expect(isNegative("0")).toBe(false);
    expect(unitsToText(unitsAt("-100.10", 2) + unitsAt("0.1", 2), 2)).toBe("-100");
    expect(unitsToText(-5n, 2)).toBe("-0.05");
    expect(unitsToText(0n, 3)).toBe("0");
    expect(() => unitsAt("1e5", 2)).toThrow();
    expect(() => unitsAt("1.234", 2)).toThrow();
  });
});
