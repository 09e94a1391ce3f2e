// Every pg-boss queue of the jobs process; each is created at start with its policy.
import { backupJob } from "./backup.ts";
import { candleWindowJob } from "./candle-window.ts";
import { billingGraceJob } from "./billing-grace.ts";
import { mt5SyncJob } from "./mt5-sync.ts";
import { outgoingEmailJob } from "./outgoing-email.ts";
import { storageCleanupJob } from "./storage-cleanup.ts";
import { tradeExcursionsJob } from "./trade-excursions.ts";

export { backupJob, billingGraceJob, candleWindowJob, mt5SyncJob, outgoingEmailJob, storageCleanupJob, tradeExcursionsJob };

export const JOB_DEFINITIONS = [
  mt5SyncJob,
  candleWindowJob,
  storageCleanupJob,
  tradeExcursionsJob,
  billingGraceJob,
  outgoingEmailJob,
  backupJob,
] as const;
