// Every pg-boss queue of the jobs process; each is created at start with its policy.
import { mt5SyncJob } from "./mt5-sync.ts";
import { storageCleanupJob } from "./storage-cleanup.ts";

export { mt5SyncJob, storageCleanupJob };

export const JOB_DEFINITIONS = [mt5SyncJob, storageCleanupJob] as const;
