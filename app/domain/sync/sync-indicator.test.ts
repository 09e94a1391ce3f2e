import { describe, expect, it } from "vitest";
import { syncIndicator, type SyncedAccount } from "./sync-indicator.ts";

const mt5 = (name: string, fields: Partial<SyncedAccount> = {}): SyncedAccount => ({
  name,
  kind: "mt5",
  syncEnabled: true,
  syncStatus: "ok",
  syncError: null,
  ...fields,
});

describe("syncIndicator", () => {
  it("is off without MT5 accounts, and says why", () => {
    expect(syncIndicator([])).toEqual({ state: "off", label: "Sync off", detail: "No MT5 account is connected." });
    expect(syncIndicator([{ ...mt5("Manual"), kind: "manual" }]).state).toBe("off");
    expect(syncIndicator([mt5("FTMO", { syncEnabled: false })])).toEqual({
      state: "off",
      label: "Sync off",
      detail: "Your MT5 accounts are disconnected.",
    });
  });

  it("is on while every connected account syncs normally, whatever stage it is at", () => {
    for (const syncStatus of ["idle", "pending", "syncing", "ok"] as const) {
      expect(syncIndicator([mt5("A", { syncStatus })])).toEqual({ state: "syncing", label: "Sync on", detail: null });
    }
  });

  it("shows a paused account before a failing one, with its reason", () => {
    const accounts = [
      mt5("Failing", { syncStatus: "error", syncError: "Broker timed out." }),
      mt5("IC Live", { syncStatus: "paused", syncError: "The broker refused the investor password 3 times. Reconnect the account." }),
      mt5("Other", { syncStatus: "paused" }),
    ];
    expect(syncIndicator(accounts)).toEqual({
      state: "paused",
      label: "Sync paused",
      detail: "IC Live: The broker refused the investor password 3 times. Reconnect the account. (and 1 more account)",
    });
    expect(syncIndicator([accounts[0]!])).toEqual({ state: "error", label: "Sync error", detail: "Failing: Broker timed out." });
    expect(syncIndicator([mt5("Quiet", { syncStatus: "paused" })]).detail).toBe("Quiet: sync is paused; reconnect the account.");
  });

  it("ignores disconnected accounts when others sync", () => {
    expect(syncIndicator([mt5("Off", { syncEnabled: false, syncStatus: "paused" }), mt5("On")]).state).toBe("syncing");
  });
});
