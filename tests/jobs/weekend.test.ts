// Weekend mode: while the FX week is closed (Friday 17:00 → Sunday 17:00 New
// York) online accounts get one full sync every 30 minutes, all on a single
// terminal; the normal cadence resumes the minute the market opens. The
// simulator's world starts on Sunday 8 March 2026 — the day US daylight time
// begins, so the market opens at 17:00 EDT = 21:00 UTC.
import { describe, expect, it } from "vitest";
import { startJobsHarness, waitFor } from "../support/jobs-harness.ts";

const START = new Date("2026-03-08T19:10:00Z"); // Sunday, 1 h 50 min before the open
const OPEN = new Date("2026-03-08T21:00:00Z");
const h = await startJobsHarness({ start: START, tradeWorkers: 2 });

async function states() {
  const { rows } = await h.db.query<{ account_id: string; light: Date | null; full: Date | null }>(
    "select account_id, last_light_sync_at as light, last_full_sync_at as full from public.account_sync_state order by account_id",
  );
  return rows;
}

describe("weekend mode", () => {
  it("syncs every 30 minutes on one terminal while the market is closed, and at the normal cadence from the open", async () => {
    const user = await h.createMt5User("elite");
    await h.connectAccount(user, { login: 51000001, server: "RawBroker-Demo", password: "inv-51000001!" });
    await h.connectAccount(user, { login: 51000002, server: "RawBroker-Demo", password: "inv-51000002!" });
    const tab = await h.openTab(user);
    // Coming online still catches up at once.
    await waitFor(async () => (await states()).filter((s) => s.full?.getTime() === START.getTime()).length === 2, "both catch-ups");
    await h.settle();

    h.advance(15_000);
    await h.settle();
    h.advance(15 * 60_000);
    await h.settle();
    expect((await states()).every((s) => s.light === null && s.full?.getTime() === START.getTime())).toBe(true);

    h.advance(15 * 60_000 - 15_000); // START + 30 min
    await h.settle();
    const halfHour = START.getTime() + 30 * 60_000;
    expect((await states()).map((s) => s.full?.getTime())).toEqual([halfHour, halfHour]);

    const [first, second] = h.runtime.terminals.map((t) => t.status.jobsCompleted);
    expect(first).toBe(4);
    expect(second).toBe(0);

    // Weekend syncs at 20:10 and 20:40; the next would be 21:10, but the market opens at 21:00
    // and the loop wakes exactly then: the full sync the normal cadence owes runs at once.
    h.advance(30 * 60_000);
    await h.settle();
    h.advance(30 * 60_000);
    await h.settle();
    h.advance(OPEN.getTime() - h.clock.now().getTime() - 60_000);
    await h.settle();
    expect((await states()).map((s) => s.full?.getTime())).toEqual([START.getTime() + 90 * 60_000, START.getTime() + 90 * 60_000]);
    h.advance(60_000);
    await h.settle();
    expect((await states()).map((s) => s.full?.getTime())).toEqual([OPEN.getTime(), OPEN.getTime()]);
    h.advance(15_000);
    await h.settle();
    await waitFor(async () => (await states()).every((s) => s.light?.getTime() === OPEN.getTime() + 15_000), "light syncs 15 s after the open");
    await tab.close();
  });
});
