// The shapes app/models/dashboard.server.ts returns, in a module of types only, so
// components can use them without importing server code.
import type { LiveAccount, LivePosition, LiveTrade } from "~/domain/sync/live-rows.ts";

export interface DashboardAccount extends LiveAccount {
  pausedReason: string | null;
}

export interface DashboardData {
  accounts: DashboardAccount[];
  positions: LivePosition[];
  recentTrades: LiveTrade[];
  /** Whether the journal holds any trade at all (an empty journal shows the getting-started page). */
  hasTrades: boolean;
  timeZone: string;
}
