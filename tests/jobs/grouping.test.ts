// Broker grouping, measured as logins saved: one trade terminal serving six
// online accounts that alternate between two servers, with grouping on and,
// beside it, off. A server switch costs seconds on a real terminal; grouped,
// the terminal finishes one server's accounts before switching.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { QUEUE_STATS_SECONDS, SYNC_QUEUE } from "../../jobs/queue.ts";
import { REPO_ROOT } from "../../supabase/local/database.ts";
import { startJobsHarness, waitFor, type JobsHarness } from "../support/jobs-harness.ts";

const START = new Date("2026-03-04T10:00:00Z");
const scenario = path.join(REPO_ROOT, "tests/fixtures/mt5/two-servers.json");
const grouped = await startJobsHarness({ start: START, scenario, tradeWorkers: 1 });
const ungrouped = await startJobsHarness({ start: START, scenario, tradeWorkers: 1, runtime: { grouping: false } });

/**
 * Rounds are 15 s apart in life and back to back here. pg-boss's fetch skips an account its last
 * count of the queue saw active (jobs/queue.ts), so a round sent right after the last one settled
 * would reach the terminal in two batches, and the ungrouped order would not alternate. Waits for
 * a count without active jobs and for this process to re-read it, as 15 s would.
 */
async function quietQueue(h: JobsHarness) {
  await waitFor(
    async () => ((await h.runtime.boss.getQueue(SYNC_QUEUE))?.singletonsActive ?? []).length === 0,
    "a count of the queue with no active job",
  );
  await new Promise((resolve) => setTimeout(resolve, QUEUE_STATS_SECONDS * 1000 + 200));
}

/** Six accounts whose ids sort Alpha, Beta, Alpha, Beta… so the ungrouped order alternates servers. */
async function runRounds(h: JobsHarness, rounds: number) {
  const users = [await h.createMt5User("elite"), await h.createMt5User("elite")];
  for (let i = 1; i <= 6; i++) {
    await h.connectAccount(users[(i - 1) % 2]!, {
      id: `00000000-0000-4000-8000-00000000000${i}`,
      login: 81000000 + i,
      server: i % 2 ? "Alpha-Server" : "Beta-Server",
      password: `inv-${i}`,
    });
  }
  const tabs = [await h.openTab(users[0]!), await h.openTab(users[1]!)];
  await waitFor(
    async () => (await h.db.query("select 1 from public.account_sync_state where first_sync_completed_at is not null")).rowCount === 6,
    "six history syncs",
  );
  await h.settle();
  // Counted from here: the history syncs' order depends on which tab joined first.
  const before = h.runtime.terminals[0]!.status.logins;
  const countedFrom = (await h.db.query<{ at: Date }>("select clock_timestamp() as at")).rows[0]!.at;
  for (let round = 0; round < rounds; round++) {
    await quietQueue(h);
    h.advance(15_000);
    await h.settle(`round ${round + 1}`);
  }
  for (const tab of tabs) await tab.close();
  const { rows } = await h.db.query<{ n: number }>("select count(*)::int as n from public.account_sync_state where last_light_sync_at = $1", [
    h.clock.now(),
  ]);
  const after = h.runtime.terminals[0]!.status.logins;
  const logins = {
    already_logged_in: after.already_logged_in - before.already_logged_in,
    same_server: after.same_server - before.same_server,
    server_switch: after.server_switch - before.server_switch,
  };
  // Which sync jobs ran in the counted rounds, so a count that is off says why (it has been, once, under load).
  const { rows: jobs } = await h.db.query<{ job: string }>(
    `select concat_ws(' ', right(data->>'accountId', 1), data->>'kind', data->>'reason', state) as job
       from pgboss.job where name = $1 and (created_on >= $2 or started_on >= $2 or completed_on >= $2 or completed_on is null)
      order by created_on`,
    [SYNC_QUEUE, countedFrom],
  );
  return { logins, syncedInLastRound: rows[0]!.n, jobs: jobs.map((row) => row.job) };
}

describe("broker grouping", () => {
  it("switches servers far less often with grouping, for the same syncs", async () => {
    const [on, off] = await Promise.all([runRounds(grouped, 3), runRounds(ungrouped, 3)]);
    // Same work either way: every account synced in every round.
    expect(on.syncedInLastRound).toBe(6);
    expect(off.syncedInLastRound).toBe(6);
    const total = (l: typeof on.logins) => l.server_switch + l.same_server + l.already_logged_in;
    expect(total(on.logins), `grouped: ${on.jobs.join(", ")}`).toBe(18);
    expect(total(off.logins), `ungrouped: ${off.jobs.join(", ")}`).toBe(18);
    // Ungrouped alternates servers on every job (3 rounds × 6 jobs); grouped switches about once a
    // round — 3 to 6 times in the runs seen: grouping orders what is queued when the terminal asks,
    // and on a busy machine a round's jobs can arrive in two batches. Either way, at most half as often.
    expect(off.logins.server_switch).toBeGreaterThanOrEqual(15);
    expect(on.logins.server_switch).toBeLessThanOrEqual(Math.floor(off.logins.server_switch / 2));
    console.log(
      `[grouping] 3 rounds × 6 accounts on 2 servers, 1 terminal: server switches ${on.logins.server_switch} grouped vs ${off.logins.server_switch} ungrouped (${off.logins.server_switch - on.logins.server_switch} of 18 logins saved a switch)`,
    );
  });
});
