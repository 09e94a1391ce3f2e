// The load test's stalled sync job (docs/benchmarks.md, "A sync finding left
// open"): pg-boss's fetch of a stately queue skips every singleton key its
// cached queue stats list as active. Those stats are re-counted by the
// supervisor and re-read by each process on timers (60 s each by default), so
// an account whose job was active (running, or held by the dispatcher) when
// they were counted had its next job skipped for up to two minutes after that
// job was long settled. Real pg-boss, the jobs process's own startBoss and
// sync queue client, on the test database.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { QUEUE_STATS_SECONDS, startBoss, syncQueue } from "../../jobs/queue.ts";
import type { SyncJob } from "../../jobs/sync/cadence.ts";
import { createTestDatabase } from "../support/database.ts";

const db = await createTestDatabase();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function lightJob(accountId: string): SyncJob {
  return {
    accountId,
    userId: randomUUID(),
    tier: "elite",
    mt5Server: "RawBroker-Demo",
    mt5Login: "51000001",
    kind: "light",
    reason: "cadence",
    priority: 21,
    notBefore: new Date(),
  };
}

describe("mt5-sync queue on pg-boss", () => {
  it("fetches an account's next job within seconds when its previous job was active while pg-boss counted the queue", async () => {
    const boss = await startBoss(db.url, () => {});
    try {
      const queue = syncQueue(boss);
      const account = randomUUID();
      await queue.enqueue(lightJob(account));
      const [first] = await queue.fetch(25);
      expect(first?.job.accountId).toBe(account);
      // Held active, as the dispatcher holds jobs while every terminal is busy, across at
      // least one count of the queue and one re-read of it by this process.
      await sleep((2 * QUEUE_STATS_SECONDS + 1) * 1000);
      await queue.complete(first!.id, { status: "ok" });

      // The cadence's next job for the account, and another account's that is not affected.
      await queue.enqueue(lightJob(account));
      const other = randomUUID();
      await queue.enqueue(lightJob(other));
      const sentAt = Date.now();
      const waited = new Map<string, number>();
      while (waited.size < 2 && Date.now() - sentAt < 15_000) {
        for (const { id, job } of await queue.fetch(25)) {
          waited.set(job.accountId, Date.now() - sentAt);
          await queue.complete(id, { status: "ok" });
        }
        await sleep(50);
      }
      expect(waited.get(other)).toBeLessThan(1_000);
      // Before: ~60-120 s (pg-boss's 60 s defaults); the load test saw 119 s.
      expect(waited.get(account)).toBeLessThan(5_000);
    } finally {
      await boss.stop({ graceful: false, timeout: 1_000 });
    }
  }, 60_000);
});
