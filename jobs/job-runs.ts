// One log line per job run, whatever the queue: its name, id, duration and
// outcome (completed or failed, with the error's type and message). pg-boss
// queues run their handlers through boss.work, so startBoss (./queue.ts)
// wraps it once here; the sync queue, which the dispatcher drives by hand
// (fetch, then complete or fail), reports through jobRunTimer.
import type { PgBoss } from "pg-boss";
import type { Logger } from "~/lib/logger.server.ts";

export type JobOutcome = "completed" | "failed";

export interface JobRun {
  job: string;
  jobId: string;
  durationMs: number;
  outcome: JobOutcome;
  /** Why it failed: an error, or the failure code the job reported. */
  error?: unknown;
  code?: string;
}

export function logJobRun(logger: Logger, { job, jobId, durationMs, outcome, error, code }: JobRun): void {
  const line = { job, jobId, durationMs: Math.round(durationMs), outcome, ...(code ? { code } : {}), ...(error === undefined ? {} : { err: error }) };
  if (outcome === "failed") logger.warn(line, `job failed: ${job}`);
  else logger.info(line, `job done: ${job}`);
}

type Handler = (jobs: { id: string }[]) => Promise<unknown>;

/** Wraps boss.work so each run of every handler is logged, job by job (a batch shares its duration and outcome). */
export function logJobRuns(boss: PgBoss, logger: Logger, now: () => number = () => performance.now()): void {
  const work = boss.work.bind(boss) as (name: string, ...rest: unknown[]) => Promise<string>;
  const timed =
    (name: string, handler: Handler): Handler =>
    async (jobs) => {
      const started = now();
      const logAll = (outcome: JobOutcome, error?: unknown) => {
        for (const job of jobs) logJobRun(logger, { job: name, jobId: job.id, durationMs: now() - started, outcome, error });
      };
      try {
        const result = await handler(jobs);
        logAll("completed");
        return result;
      } catch (error) {
        logAll("failed", error);
        throw error;
      }
    };
  (boss as { work: unknown }).work = (name: string, ...rest: unknown[]) => {
    const handler = rest.at(-1);
    if (typeof handler !== "function") return work(name, ...rest);
    return work(name, ...rest.slice(0, -1), timed(name, handler as Handler));
  };
}

/** For a queue run by hand: remember when each job was fetched, log it when settled. */
export function jobRunTimer(job: string, logger: Logger | undefined, now: () => number = () => performance.now()) {
  const started = new Map<string, number>();
  return {
    fetched(jobId: string): void {
      started.set(jobId, now());
    },
    settled(jobId: string, outcome: JobOutcome, code?: string): void {
      const at = started.get(jobId);
      started.delete(jobId);
      if (logger && at !== undefined) logJobRun(logger, { job, jobId, durationMs: now() - at, outcome, code });
    },
  };
}
