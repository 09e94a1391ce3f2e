// Financing rows (OANDA's MT4 "Financing" balance rows) are a holding cost
// like swap, not money moved: unlike a withdrawal they are not neutralised in
// the drawdown (docs/metrics.md#max-drawdown).
import { describe, expect, it } from "vitest";
import { summarize } from "./summarize.ts";
import { cash, input, series } from "./test-support.ts";

describe("financing in the drawdown", () => {
  // 10000 → +100 (peak 10100) → cash −30 → −20 (10050 or 10070)
  const trades = series(["100", "-20"]);
  const at = new Date(trades[0]!.closedAt!.getTime() + 10_000).toISOString();

  it("deepens the drawdown when it is financing", () => {
    const s = summarize(input(trades, { cash: [cash("f1", at, "-30", "financing")] }));
    expect(s.maxDrawdown).toBe("50"); // peak 10100 → 10070 → 10050
  });

  it("is neutralised when it is a withdrawal", () => {
    const s = summarize(input(trades, { cash: [cash("w1", at, "-30")] }));
    expect(s.maxDrawdown).toBe("20"); // peak moves to 10070 with the withdrawal
  });
});
