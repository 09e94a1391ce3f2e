// A terminal that keeps dying: the simulator kills the bridge process on every
// 12th MT5 call (as a native crash would, exit 134, no answer). The worker
// restarts it after its backoff and the sync carries on from the stored cursor:
// at the end every trade and cash row of the scenario is there exactly once.
import { describe, expect, it } from "vitest";
import { startJobsHarness, waitFor } from "../support/jobs-harness.ts";

const START = new Date("2026-03-04T10:00:00Z");
const h = await startJobsHarness({
  start: START,
  tradeWorkers: 1,
  simulatorEnv: { RAWJOURNAL_SIM_CRASH: JSON.stringify({ mode: "exit", after_calls: 12 }) },
});

describe("a crashing terminal", () => {
  it("restarts after its backoff and loses or duplicates nothing", async () => {
    const user = await h.createMt5User("pro");
    const account = await h.connectAccount(user, { login: 51000001, server: "RawBroker-Demo", password: "inv-51000001!" });
    const tab = await h.openTab(user);
    await waitFor(
      async () =>
        (await h.db.query("select 1 from public.account_sync_state where account_id = $1 and first_sync_completed_at is not null", [account]))
          .rowCount === 1,
      "the history sync",
    );

    // Five simulated minutes, 5 s at a time (crash backoff starts at 5 s): D opens, shrinks, a deposit lands, D closes.
    for (let seconds = 5; seconds <= 300; seconds += 5) {
      h.advance(5_000);
      await h.settle(`quiet at +${seconds} s`);
    }
    const terminal = h.runtime.terminals.find((t) => t.id === "trade-1")!;
    expect(terminal.status.restarts).toBeGreaterThanOrEqual(2);
    expect(h.logs.some((line) => line.includes("terminal crashed"))).toBe(true);

    const { rows: trades } = await h.db.query<{ symbol: string; direction: string; status: string; legs: number }>(
      `select t.symbol, t.direction, t.status, (select count(*)::int from public.trade_leg_rows l where l.trade_id = t.id) as legs
         from public.trades t where t.account_id = $1 order by t.opened_at`,
      [account],
    );
    expect(trades.map((t) => `${t.symbol} ${t.direction} ${t.status} ${t.legs}`)).toEqual([
      "EURUSD buy closed 3", // A: entry, partial, TP
      "USDJPY sell closed 2",
      "XAUUSD buy closed 3", // B: entry, closed by C (0.3 of 0.5), then the rest
      "XAUUSD sell closed 2",
      "GBPJPY buy closed 2",
      "US30 sell open 1",
      "EURUSD buy open 1",
      "EURUSD sell closed 3", // D: live, through the crashes
    ]);
    const { rows: cash } = await h.db.query<{ n: number; distinct_deals: number }>(
      "select count(*)::int as n, count(distinct deal_id)::int as distinct_deals from public.cash_movements where account_id = $1",
      [account],
    );
    expect(cash[0]).toEqual({ n: 4, distinct_deals: 4 });
    const { rows: legs } = await h.db.query<{ n: number; distinct_deals: number }>(
      `select count(*)::int as n, count(distinct l.deal_id)::int as distinct_deals
         from public.trade_leg_rows l join public.trades t on t.id = l.trade_id where t.account_id = $1`,
      [account],
    );
    expect(legs[0]!.n).toBe(legs[0]!.distinct_deals);
    await tab.close();
  });
});
