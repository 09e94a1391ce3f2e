// Runs the backup queue in the jobs process (definition and schedule:
// jobs/definitions/backup.ts; what a copy holds: ./layout.ts).
import type { PgBoss } from "pg-boss";
import { backupCron, backupJob } from "../definitions/backup.ts";
import { decodePayload, encodePayload, type JobPayload } from "../definitions/define-job.ts";
import { takeBackup, type BackupContext, type BackupResult } from "./take-backup.ts";

export async function runBackup(payload: JobPayload<typeof backupJob>, context: BackupContext): Promise<BackupResult> {
  context.log(`backup (${payload.reason}) starting`);
  return takeBackup(context);
}

/** Schedules the nightly copy at `hour` (UTC) and works the queue in this process. */
export async function startBackups(
  boss: PgBoss,
  context: BackupContext,
  { hour, pollingIntervalSeconds = 60 }: { hour: number; pollingIntervalSeconds?: number },
): Promise<void> {
  // pg-boss schedules only onto an existing queue (creating one that exists changes nothing).
  await boss.createQueue(backupJob.queue, backupJob.policy);
  await boss.schedule(backupJob.queue, backupCron(hour), encodePayload(backupJob, { reason: "schedule" }) as object, { tz: "UTC" });
  await boss.work(backupJob.queue, { pollingIntervalSeconds }, async (jobs) => {
    const run = await backupJob.handler();
    const results: BackupResult[] = [];
    for (const job of jobs) results.push(await run(decodePayload(backupJob, job.data), context));
    return results;
  });
}
