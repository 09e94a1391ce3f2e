// The shapes app/models/accounts.server.ts returns, in a module of types only, so
// components can use them without importing server code.
import type { MarginMode } from "~/schemas/account.ts";

export interface AccountSummary {
  id: string;
  name: string;
  kind: "manual" | "mt5";
  broker: string | null;
  currency: string;
  initialBalance: string;
  /** Initial balance + net P&L of closed trades + cash movements, exact. */
  balance: string;
  tradeCount: number;
  serverTimeZone: string;
  marginMode: MarginMode;
  /** What the current plan allows (public.account_plan_access): a downgrade can leave an account read-only or unsynced. */
  planAccess: PlanAccess;
}

/** full: within the plan · no_sync: an MT5 account past the MT5 limit · read_only: past the account limit. */
export type PlanAccess = "full" | "no_sync" | "read_only";
