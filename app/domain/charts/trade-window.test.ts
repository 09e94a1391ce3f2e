// The trade chart's default timeframe and window, worked out by hand.
import { describe, expect, it } from "vitest";
import { barOpen, defaultTimeframe, tradeWindow } from "./trade-window.ts";

const at = (iso: string) => new Date(iso);

describe("defaultTimeframe", () => {
  it("picks the finest timeframe in which the trade spans at most 60 bars", () => {
    expect(defaultTimeframe(at("2026-03-02T09:00:00Z"), at("2026-03-02T09:00:30Z"))).toBe("M1");
    expect(defaultTimeframe(at("2026-03-02T09:00:00Z"), at("2026-03-02T10:00:00Z"))).toBe("M1"); // 60 M1 bars
    expect(defaultTimeframe(at("2026-03-02T09:00:00Z"), at("2026-03-02T10:01:00Z"))).toBe("M5"); // 61 M1, 12.2 M5
    expect(defaultTimeframe(at("2026-03-02T09:00:00Z"), at("2026-03-02T21:00:00Z"))).toBe("M15"); // 144 M5, 48 M15
    expect(defaultTimeframe(at("2026-03-02T00:00:00Z"), at("2026-03-03T06:00:00Z"))).toBe("M30"); // 30 h: 60 M30
    expect(defaultTimeframe(at("2026-03-02T00:00:00Z"), at("2026-03-04T00:00:00Z"))).toBe("H1"); // 48 H1
    expect(defaultTimeframe(at("2026-03-02T00:00:00Z"), at("2026-03-09T00:00:00Z"))).toBe("H4"); // 168 H1, 42 H4
    expect(defaultTimeframe(at("2026-01-01T00:00:00Z"), at("2026-02-15T00:00:00Z"))).toBe("D1"); // 45 D1
    expect(defaultTimeframe(at("2025-01-01T00:00:00Z"), at("2026-03-01T00:00:00Z"))).toBe("W1");
  });
});

describe("barOpen", () => {
  it("floors to the bar; weeks open on Monday 00:00 UTC", () => {
    expect(barOpen(at("2026-03-02T09:17:45Z"), "M15").toISOString()).toBe("2026-03-02T09:15:00.000Z");
    expect(barOpen(at("2026-03-02T09:17:45Z"), "H4").toISOString()).toBe("2026-03-02T08:00:00.000Z");
    // Thursday 5 March 2026 → Monday 2 March.
    expect(barOpen(at("2026-03-05T13:00:00Z"), "W1").toISOString()).toBe("2026-03-02T00:00:00.000Z");
  });
});

describe("tradeWindow", () => {
  it("pads by the trade's length, at least 40 bars, aligned to bars, never past now", () => {
    const now = at("2026-03-10T00:00:00Z");
    // 2 h 25 min on M5: padding = max(145 min, 40 × 5 min = 200 min).
    expect(tradeWindow(at("2026-03-02T09:15:00Z"), at("2026-03-02T11:40:00Z"), "M5", now)).toEqual({
      from: at("2026-03-02T05:55:00Z"),
      to: at("2026-03-02T15:05:00Z"),
    });
    // 48 h on H1: padding 48 h either side.
    expect(tradeWindow(at("2026-03-02T00:00:00Z"), at("2026-03-04T00:00:00Z"), "H1", now)).toEqual({
      from: at("2026-02-28T00:00:00Z"),
      to: at("2026-03-06T01:00:00Z"),
    });
    // An open trade (closed = now): the window ends with the forming bar.
    const open = tradeWindow(at("2026-03-09T22:00:00Z"), now, "M1", now);
    expect(open.to).toEqual(at("2026-03-10T00:01:00Z"));
  });
});
