// The sync schedule end to end, with an injected clock: a tab joins → catch-up
// (the first time: the whole history) → light syncs every 15 s and a full deal
// check every 60 s → the last tab leaves → 5 minutes of grace → nothing. The
// real jobs runtime, pg-boss, local Realtime presence and the real bridge on
// the simulator's `default` scenario (its clock follows the injected one).
import { describe, expect, it } from "vitest";
import { startJobsHarness, waitFor } from "../support/jobs-harness.ts";

const START = new Date("2026-03-04T10:00:00Z"); // a Wednesday: the FX market is open
const h = await startJobsHarness({ start: START });

interface SyncState {
  first_sync_completed_at: Date | null;
  last_light_sync_at: Date | null;
  last_full_sync_at: Date | null;
}

async function syncState(accountId: string): Promise<SyncState | undefined> {
  const { rows } = await h.db.query<SyncState>(
    "select first_sync_completed_at, last_light_sync_at, last_full_sync_at from public.account_sync_state where account_id = $1",
    [accountId],
  );
  return rows[0];
}

async function presenceState(userId: string): Promise<string | undefined> {
  const { rows } = await h.db.query<{ state: string }>("select state from public.sync_presence where user_id = $1", [userId]);
  return rows[0]?.state;
}

const at = (seconds: number) => new Date(START.getTime() + seconds * 1000);

describe("presence-driven sync", () => {
  it("catches up on join, keeps the 15 s / 60 s cadence while online and through grace, then stops", async () => {
    const user = await h.createMt5User("pro");
    const account = await h.connectAccount(user, { login: 51000001, server: "RawBroker-Demo", password: "inv-51000001!" });
    await waitFor(() => h.runtime.scheduler.tracker && h.logs.length >= 0 && presenceWatched(), "the presence channel");

    // No tab yet: nothing runs.
    expect(await syncState(account)).toBeUndefined();

    const tab = await h.openTab(user);
    await waitFor(async () => (await presenceState(user)) === "online", "the user online");
    const first = await waitFor(async () => (await syncState(account))?.first_sync_completed_at, "the first (history) sync");
    expect(first).toEqual(START);

    const { rows: history } = await h.db.query<{ position_id: string; status: string; symbol: string; close_reason: string | null; source: string }>(
      "select position_id, status, symbol, close_reason, source from public.trades where account_id = $1 order by opened_at",
      [account],
    );
    // default.json account 51000001: A (partial + TP), J (SL), B and C (close-by), G, and the open U and E.
    expect(history.map((t) => [t.symbol, t.status])).toEqual([
      ["EURUSD", "closed"],
      ["USDJPY", "closed"],
      ["XAUUSD", "closed"],
      ["XAUUSD", "closed"],
      ["GBPJPY", "closed"],
      ["US30", "open"],
      ["EURUSD", "open"],
    ]);
    expect(new Set(history.map((t) => t.source))).toEqual(new Set(["mt5"]));
    const { rows: cash } = await h.db.query<{ kind: string; amount: string }>(
      "select kind, amount::text from public.cash_movements where account_id = $1 order by occurred_at",
      [account],
    );
    expect(cash.map((c) => c.kind)).toEqual(["deposit", "commission", "withdrawal"]);
    const { rows: open } = await h.db.query("select position_id from public.open_positions where account_id = $1", [account]);
    expect(open).toHaveLength(2);
    const { rows: accountRow } = await h.db.query("select sync_status, balance::text, last_synced_at from public.accounts where id = $1", [account]);
    expect(accountRow[0]).toMatchObject({ sync_status: "ok", last_synced_at: START });

    // 15 s later: a light sync; 60 s after the first: a full one, which sees deal D (opened at +60 s).
    h.advance(15_000);
    await waitFor(async () => (await syncState(account))?.last_light_sync_at?.getTime() === at(15).getTime(), "the light sync at +15 s");
    h.advance(15_000);
    await waitFor(async () => (await syncState(account))?.last_light_sync_at?.getTime() === at(30).getTime(), "the light sync at +30 s");
    h.advance(15_000);
    await waitFor(async () => (await syncState(account))?.last_light_sync_at?.getTime() === at(45).getTime(), "the light sync at +45 s");
    h.advance(15_000);
    await waitFor(async () => (await syncState(account))?.last_full_sync_at?.getTime() === at(60).getTime(), "the full sync at +60 s");
    await waitFor(
      async () =>
        (
          await h.db.query("select 1 from public.trades where account_id = $1 and symbol = 'EURUSD' and direction = 'sell' and status = 'open'", [
            account,
          ])
        ).rowCount === 1,
      "deal D's open trade",
    );

    // The tab closes: grace. Sync goes on for 5 minutes.
    await tab.close();
    await waitFor(async () => (await presenceState(user)) === "grace", "grace");
    h.advance(15_000);
    await waitFor(async () => (await syncState(account))?.last_light_sync_at?.getTime() === at(75).getTime(), "a light sync in grace");

    // Grace runs out at +60 s + 5 min (the tab left at +60 s): offline, and nothing more runs.
    h.advance(5 * 60_000);
    await waitFor(async () => (await presenceState(user)) === "offline", "offline after grace");
    const stopped = await syncState(account);
    h.advance(60_000);
    h.advance(60_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await syncState(account)).toEqual(stopped);
    expect(h.runtime.scheduler.inFlight.size).toBe(0);
  });
});

function presenceWatched(): boolean {
  return h.logs.every((line) => !line.includes("CHANNEL_ERROR"));
}
