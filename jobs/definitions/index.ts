// Every pg-boss queue of the jobs process; each is created at start with its policy.
import { mt5SyncJob } from "./mt5-sync.ts";

export { mt5SyncJob };

export const JOB_DEFINITIONS = [mt5SyncJob] as const;
