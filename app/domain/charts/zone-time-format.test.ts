// Axis and crosshair labels in the user's zone, across a DST change.
import { describe, expect, it } from "vitest";
import { crosshairLabel, tickLabel } from "./zone-time-format.ts";

const s = (iso: string) => Date.parse(iso) / 1000;

describe("chart labels", () => {
  it("shows bar times in the given zone, DST included", () => {
    // 13:00 UTC is 14:00 in Berlin in winter and 15:00 in summer.
    expect(tickLabel(s("2026-03-27T13:00:00Z"), "time", "Europe/Berlin")).toBe("14:00");
    expect(tickLabel(s("2026-03-30T13:00:00Z"), "time", "Europe/Berlin")).toBe("15:00");
    expect(tickLabel(s("2026-03-30T13:00:00Z"), "time", "UTC")).toBe("13:00");
    // 23:30 UTC on 1 March is already 2 March in Tokyo.
    expect(tickLabel(s("2026-03-01T23:30:00Z"), "day", "Asia/Tokyo")).toBe("2 Mar");
    expect(tickLabel(s("2026-03-01T23:30:00Z"), "month", "UTC")).toBe("Mar");
    expect(tickLabel(s("2026-03-01T23:30:00Z"), "year", "UTC")).toBe("2026");
    expect(crosshairLabel(s("2026-03-02T14:30:00Z"), "America/New_York")).toBe("Mon, 2 Mar 2026, 09:30");
  });
});
