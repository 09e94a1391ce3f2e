import { describe, expect, it } from "vitest";
import { chosenTimeframe, defaultTimeframe, symbolWindow } from "./symbol-window.ts";

const DAY = 86_400;
const NOW = Date.parse("2026-12-06T12:00:00Z") / 1000;

describe("symbolWindow", () => {
  it("pads a past month by a twentieth on both sides", () => {
    const from = Date.parse("2026-11-01T00:00:00Z") / 1000;
    const to = Date.parse("2026-12-01T00:00:00Z") / 1000;
    // 30 days → 1.5 days either side.
    expect(symbolWindow({ periodFrom: from, periodTo: to, firstTradeAt: null, lastTradeAt: null, now: NOW })).toEqual({
      from: from - 1.5 * DAY,
      to: to + 1.5 * DAY,
    });
  });

  it("never reaches past now for the current period", () => {
    const from = Date.parse("2026-12-01T00:00:00Z") / 1000;
    const to = Date.parse("2027-01-01T00:00:00Z") / 1000;
    const window = symbolWindow({ periodFrom: from, periodTo: to, firstTradeAt: null, lastTradeAt: null, now: NOW });
    expect(window.to).toBe(NOW);
    // 5.5 days to now → a pad of 0.275 days.
    expect(window.from).toBe(from - Math.round((NOW - from) / 20));
  });

  it("spans all time from the first trade, and a month back without trades", () => {
    const first = NOW - 400 * DAY;
    expect(symbolWindow({ periodFrom: null, periodTo: null, firstTradeAt: first, lastTradeAt: NOW - DAY, now: NOW })).toEqual({
      from: first - 20 * DAY,
      to: NOW,
    });
    expect(symbolWindow({ periodFrom: null, periodTo: null, firstTradeAt: null, lastTradeAt: null, now: NOW })).toEqual({
      from: NOW - 30 * DAY - 1.5 * DAY,
      to: NOW,
    });
  });

  it("is at least a day wide (today at 00:05)", () => {
    const from = NOW - 300;
    const window = symbolWindow({ periodFrom: from, periodTo: from + DAY, firstTradeAt: null, lastTradeAt: null, now: NOW });
    expect(window.from).toBe(from - DAY / 20);
  });
});

describe("defaultTimeframe", () => {
  it("picks the finest timeframe from M30 up with at most 1,500 bars", () => {
    expect(defaultTimeframe({ from: 0, to: DAY })).toBe("M30"); // 48 bars: M1 would fit, but the terminal keeps M30 up live
    expect(defaultTimeframe({ from: 0, to: 7 * DAY })).toBe("M30");
    expect(defaultTimeframe({ from: 0, to: 33 * DAY })).toBe("H1"); // M30 would be 1,584
    expect(defaultTimeframe({ from: 0, to: 30 * DAY })).toBe("M30");
    expect(defaultTimeframe({ from: 0, to: 400 * DAY })).toBe("D1");
    expect(defaultTimeframe({ from: 0, to: 40 * 365 * DAY })).toBe("W1");
  });
});

describe("chosenTimeframe", () => {
  const year = { from: 0, to: 365 * DAY };
  it("keeps a known timeframe from the URL and ignores an unknown one", () => {
    expect(chosenTimeframe("H4", year)).toEqual({ timeframe: "H4", window: year });
    expect(chosenTimeframe("M2", year)).toEqual({ timeframe: "D1", window: year });
    expect(chosenTimeframe(null, year).timeframe).toBe("D1");
  });

  it("narrows a fine timeframe over a long window to its last 6,000 bars", () => {
    expect(chosenTimeframe("M1", year)).toEqual({ timeframe: "M1", window: { from: 365 * DAY - 6_000 * 60, to: 365 * DAY } });
  });
});
