import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { balanceCurve, calendarMonths, dailyNet, summarize, type AnalyticsInput } from "~/domain/analytics/index.ts";
import { cash, input, series, trade } from "~/domain/analytics/test-support.ts";
import { dashboardCacheCodec, drawdownPercentOf } from "./cached-dashboard.ts";
import type { DashboardStats } from "./types.ts";

// The 200-trade analytics fixture (checked against Python), its ids as uuids.
const fixture = JSON.parse(readFileSync(new URL("../../../tests/fixtures/analytics/trades.json", import.meta.url), "utf8"));
const uuidOf = (id: string) => `00000001-0000-4000-8000-${id.replace(/\D/g, "").padStart(12, "0")}`;
const fixtureInput: AnalyticsInput = {
  trades: fixture.trades.map((t: Record<string, unknown>) => ({
    ...t,
    id: uuidOf(t.id as string),
    openedAt: new Date(t.openedAt as string),
    closedAt: new Date(t.closedAt as string),
  })),
  cash: fixture.cash.map((c: Record<string, unknown>) => ({ ...c, id: uuidOf(c.id as string), at: new Date(c.at as string) })),
  startingBalance: fixture.startingBalance,
  dayRule: { timeZone: "UTC", dayStartMinutes: 0 },
  period: { from: new Date(fixture.period.from), to: new Date(fixture.period.to) },
};

/** The dashboard's view of an input, its curve as views.server.ts maps it. */
function dashboardOf(source: AnalyticsInput): DashboardStats {
  return {
    currency: "USD",
    scopeLabel: "All accounts",
    period: { key: "all", label: "All time", firstDay: null, lastDay: null, previous: null },
    summary: summarize(source),
    previous: null,
    curve: balanceCurve(source).map((point) => ({
      time: Math.floor(point.at.getTime() / 1000),
      balance: point.balance,
      drawdown: point.drawdown,
      drawdownPercent: point.drawdownPercent,
      kind: point.kind,
      refId: point.refId,
    })),
    curvePoints: 1 + source.trades.length + source.cash.length,
    cashMovements: source.cash.length,
    calendar: calendarMonths(dailyNet(source)),
  };
}

/** Stored as the cache stores it (jsonb text) and read back. */
const throughCache = (view: DashboardStats) =>
  dashboardCacheCodec.read(JSON.parse(JSON.stringify(dashboardCacheCodec.store(view))) as ReturnType<typeof dashboardCacheCodec.store>);

// Losing streaks at several money scales: cents, whole yen, 3 and 5 decimals, a balance through zero.
const scales: [string, AnalyticsInput][] = [
  ["the 200-trade fixture", fixtureInput],
  ["whole units", input(series(["-1200", "300", "-4000", "2500", "-9000"]), { startingBalance: "1000000" })],
  ["3 and 5 decimals", input(series(["-0.125", "0.00001", "-3.33333", "1.1", "-0.001"]), { startingBalance: "10.5" })],
  ["a balance below zero", input(series(["-15", "-20", "5", "40"]), { startingBalance: "10" })],
  [
    "cash between trades",
    input([trade("a", "2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z", { profit: "-33.07" })], {
      cash: [cash("c", "2026-01-05T09:30:00Z", "-100.01"), cash("d", "2026-01-06T09:30:00Z", "1234.5")],
    }),
  ],
];

describe("the dashboard as the analytics cache stores it", () => {
  it.each(scales)("reads back exactly the view that was stored: %s", (_, source) => {
    const view = dashboardOf(source);
    expect(throughCache(view)).toEqual(JSON.parse(JSON.stringify(view)));
  });

  it.each(scales)("every drawdown percent follows from its point's money text, bit for bit: %s", (_, source) => {
    for (const point of balanceCurve(source)) expect(Object.is(drawdownPercentOf(point.balance, point.drawdown), point.drawdownPercent)).toBe(true);
  });

  it("stores the 200-trade fixture's curve in under half the bytes of its points as objects", () => {
    const view = dashboardOf(fixtureInput);
    const stored = dashboardCacheCodec.store(view);
    expect(stored.curve.drawdownPercent).toBeNull();
    expect(typeof stored.curve.refIds).toBe("string");
    expect(JSON.stringify(stored.curve).length).toBeLessThan(JSON.stringify(view.curve).length / 2);
  });

  it("keeps what would not come back the same as it is: ids that are not uuids, percents that do not follow", () => {
    const view = dashboardOf(fixtureInput);
    view.curve[3]!.refId = "pending:account/2026-03-01/7:12";
    view.curve[5]!.drawdownPercent += 1e-9;
    const stored = dashboardCacheCodec.store(view);
    expect(Array.isArray(stored.curve.refIds)).toBe(true);
    expect(stored.curve.drawdownPercent).not.toBeNull();
    expect(throughCache(view)).toEqual(JSON.parse(JSON.stringify(view)));
  });

  it("reads back an empty curve", () => {
    const view = { ...dashboardOf(input([])), curve: [] };
    expect(throughCache(view)).toEqual(JSON.parse(JSON.stringify(view)));
  });
});
