// The storage-cleanup queue (issue 13): deletes screenshot objects whose rows
// are gone. A job drains public.storage_deletions (filled by the trigger on
// journal_screenshots, so a deleted trade, review, account or user ends here
// by cascade) and sweeps objects in the bucket that have had no row for an
// hour (an upload whose row insert never happened). `exclusive`: one job
// queued or running at a time, whoever sends it; the jobs process schedules
// one every five minutes. No pg-boss retries: the next run is the retry, and
// a failed object keeps its place in the queue with the error.
import { z } from "zod";
import { defineJob } from "./define-job.ts";

const payload = z.object({
  reason: z.enum(["schedule", "manual"]),
});

export const STORAGE_CLEANUP_CRON = "*/5 * * * *";

export const storageCleanupJob = defineJob({
  queue: "storage-cleanup",
  payload,
  policy: { policy: "exclusive", retryLimit: 0, expireInSeconds: 600, retentionSeconds: 3600, deleteAfterSeconds: 3600 },
  handler: () => import("../storage-cleanup.ts").then((module) => module.runStorageCleanup),
});
