// A sync job whose payload the queue's schema refuses when it is fetched (sent
// by an older release, or by hand) is failed unrun. The scheduler holds its
// account as in flight until a job of it finishes, so the refusal must free
// the account, or it would never be synced again while the process lives.
// Real pg-boss, the jobs process's own startBoss and sync queue client.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { startBoss, SYNC_QUEUE, syncQueue } from "../../jobs/queue.ts";
import { createTestDatabase } from "../support/database.ts";

const db = await createTestDatabase();

describe("mt5-sync queue: a job the schema refuses", () => {
  it("is failed unrun with its reason, and the account it names is handed back to be scheduled again", async () => {
    const boss = await startBoss(db.url, () => {});
    try {
      const logged: string[] = [];
      const freed: string[] = [];
      const queue = syncQueue(
        boss,
        (line) => logged.push(line),
        undefined,
        (accountId) => freed.push(accountId),
      );
      const account = randomUUID();
      // What an older release might have sent: a kind this one does not know.
      const id = await boss.send(SYNC_QUEUE, { accountId: account, kind: "deep", reason: "cadence" }, { singletonKey: account });
      expect(id).toBeTruthy();
      // Without an account id there is nothing to hand back, and nothing breaks.
      await boss.send(SYNC_QUEUE, { kind: "light" }, { singletonKey: randomUUID() });

      expect(await queue.fetch(25)).toEqual([]);
      expect(freed).toEqual([account]);
      expect(logged.filter((line) => line.includes("failed unrun"))).toHaveLength(2);
      const job = await boss.getJobById(SYNC_QUEUE, id!);
      expect(job?.state).toBe("failed");
    } finally {
      await boss.stop({ graceful: false, timeout: 1_000 });
    }
  }, 60_000);
});
