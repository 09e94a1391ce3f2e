// decimalText must be exactly toDecimalString(parseBrokerNumber(text)).
import { describe, expect, it } from "vitest";
import { parseBrokerNumber, toDecimalString } from "../decimal.ts";
import { decimalText } from "./decimal-text.ts";

const general = (text: string) => {
  const value = parseBrokerNumber(text);
  return value ? toDecimalString(value) : null;
};

describe("decimalText", () => {
  it.each([
    "0",
    "0.00",
    "-0.00",
    "-0",
    "00",
    "007",
    "007.50",
    "1.12895",
    "-6.93",
    "1.50",
    "2.00",
    "100",
    "100.000",
    "0.000000",
    "12345678901234567890.123400",
    "-0.000001",
    "0.10",
    "10.01",
    "1.",
    ".5",
    "-.5",
    "1 434.86",
    "1\u00a0458.00",
    "- 2.50",
    "\u22123",
    "(12.50)",
    "1,234.56",
    "+4",
    "",
    " ",
    "abc",
    "1.2.3",
    "--1",
    "1e5",
    "12.5%",
    "-",
    ".",
    "0x10",
    "١٢",
  ])("%j", (text) => {
    expect(decimalText(text)).toBe(general(text));
  });

  it("agrees on 20 000 generated numbers", () => {
    let state = 11;
    const random = () => (state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
    const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(random() * 10))).join("");
    for (let i = 0; i < 20_000; i++) {
      const text = `${random() < 0.3 ? "-" : ""}${digits(1 + Math.floor(random() * 6))}${random() < 0.7 ? `.${digits(1 + Math.floor(random() * 6))}` : ""}`;
      expect(decimalText(text)).toBe(general(text));
    }
  });
});
