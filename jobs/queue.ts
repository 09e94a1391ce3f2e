// pg-boss for the jobs process. Every queue is declared in jobs/definitions
// (name, payload schema, policy, handler; docs/decisions/012) and created here
// at start. The sync queue's client converts between the scheduler's SyncJob
// and the queue, through its definition, so a payload is checked on the way in
// and on the way out. Every job run is logged with its name, id, duration and
// outcome (./job-runs.ts).
import { PgBoss } from "pg-boss";
import type { z } from "zod";
import type { Logger } from "~/lib/logger.server.ts";
import { fetchJobs, sendJob, createQueues } from "./definitions/define-job.ts";
import { JOB_DEFINITIONS, mt5SyncJob } from "./definitions/index.ts";
import { jobRunTimer, logJobRuns } from "./job-runs.ts";
import type { SyncJob } from "./sync/cadence.ts";

export const SYNC_QUEUE = mt5SyncJob.queue;

/** What a job carries: the SyncJob, with its date as text. */
export type QueuedSyncJob = z.input<typeof mt5SyncJob.payload>;

/**
 * How often pg-boss re-counts its queues (the supervisor's stats) and each process re-reads those
 * counts. A stately queue's fetch skips every key the last counts saw `active`, so with pg-boss's
 * 60 s defaults an account whose sync job was running or held when the counts were taken had its
 * next job left in `created` until a later count no longer saw it and this process re-read it:
 * up to two minutes (the load test's ~119 s stall, docs/benchmarks.md). At 1 s an account waits at
 * most a few seconds, and only for a job sent within those seconds of its previous one settling.
 */
export const QUEUE_STATS_SECONDS = 1;

export async function startBoss(connectionString: string, log: (line: string) => void, logger?: Logger): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString,
    schema: "pgboss",
    max: 4,
    superviseIntervalSeconds: QUEUE_STATS_SECONDS,
    monitorIntervalSeconds: QUEUE_STATS_SECONDS,
    queueCacheIntervalSeconds: QUEUE_STATS_SECONDS,
  });
  if (logger) logJobRuns(boss, logger);
  // Unhandled, an 'error' event would crash the process (Shelf.nu's lesson).
  boss.on("error", (error: Error) => log(`pg-boss: ${error.message}`));
  await boss.start();
  await createQueues(boss, JOB_DEFINITIONS);
  return boss;
}

/**
 * `onRefusedAccount`: a fetched job the schema refuses (e.g. sent by the previous release with an
 * older payload) is failed unrun; the account it names must be schedulable again, or the scheduler
 * would wait for that job to finish for as long as the process lives.
 */
export function syncQueue(
  boss: PgBoss,
  log: (line: string) => void = () => {},
  logger?: Logger,
  onRefusedAccount: (accountId: string) => void = () => {},
) {
  const runs = jobRunTimer(SYNC_QUEUE, logger);
  return {
    /** Throws JobPayloadError for a job the queue's schema refuses. */
    async enqueue(job: SyncJob): Promise<string | null> {
      return sendJob(boss, mt5SyncJob, job);
    },
    /** Due jobs; a malformed one is failed with its reason and left out. */
    async fetch(batchSize: number): Promise<{ id: string; job: SyncJob }[]> {
      const jobs = await fetchJobs(boss, mt5SyncJob, batchSize, (id, error, data) => {
        log(`queue: job ${id} failed unrun: ${error.message}`);
        const accountId = (data as { accountId?: unknown } | null)?.accountId;
        if (typeof accountId === "string") onRefusedAccount(accountId);
      });
      for (const { id } of jobs) runs.fetched(id);
      return jobs.map(({ id, payload }) => ({ id, job: payload }));
    },
    async complete(id: string, output: object): Promise<void> {
      await boss.complete(SYNC_QUEUE, id, output);
      runs.settled(id, "completed");
    },
    async fail(id: string, output: object): Promise<void> {
      await boss.fail(SYNC_QUEUE, id, output);
      const code = (output as { code?: unknown }).code;
      runs.settled(id, "failed", typeof code === "string" ? code : undefined);
    },
  };
}

export type SyncQueueClient = ReturnType<typeof syncQueue>;
