import { describe, expect, it } from "vitest";
import { previousLosses, revengeSignals } from "./revenge.ts";
import { REVENGE_SIZE_RATIO, REVENGE_WINDOW_MINUTES } from "./rules.ts";
import { at, trade } from "./test-support.ts";

const flagged = (...trades: Parameters<typeof revengeSignals>[0]) => [...revengeSignals(trades).keys()];

describe("revenge trades", () => {
  it("uses the documented thresholds", () => {
    expect(REVENGE_WINDOW_MINUTES).toBe(30);
    expect(REVENGE_SIZE_RATIO).toBe("1.5");
  });

  it("flags a bigger trade opened soon after a loss, and says which loss, how soon and how much bigger", () => {
    const signals = revengeSignals([trade("loss", "09:00", "10:00", "1", "-240.5"), trade("next", "10:12", "10:40", "1.6", "35")]);
    expect(signals.get("next")).toEqual({
      tradeId: "next",
      loss: { id: "loss", symbol: "EURUSD", net: "-240.5", volume: "1", closedMs: at("10:00") },
      minutesAfterLoss: 12,
      sizeRatio: "1.60",
    });
    expect(signals.size).toBe(1);
  });

  it("counts exactly 30 minutes and exactly 1.5× as revenge, 30 min 1 ms or 1.49× not", () => {
    expect(flagged(trade("loss", "09:00", "10:00", "0.2", "-10"), trade("next", "10:30", "11:00", "0.3", "5"))).toEqual(["next"]);
    expect(flagged(trade("loss", "09:00", "10:00", "0.2", "-10"), trade("next", "2026-03-10T10:30:00.001Z", "11:00", "0.3", "5"))).toEqual([]);
    expect(flagged(trade("loss", "09:00", "10:00", "1", "-10"), trade("next", "10:05", "11:00", "1.49", "5"))).toEqual([]);
  });

  it("compares volumes exactly, not as floats (0.1 × 1.5 = 0.15)", () => {
    expect(flagged(trade("loss", "09:00", "10:00", "0.1", "-10"), trade("next", "10:05", "11:00", "0.15", "5"))).toEqual(["next"]);
    expect(flagged(trade("loss", "09:00", "10:00", "0.1", "-10"), trade("next", "10:05", "11:00", "0.14999999", "5"))).toEqual([]);
  });

  it("needs a loss (net < 0): a win or a breakeven never leads to a flag, a one-cent loss does", () => {
    expect(flagged(trade("win", "09:00", "10:00", "1", "0.01"), trade("next", "10:05", "11:00", "3", "5"))).toEqual([]);
    expect(flagged(trade("flat", "09:00", "10:00", "1", "0"), trade("next", "10:05", "11:00", "3", "5"))).toEqual([]);
    expect(flagged(trade("loss", "09:00", "10:00", "1", "-0.01"), trade("next", "10:05", "11:00", "3", "5"))).toEqual(["next"]);
  });

  it("after loss → win → bigger trade compares with the loss (the most recent loss, a win in between does not clear it)", () => {
    const trades = [trade("loss", "09:00", "10:00", "1", "-50"), trade("win", "10:01", "10:05", "1", "20"), trade("big", "10:10", "10:50", "2", "5")];
    expect(previousLosses(trades).get("big")?.id).toBe("loss");
    expect(flagged(...trades)).toEqual(["big"]);
  });

  it("compares with the most recent loss only, even when an earlier loss was smaller", () => {
    const trades = [
      trade("small", "09:00", "09:50", "0.5", "-10"),
      trade("large", "09:10", "10:00", "2", "-80"),
      trade("next", "10:05", "10:50", "1", "5"),
    ];
    // 1 lot is 2× the earlier loss but half the most recent one.
    expect(flagged(...trades)).toEqual([]);
  });

  it("only looks at the same account", () => {
    const other = { accountId: "acc-2" };
    expect(flagged(trade("loss", "09:00", "10:00", "1", "-50", other), trade("next", "10:05", "10:50", "2", "5"))).toEqual([]);
  });

  it("a losing position still open is no loss yet; the trade opened after it is not flagged, while an open trade can itself be flagged", () => {
    // A partial close already realised −50 on "open-loss", but it is not closed.
    expect(flagged(trade("open-loss", "09:00", null, "1", "-50"), trade("next", "10:05", "10:50", "2", "5"))).toEqual([]);
    expect(flagged(trade("loss", "09:00", "10:00", "1", "-50"), trade("still-open", "10:05", null, "2", "0"))).toEqual(["still-open"]);
  });

  it("never compares with a loss that closed after the trade opened (overlapping positions)", () => {
    expect(flagged(trade("loss", "09:00", "10:20", "1", "-50"), trade("next", "10:05", "10:50", "2", "5"))).toEqual([]);
  });

  it("counts a loss closed in the same instant as the trade opened (a stop-and-reverse)", () => {
    expect(flagged(trade("loss", "09:00", "10:00", "1", "-50"), trade("reverse", "10:00", "10:30", "2", "5"))).toEqual(["reverse"]);
  });

  it("breaks a tie between two losses closed in the same instant by id, as metrics.md orders sequences", () => {
    const trades = [
      trade("b-loss", "09:00", "10:00", "2", "-50"),
      trade("a-loss", "09:30", "10:00", "1", "-20"),
      trade("next", "10:10", "10:40", "2", "5"),
    ];
    expect(previousLosses(trades).get("next")?.id).toBe("b-loss");
    expect(flagged(...trades)).toEqual([]); // 2 lots is 1× b-loss (it would have been 2× a-loss)
  });

  it("never compares a zero-length losing trade with itself", () => {
    const trades = [trade("loss", "09:00", "10:00", "1", "-50"), trade("instant", "10:05", "10:05", "2", "-3")];
    expect(previousLosses(trades).get("instant")?.id).toBe("loss");
    expect(flagged(...trades)).toEqual(["instant"]);
  });

  it("measures the gap in real time across a clock change (instants, not wall clocks)", () => {
    // 29 March 2026 01:00 UTC London goes from 01:00 GMT to 02:00 BST: 00:50 → 01:10 UTC is 20 minutes.
    const trades = [trade("loss", "2026-03-29T00:10:00Z", "2026-03-29T00:50:00Z", "1", "-50"), trade("next", "2026-03-29T01:10:00Z", null, "2", "0")];
    expect(revengeSignals(trades).get("next")?.minutesAfterLoss).toBe(20);
  });

  it("reads a chain: a revenge trade that loses can set up the next one", () => {
    const trades = [
      trade("t1", "09:00", "10:00", "1", "-50"),
      trade("t2", "10:05", "10:20", "1.5", "-80"),
      trade("t3", "10:25", "11:00", "2.25", "5"),
    ];
    expect(flagged(...trades)).toEqual(["t2", "t3"]);
  });
});
