// Terminal restarts in the running engine: after 5 hours of uptime (between
// jobs), and at once when the terminal stops answering (three timeouts in a
// row). Health rows say what each terminal is doing.
import { describe, expect, it } from "vitest";
import { startJobsHarness, waitFor } from "../support/jobs-harness.ts";

const START = new Date("2026-03-04T10:00:00Z");
const steady = await startJobsHarness({ start: START, tradeWorkers: 1 });
// A terminal that stops answering after 8 calls; requests give up after 1 s here instead of 15 s.
const hanging = await startJobsHarness({
  start: START,
  tradeWorkers: 1,
  simulatorEnv: { RAWJOURNAL_SIM_CRASH: JSON.stringify({ mode: "hang", after_calls: 8 }) },
  requestTimeoutMs: 1_000,
  runtime: { loginTimeoutMs: 500 },
});

describe("terminal restarts", () => {
  it("restarts a terminal after 5 hours of uptime, between jobs, and reports health", async () => {
    const harness = steady;
    const user = await harness.createMt5User("pro");
    await harness.connectAccount(user, { login: 51000001, server: "RawBroker-Demo", password: "inv-51000001!" });
    const tab = await harness.openTab(user);
    await waitFor(
      async () => (await harness.db.query("select 1 from public.account_sync_state where first_sync_completed_at is not null")).rowCount === 1,
      "the first sync",
    );
    await harness.settle();
    const terminal = harness.runtime.terminals[0]!;
    expect(terminal.status.restarts).toBe(0);

    await harness.runtime.reportHealth();
    const { rows: health } = await harness.db.query(
      "select worker_id, kind, status, jobs_completed::int, terminal_started_at from public.worker_health",
    );
    expect(health).toEqual([{ worker_id: "trade-1", kind: "trade", status: "idle", jobs_completed: 1, terminal_started_at: START }]);
    // The queue's depths are pg-boss's own counts, taken every QUEUE_STATS_SECONDS (jobs/queue.ts): the
    // first sync's job may still be counted active for that long after it completed.
    const queueStats = async () => {
      await harness.runtime.reportHealth();
      return (await harness.db.query("select queue, queued, active from public.sync_queue_stats")).rows;
    };
    await waitFor(async () => (await queueStats())[0]?.active === 0, "pg-boss's next count of the queue", 5_000);
    expect(await queueStats()).toEqual([{ queue: "mt5-sync", queued: 0, active: 0 }]);

    for (let minutes = 0; minutes < 5 * 60; minutes += 30) {
      harness.advance(30 * 60_000);
      await harness.settle();
    }
    harness.advance(15_000);
    await harness.settle();
    await waitFor(() => terminal.status.restarts === 1, "the uptime restart");
    expect(harness.logs.some((line) => line.includes("restarting the terminal (uptime)"))).toBe(true);
    // The next sync runs on the fresh terminal.
    harness.advance(15_000);
    await harness.settle();
    expect(terminal.status.lastError).toBeNull();
    await tab.close();
  });
});

describe("a terminal that stops answering", () => {
  it("is restarted at once after three timeouts in a row", async () => {
    const harness = hanging;
    const user = await harness.createMt5User("pro");
    const account = await harness.connectAccount(user, { login: 51000001, server: "RawBroker-Demo", password: "inv-51000001!" });
    const tab = await harness.openTab(user);
    await waitFor(
      async () => (await harness.db.query("select 1 from public.account_sync_state where first_sync_completed_at is not null")).rowCount === 1,
      "the first sync",
    );
    const terminal = harness.runtime.terminals[0]!;
    for (let i = 0; i < 6 && terminal.status.restarts === 0; i++) {
      harness.advance(15_000);
      await harness.settle();
    }
    expect(terminal.status.restarts).toBe(1);
    expect(harness.logs.some((line) => line.includes("restarting the terminal (unresponsive)"))).toBe(true);
    const { rows } = await harness.db.query("select sync_status, sync_error from public.accounts where id = $1", [account]);
    expect(rows[0]!.sync_error).toMatch(/did not answer/);
    await tab.close();
  }, 60_000);
});
