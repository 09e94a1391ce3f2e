// What happens between syncs: a partial close and a close seen by light syncs
// trigger an immediate deal check, the closed trade is stored once with all its
// legs and announced on the user's notice topic; a wrong password pauses the
// account after three refusals in a row and tells the user. Real jobs runtime,
// real bridge on the simulator (`default` scenario: deal D opens at +60 s, is
// partly closed at +120 s and closed at +240 s; a deposit arrives at +180 s).
import { describe, expect, it } from "vitest";
import { AccountNoLongerSynced, loadSyncAccount, saveLightSync } from "../../jobs/sync/sync-store.ts";
import { startJobsHarness, waitFor } from "../support/jobs-harness.ts";

const START = new Date("2026-03-04T10:00:00Z");
const h = await startJobsHarness({ start: START });
const at = (seconds: number) => new Date(START.getTime() + seconds * 1000);

async function lastSyncs(accountId: string) {
  const { rows } = await h.db.query<{ light: Date | null; full: Date | null; paused_at: Date | null; failures: number }>(
    `select last_light_sync_at as light, last_full_sync_at as full, paused_at, consecutive_login_failures as failures
       from public.account_sync_state where account_id = $1`,
    [accountId],
  );
  return rows[0];
}

/** Advances 15 s at a time to `seconds`, waiting for each step's sync to have started. */
async function runTo(accountId: string, seconds: number): Promise<void> {
  let now = (h.clock.now().getTime() - START.getTime()) / 1000;
  while (now < seconds) {
    h.advance(15_000);
    now += 15;
    const target = at(now).getTime();
    await waitFor(async () => {
      const state = await lastSyncs(accountId);
      return state && Math.max(state.light?.getTime() ?? 0, state.full?.getTime() ?? 0) >= target;
    }, `the sync at +${now} s`);
    await h.settle(`the jobs at +${now} s`);
  }
}

describe("deals arriving while the user looks", () => {
  it("checks deals at once when a position shrinks or disappears, stores the close once and announces it", async () => {
    const user = await h.createMt5User("elite");
    const account = await h.connectAccount(user, { login: 51000001, server: "RawBroker-Demo", password: "inv-51000001!" });
    const notices = await h.listenNotices(user);
    // The tab opens at +30 s, so full syncs fall at +90, +150, +210 s: a deal check at +120 or +240 s is the light sync's doing.
    h.advance(30_000);
    const tab = await h.openTab(user);
    await waitFor(
      async () => (await lastSyncs(account))?.full?.getTime() === at(30).getTime() && h.runtime.scheduler.inFlight.size === 0,
      "the history sync",
    );

    await runTo(account, 105);
    const d = async () =>
      (
        await h.db.query<{
          id: string;
          status: string;
          volume: string;
          closed_volume: string;
          legs: number;
          net_profit: string;
          pips: string | null;
        }>(
          `select t.id, t.status, t.volume::text, t.closed_volume::text, t.net_profit::text, t.pips::text,
                (select count(*)::int from public.trade_leg_rows l where l.trade_id = t.id) as legs
           from public.trades t where t.account_id = $1 and t.symbol = 'EURUSD' and t.direction = 'sell'`,
          [account],
        )
      ).rows;
    expect(await d()).toMatchObject([{ status: "open", volume: "0.3", closed_volume: "0", legs: 1 }]);

    // +120 s: the light sync sees D at 0.2 lots, asks for a deal check, and the full sync runs at once (not at +180 s).
    await runTo(account, 120);
    await waitFor(async () => (await d())[0]?.closed_volume === "0.1", "the partial close in D's legs");
    expect((await lastSyncs(account))!.full!.getTime()).toBe(at(120).getTime());
    expect(await d()).toMatchObject([{ status: "open", legs: 2 }]);

    // +180 s: a deposit, no position involved — the balance moved, so the light sync asks for a deal check too
    // (this is also how a position opened and closed between two light syncs is caught within 15 s).
    await runTo(account, 180);
    expect((await lastSyncs(account))!.full!.getTime()).toBe(at(180).getTime());
    expect((await h.db.query("select 1 from public.cash_movements where account_id = $1 and amount = 500", [account])).rowCount).toBe(1);

    await runTo(account, 240);
    const closed = await waitFor(async () => ((await d())[0]?.status === "closed" ? (await d())[0] : null), "D closed");
    expect(closed).toMatchObject({ volume: "0.3", closed_volume: "0.3", legs: 3 });
    expect(closed.pips).not.toBeNull();
    expect((await lastSyncs(account))!.full!.getTime()).toBe(at(240).getTime());

    const notice = await waitFor(() => notices.events.find((e) => e.event === "trade_closed"), "the trade_closed notice");
    expect(notice.payload).toEqual({
      tradeId: closed.id,
      accountId: account,
      symbol: "EURUSD",
      direction: "sell",
      netProfit: closed.net_profit,
      currency: "USD",
      pips: closed.pips,
      closedAt: at(240).toISOString(),
    });
    // Only closes seen live are announced: the history's closed trades were not.
    expect(notices.events.filter((e) => e.event === "trade_closed")).toHaveLength(1);

    const { rows: ledger } = await h.db.query<{ kind: string; amount: string }>(
      "select kind, amount::text from public.cash_movements where account_id = $1 order by occurred_at",
      [account],
    );
    expect(ledger).toEqual([
      { kind: "deposit", amount: "10000" },
      { kind: "commission", amount: "-1.25" },
      { kind: "withdrawal", amount: "-500" },
      { kind: "deposit", amount: "500" },
    ]);
    const { rows: ids } = await h.db.query<{ n: number; distinct_ids: number }>(
      "select count(*)::int as n, count(distinct position_id)::int as distinct_ids from public.trades where account_id = $1",
      [account],
    );
    expect(ids[0]!.n).toBe(ids[0]!.distinct_ids);
    await tab.close();
    await notices.close();
  });

  it("pauses an account after three refused logins in a row, tells the user, and stops trying", async () => {
    const user = await h.createMt5User("pro");
    const account = await h.connectAccount(user, { login: 51000002, server: "RawBroker-Demo", password: "changed-since" });
    const notices = await h.listenNotices(user);
    const tab = await h.openTab(user);
    await waitFor(async () => (await lastSyncs(account))?.failures === 1, "the first refusal");
    const { rows: warned } = await h.db.query("select sync_status, sync_error from public.accounts where id = $1", [account]);
    expect(warned[0]).toMatchObject({ sync_status: "error", sync_error: expect.stringContaining("2 more refusals") });

    // A failed first sync is retried at the full-sync cadence, not in a loop.
    for (let failures = 2; failures <= 3; failures++) {
      h.advance(60_000);
      await waitFor(async () => (await lastSyncs(account))?.failures === failures, `refusal ${failures}`);
    }
    const state = await lastSyncs(account);
    expect(state!.paused_at).not.toBeNull();
    const { rows: paused } = await h.db.query("select sync_status, sync_error from public.accounts where id = $1", [account]);
    expect(paused[0]).toMatchObject({ sync_status: "paused", sync_error: expect.stringContaining("sync is paused") });
    const notice = await waitFor(() => notices.events.find((e) => e.event === "account_paused"), "the account_paused notice");
    expect(notice.payload).toMatchObject({ accountId: account, message: expect.stringContaining("reconnect") });

    h.advance(60_000);
    h.advance(60_000);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await lastSyncs(account)).toEqual(state);
    await tab.close();
    await notices.close();
  });

  it("saves nothing of a sync that finishes after the user disconnected the account", async () => {
    const user = await h.createMt5User("pro");
    const account = await h.connectAccount(user, { login: 52000001, server: "RawBroker-Live", password: "inv-52000001!" });
    const loaded = (await loadSyncAccount(h.runtime.pool, account))!;
    await h.db.query("delete from public.account_credentials where account_id = $1", [account]);
    const figures = { balance: "1", equity: "1", margin: "0", freeMargin: "1", leverage: null, currency: "USD", marginMode: "hedging" as const };
    const position = {
      positionId: "9",
      symbol: "EURUSD",
      brokerSymbol: "EURUSD",
      direction: "buy" as const,
      openedAt: START,
      volume: "0.1",
      entryPrice: "1.1",
      currentPrice: "1.1",
      stopLoss: null,
      takeProfit: null,
      swap: "0",
      floatingProfit: "0",
    };
    await expect(saveLightSync(h.runtime.pool, loaded, figures, [position], h.clock.now())).rejects.toBeInstanceOf(AccountNoLongerSynced);
    expect((await h.db.query("select 1 from public.open_positions where account_id = $1", [account])).rowCount).toBe(0);
    const { rows } = await h.db.query("select balance from public.accounts where id = $1", [account]);
    expect(rows[0]!.balance).toBeNull();
  });

  it("counts synced pips with the account's instrument overrides", async () => {
    const user = await h.createMt5User("pro");
    const account = await h.connectAccount(user, { login: 51000002, server: "RawBroker-Demo", password: "inv-51000002!" });
    // A broker whose GBPUSD "pip" is a hundredth: pips shrink a hundredfold.
    await h.db.query("insert into public.account_instrument_overrides (user_id, account_id, symbol, pip_size) values ($1, $2, 'GBPUSD', 0.01)", [
      user,
      account,
    ]);
    const tab = await h.openTab(user);
    const trade = await waitFor(
      async () =>
        (
          await h.db.query<{ entry_price: string; exit_price: string; pips: string }>(
            "select entry_price::text, exit_price::text, pips::text from public.trades where account_id = $1 and symbol = 'GBPUSD'",
            [account],
          )
        ).rows[0],
      "the GBPUSD trade",
    );
    const expected = Math.round(((Number(trade.exit_price) - Number(trade.entry_price)) / 0.01) * 10) / 10;
    expect(Number(trade.pips)).toBeCloseTo(expected, 1);
    await tab.close();
  });
});
