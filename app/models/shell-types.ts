// What the signed-in shell knows about the user on every page (no secrets).
import type { AccountSyncStatus } from "~/domain/sync/sync-indicator.ts";

export interface ShellAccount {
  id: string;
  name: string;
  kind: "manual" | "mt5";
  syncEnabled: boolean;
  /** What the jobs process last reported (the header's sync dot). */
  syncStatus: AccountSyncStatus;
  syncError: string | null;
}

export interface ShellUser {
  id: string;
  email: string;
  fullName: string | null;
  tier: "free" | "pro" | "elite";
  /** Admins get a link to the sync engine page; the page checks again on its own. */
  isAdmin: boolean;
}

export interface ShellData {
  user: ShellUser;
  accounts: ShellAccount[];
}
