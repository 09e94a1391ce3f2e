// Builders shared by the analytics unit tests.
import type { AnalyticsInput, AnalyticsTrade, CashMovement } from "./types.ts";

export function trade(id: string, opened: string, closed: string, amounts: Partial<AnalyticsTrade> = {}): AnalyticsTrade {
  return {
    id,
    openedAt: new Date(opened),
    closedAt: new Date(closed),
    profit: "0",
    commission: "0",
    swap: "0",
    fee: "0",
    initialRisk: null,
    symbol: "EURUSD",
    direction: "buy",
    session: null,
    tags: [],
    ...amounts,
  };
}

export function cash(id: string, at: string, amount: string, kind = amount.startsWith("-") ? "withdrawal" : "deposit"): CashMovement {
  return { id, at: new Date(at), amount, kind };
}

export function input(trades: AnalyticsTrade[], extra: Partial<AnalyticsInput> = {}): AnalyticsInput {
  return {
    trades,
    cash: [],
    startingBalance: "10000",
    dayRule: { timeZone: "UTC", dayStartMinutes: 0 },
    period: { from: null, to: null },
    ...extra,
  };
}

/** n trades closing one minute apart with the given nets (as profit). */
export function series(nets: string[], risk: string | null = null): AnalyticsTrade[] {
  const start = Date.UTC(2026, 0, 5, 9);
  return nets.map((net, i) =>
    trade(`t${String(i).padStart(4, "0")}`, new Date(start + i * 60_000 - 30_000).toISOString(), new Date(start + i * 60_000).toISOString(), {
      profit: net,
      initialRisk: risk,
    }),
  );
}
