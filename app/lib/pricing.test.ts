import { describe, expect, it } from "vitest";
import { pricingCards } from "./pricing.ts";

describe("pricingCards", () => {
  it("summarises the plans from PLANS: Free / Pro $12.99 / Elite $30 with their limits", () => {
    expect(pricingCards()).toEqual([
      { tier: "free", name: "Free", price: "$0", features: ["1 account", "15 trades a month", "Manual entry and file import"] },
      { tier: "pro", name: "Pro", price: "$12.99", features: ["Unlimited accounts", "Unlimited trades", "1 MT5 account synced automatically"] },
      {
        tier: "elite",
        name: "Elite",
        price: "$30",
        features: ["Unlimited accounts", "Unlimited trades", "5 MT5 accounts synced automatically", "Priority sync"],
      },
    ]);
  });
});
