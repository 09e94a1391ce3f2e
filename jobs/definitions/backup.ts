// The backup queue (issue 19 item 7): once a night, at BACKUP_HOUR (UTC), a
// copy of the database (pg_dump, custom format) and of the screenshots goes to
// BACKUP_DIR, and copies beyond 7 daily / 4 weekly / 12 monthly are deleted
// (jobs/backup/, docs/operations/backups.md). `exclusive`: never two dumps at
// once. Two retries a few minutes apart cover a Storage or database blip; a
// dump of our size takes seconds to minutes, so an hour's expiry only catches
// a hung one.
import { z } from "zod";
import { defineJob } from "./define-job.ts";

const payload = z.object({
  reason: z.enum(["schedule", "manual"]),
});

/** The cron line pg-boss schedules: minute 0 of `hour`, every day. */
export function backupCron(hour: number): string {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new Error(`BACKUP_HOUR must be a whole hour 0-23, not ${hour}`);
  return `0 ${hour} * * *`;
}

export const backupJob = defineJob({
  queue: "backup",
  payload,
  policy: {
    policy: "exclusive",
    retryLimit: 2,
    retryDelay: 300,
    expireInSeconds: 3600,
    retentionSeconds: 7 * 86_400,
    deleteAfterSeconds: 7 * 86_400,
  },
  handler: () => import("../backup/nightly.ts").then((module) => module.runBackup),
});
