import { describe, expect, it } from "vitest";
import { parseBrokerNumber, toDecimalString } from "./decimal.ts";

describe("parseBrokerNumber", () => {
  it.each([
    ["1 434.86", "1434.86"],
    ["4\u00a0106.17", "4106.17"],
    ["- 2.50", "-2.5"],
    ["-2.50", "-2.5"],
    ["\u22123", "-3"],
    ["(12.50)", "-12.5"],
    ["1,234.56", "1234.56"],
    ["0.00000", "0"],
    ["+7", "7"],
  ])("reads %j as %s", (input, expected) => {
    const value = parseBrokerNumber(input);
    expect(value && toDecimalString(value)).toBe(expected);
  });

  it("reads decimal commas when told to", () => {
    expect(toDecimalString(parseBrokerNumber("1.234,56", ",")!)).toBe("1234.56");
  });

  it.each(["", "abc", "12.5%", "=1+2", "1.2.3", "--1"])("refuses %j", (input) => {
    expect(parseBrokerNumber(input)).toBeNull();
  });
});
