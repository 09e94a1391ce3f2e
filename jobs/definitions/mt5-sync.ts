// The MT5 sync queue (docs/decisions/009, 011). `stately` keyed by account: at
// most one job queued and one running per account, whoever sends them. No
// pg-boss retries — the cadence sends the next attempt — and a job a crashed
// jobs process held expires after 15 minutes. Failed jobs are kept an hour:
// the health report's failed count is the last hour's.
import { z } from "zod";
import type { SyncJob } from "../sync/cadence.ts";
import { defineJob } from "./define-job.ts";

/** A Date on the queue as ISO text. */
const isoDate = z.codec(z.iso.datetime(), z.date(), {
  decode: (text) => new Date(text),
  encode: (date) => date.toISOString(),
});

const payload = z.object({
  accountId: z.guid(),
  userId: z.guid(),
  tier: z.enum(["free", "pro", "elite"]),
  mt5Server: z.string().min(1),
  mt5Login: z.string().regex(/^\d+$/, "expected the MT5 login's digits"),
  kind: z.enum(["history", "full", "light"]),
  reason: z.enum(["first_sync", "catch_up", "position_closed", "cadence", "weekend"]),
  priority: z.int().min(0),
  notBefore: isoDate,
});

// The schema and cadence.ts's SyncJob must describe the same job.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const payloadIsSyncJob: Same<z.output<typeof payload>, SyncJob> = true;
void payloadIsSyncJob;

export const mt5SyncJob = defineJob({
  queue: "mt5-sync",
  payload,
  policy: { policy: "stately", retryLimit: 0, expireInSeconds: 900, retentionSeconds: 3600, deleteAfterSeconds: 3600 },
  sendOptions: (job) => ({ priority: job.priority, singletonKey: job.accountId }),
  handler: () => import("../sync/run-sync-job.ts").then((module) => module.runSyncJob),
});
