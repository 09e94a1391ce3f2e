// The demo at the weekend: its simulated account trades crypto CFDs while the
// FX week is closed (mt5/scenarios/demo.json), so the scheduler keeps the
// normal cadence for it instead of the weekend's 30-minute one, and new deals
// arrive within a minute on a Saturday. The clock is the harness's manual one,
// set to a Saturday whatever the real day is.
import { describe, expect, it } from "vitest";
import { startJobsHarness, waitFor } from "../support/jobs-harness.ts";

const SATURDAY = new Date("2026-12-05T12:00:00Z");
const h = await startJobsHarness({ scenario: "demo", start: SATURDAY, tradeWorkers: 2 });

async function state(accountId: string) {
  const { rows } = await h.db.query<{ light: Date | null; full: Date | null; trades: number; crypto: number }>(
    `select s.last_light_sync_at as light, s.last_full_sync_at as full,
            (select count(*)::int from public.trades t where t.account_id = s.account_id) as trades,
            (select count(*)::int from public.trades t where t.account_id = s.account_id and t.symbol in ('BTCUSD', 'ETHUSD')) as crypto
       from public.account_sync_state s where s.account_id = $1`,
    [accountId],
  );
  return rows[0];
}

describe("weekend cadence of an account that trades crypto", () => {
  it("syncs the demo every 15 s on a Saturday and sees its new crypto deals within a minute", async () => {
    const user = await h.createMt5User("elite");
    const accountId = await h.connectAccount(user, { login: 50100100, server: "RawBroker-Demo", password: "demo-investor" });
    const tab = await h.openTab(user);
    await waitFor(async () => (await state(accountId))?.full?.getTime() === SATURDAY.getTime(), "the first sync", 30_000);
    await h.settle();
    const first = (await state(accountId))!;
    // The history has weekend crypto trades, so the account counts as trading around the clock.
    expect(first.crypto).toBeGreaterThan(0);

    h.advance(15_000);
    await h.settle();
    expect((await state(accountId))!.light?.getTime()).toBe(SATURDAY.getTime() + 15_000);

    for (let step = 0; step < 4; step++) {
      h.advance(15_000);
      await h.settle();
    }
    const after = (await state(accountId))!;
    expect(after.full!.getTime()).toBeGreaterThanOrEqual(SATURDAY.getTime() + 60_000);
    expect(after.crypto).toBeGreaterThan(first.crypto);
    await tab.close();
  });
});
