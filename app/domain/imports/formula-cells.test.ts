import { describe, expect, it } from "vitest";
import { formulaCellReason, formulaTrigger } from "./formula-cells.ts";

describe("formulaTrigger", () => {
  it.each([
    ["=cmd|' /C calc'!A0", "="],
    ['=HYPERLINK("http://evil.example","click")', "="],
    ["@SUM(1+1)", "@"],
    ["+cmd|' /C notepad'!A0", "+"],
    ["-2+3", "-"],
    ["-cmd|' /C calc'!A0", "-"],
    ["\t=1+1", "\t"],
    ["\r=1+1", "\r"],
  ])("flags %j as a formula starting with %j", (cell, trigger) => {
    expect(formulaTrigger(cell)).toBe(trigger);
  });

  it.each(["-2.50", "- 2.50", "+7", "-1 434.86", "-1\u00a0387,50", "-1,234.56", "-€2", "+7 USD", "-", "EURUSD", "", "[sl 1.08]", "1=1"])(
    "leaves %j alone",
    (cell) => {
      expect(formulaTrigger(cell)).toBeNull();
    },
  );
});

describe("formulaCellReason", () => {
  it("names the column and the trigger", () => {
    expect(formulaCellReason({ Symbol: "EURUSD", Profit: "-2.50", Comment: "=cmd|' /C calc'!A0" })).toBe(
      "Comment starts with '=' (a spreadsheet formula); formulas are not imported",
    );
    expect(formulaCellReason({ Note: "\t=1" })).toBe("Note starts with a tab (a spreadsheet formula); formulas are not imported");
  });

  it("passes a row of ordinary cells", () => {
    expect(formulaCellReason({ Symbol: "EURUSD", Swap: "- 2.50", Comment: null, Extra: undefined })).toBeNull();
  });
});
