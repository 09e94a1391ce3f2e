// The sync work queue on pg-boss (docs/decisions/009, 011). One queue,
// `mt5-sync`, with the `stately` policy keyed by account: at most one job
// queued and one running per account, whatever sends them. Jobs are not
// retried by pg-boss — the cadence sends the next one — and expire if a
// crashed jobs process held them.
import { PgBoss } from "pg-boss";
import type { SyncJob } from "./sync/cadence.ts";

export const SYNC_QUEUE = "mt5-sync";

/** What a job carries: the SyncJob, with its date as text. */
export type QueuedSyncJob = Omit<SyncJob, "notBefore"> & { notBefore: string };

export async function startBoss(connectionString: string, log: (line: string) => void): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString, schema: "pgboss", max: 4 });
  // Unhandled, an 'error' event would crash the process (Shelf.nu's lesson).
  boss.on("error", (error: Error) => log(`pg-boss: ${error.message}`));
  await boss.start();
  await boss.createQueue(SYNC_QUEUE, { policy: "stately", retryLimit: 0, expireInSeconds: 900, retentionSeconds: 3600, deleteAfterSeconds: 3600 });
  return boss;
}

export function syncQueue(boss: PgBoss) {
  return {
    async enqueue(job: SyncJob): Promise<string | null> {
      const data: QueuedSyncJob = { ...job, notBefore: job.notBefore.toISOString() };
      return boss.send(SYNC_QUEUE, data, { priority: job.priority, singletonKey: job.accountId });
    },
    async fetch(batchSize: number): Promise<{ id: string; job: SyncJob }[]> {
      const jobs = await boss.fetch<QueuedSyncJob>(SYNC_QUEUE, { batchSize });
      return jobs.map((job) => ({ id: job.id, job: { ...job.data, notBefore: new Date(job.data.notBefore) } }));
    },
    async complete(id: string, output: object): Promise<void> {
      await boss.complete(SYNC_QUEUE, id, output);
    },
    async fail(id: string, output: object): Promise<void> {
      await boss.fail(SYNC_QUEUE, id, output);
    },
  };
}

export type SyncQueueClient = ReturnType<typeof syncQueue>;
