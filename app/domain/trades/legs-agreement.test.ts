import { describe, expect, it } from "vitest";
import { legsDisagreements } from "./legs-agreement.ts";

const legs = [
  { profit: "0", commission: "-3.5", swap: "0", fee: "0" },
  { profit: "120.40", commission: "-3.5", swap: "-1.25", fee: "-0.10" },
];

describe("legsDisagreements", () => {
  it("is empty when the trade's money is the sum of its legs (any scale: -7 = -7.00)", () => {
    expect(legsDisagreements({ grossProfit: "120.4", commission: "-7.00", swap: "-1.25", fee: "-0.1" }, legs)).toEqual([]);
  });

  it("names each field that differs with both figures and the difference (trade − legs)", () => {
    expect(legsDisagreements({ grossProfit: "120.4", commission: "-6.5", swap: "-1.25", fee: "-0.1" }, legs)).toEqual([
      { field: "commission", label: "Commission", trade: "-6.5", legs: "-7", difference: "0.5" },
    ]);
  });

  it("a trade without legs has nothing to disagree with", () => {
    expect(legsDisagreements({ grossProfit: "10", commission: "-1", swap: "0", fee: "0" }, [])).toEqual([]);
  });
});
