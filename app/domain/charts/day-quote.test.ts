import { describe, expect, it } from "vitest";
import { dayQuote, withDailyBar } from "./day-quote.ts";

describe("dayQuote", () => {
  it("is the newest bar's close against the close of the bar before it", () => {
    // 1.08450 − 1.08000 = 0.0045; 0.0045 / 1.08 = 0.4166…% → 0.42.
    expect(
      dayQuote([
        { time: 200, close: "1.08450" },
        { time: 100, close: "1.08000" },
        { time: 0, close: "1.5" },
      ]),
    ).toEqual({ last: "1.08450", at: 200, previousClose: "1.08000", change: "0.0045", changePercent: "0.42" });
  });

  it("reads bars in any order and gives a fall its sign", () => {
    // 2650.10 − 2663.40 = −13.3; −13.3 / 2663.40 = −0.4993…% → −0.50.
    expect(
      dayQuote([
        { time: 100, close: "2663.40" },
        { time: 200, close: "2650.10" },
      ]),
    ).toEqual({ last: "2650.10", at: 200, previousClose: "2663.40", change: "-13.3", changePercent: "-0.50" });
  });

  it("has no change with one bar, and no quote without bars", () => {
    expect(dayQuote([{ time: 5, close: "1.1" }])).toEqual({ last: "1.1", at: 5, previousClose: null, change: null, changePercent: null });
    expect(dayQuote([])).toBeNull();
  });
});

describe("withDailyBar", () => {
  it("replaces the bar of the same day and keeps the two newest", () => {
    const bars = [
      { time: 200, close: "1.2" },
      { time: 100, close: "1.1" },
    ];
    expect(withDailyBar(bars, { time: 200, close: "1.25" })).toEqual([
      { time: 200, close: "1.25" },
      { time: 100, close: "1.1" },
    ]);
    // A new day: yesterday's bar becomes the previous close.
    expect(withDailyBar(bars, { time: 300, close: "1.3" })).toEqual([
      { time: 300, close: "1.3" },
      { time: 200, close: "1.2" },
    ]);
  });
});
