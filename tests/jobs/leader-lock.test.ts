// Two jobs processes on one database: the second stands by until the first
// lets go, and a leader whose connection is ended learns it lost the lock.
import { describe, expect, it } from "vitest";
import { acquireLeadership, JOBS_LEADER_LOCK_KEY } from "../../jobs/leader-lock.ts";
import { createTestDatabase } from "../support/database.ts";

const db = await createTestDatabase();

async function holders(): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    "select count(*)::int as n from pg_locks where locktype = 'advisory' and granted and (classid::bigint << 32 | objid::bigint) = $1",
    [JOBS_LEADER_LOCK_KEY],
  );
  return rows[0]!.n;
}

describe("jobs leader lock", () => {
  it("lets one process lead; a second waits and takes over when the first releases", async () => {
    const first = await acquireLeadership({ databaseUrl: db.url, retryMs: 50 });
    expect(first).not.toBeNull();
    expect(await holders()).toBe(1);

    const lines: string[] = [];
    let secondLeads = false;
    const second = acquireLeadership({ databaseUrl: db.url, retryMs: 50, log: (line) => lines.push(line) }).then((lead) => {
      secondLeads = true;
      return lead;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(secondLeads).toBe(false);
    expect(lines).toEqual(["another jobs process holds the sync; standing by until it stops"]);

    await first!.release();
    const taken = await second;
    expect(taken).not.toBeNull();
    expect(await holders()).toBe(1);
    await taken!.release();
    expect(await holders()).toBe(0);
  });

  it("tells the leader when its connection is ended, and the lock is free for the next", async () => {
    const lead = (await acquireLeadership({ databaseUrl: db.url, retryMs: 50 }))!;
    await db.pool.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'rawjournal-jobs-leader' and datname = current_database()",
    );
    const reason = await lead.lost;
    expect(reason).toBeInstanceOf(Error);
    const next = await acquireLeadership({ databaseUrl: db.url, retryMs: 50 });
    expect(next).not.toBeNull();
    await next!.release();
  });

  it("stops standing by when asked", async () => {
    const lead = (await acquireLeadership({ databaseUrl: db.url, retryMs: 50 }))!;
    const controller = new AbortController();
    const waiting = acquireLeadership({ databaseUrl: db.url, retryMs: 10_000, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    expect(await waiting).toBeNull();
    await lead.release();
  });
});
