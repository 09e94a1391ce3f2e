// The header's sync dot, decided from the user's MT5 accounts as the jobs
// process reports them (accounts.sync_status / sync_error). A paused account
// outranks an erroring one, which outranks the rest: the dot shows what needs
// the user first, and says which account it is.

export type SyncIndicatorState = "syncing" | "paused" | "error" | "off";

export type AccountSyncStatus = "idle" | "pending" | "syncing" | "ok" | "error" | "paused";

export interface SyncedAccount {
  name: string;
  kind: "manual" | "mt5";
  syncEnabled: boolean;
  syncStatus: AccountSyncStatus;
  syncError: string | null;
}

export interface SyncIndicator {
  state: SyncIndicatorState;
  /** Short text beside the dot. */
  label: string;
  /** The longer explanation (tooltip and screen readers); null when there is nothing to add. */
  detail: string | null;
}

function describe(accounts: SyncedAccount[], fallback: string): string {
  const [first, ...rest] = accounts;
  const reason = first!.syncError?.trim() || fallback;
  const more = rest.length ? ` (and ${rest.length} more account${rest.length === 1 ? "" : "s"})` : "";
  return `${first!.name}: ${reason}${more}`;
}

export function syncIndicator(accounts: readonly SyncedAccount[]): SyncIndicator {
  const syncing = accounts.filter((a) => a.kind === "mt5" && a.syncEnabled);
  if (syncing.length === 0) {
    const hasMt5 = accounts.some((a) => a.kind === "mt5");
    return { state: "off", label: "Sync off", detail: hasMt5 ? "Your MT5 accounts are disconnected." : "No MT5 account is connected." };
  }
  const paused = syncing.filter((a) => a.syncStatus === "paused");
  if (paused.length) return { state: "paused", label: "Sync paused", detail: describe(paused, "sync is paused; reconnect the account.") };
  const failing = syncing.filter((a) => a.syncStatus === "error");
  if (failing.length) return { state: "error", label: "Sync error", detail: describe(failing, "the last sync failed; it will be retried.") };
  return { state: "syncing", label: "Sync on", detail: null };
}
