// The MAE/MFE queue (issue 14 item 5): measures the unmeasured closed trades
// of one account (jobs/excursions). Sent when a sync stores closed trades,
// when an import completes, and for every account with unmeasured trades when
// the jobs process starts. `stately` keyed by account: one job running and one
// waiting per account, so a burst of closes or imports costs one extra run at
// most; the running one takes every pending trade, in batches. Two retries a
// minute apart for a terminal hiccup; a job on 10,000 trades takes under a
// minute, so 15 minutes of expiry is a crashed process, not a slow job.
import { z } from "zod";
import { defineJob } from "./define-job.ts";

const payload = z.object({
  accountId: z.guid(),
  reason: z.enum(["closed", "import", "startup"]),
});

export const tradeExcursionsJob = defineJob({
  queue: "trade-excursions",
  payload,
  policy: { policy: "stately", retryLimit: 2, retryDelay: 60, expireInSeconds: 900, retentionSeconds: 3600, deleteAfterSeconds: 3600 },
  sendOptions: (job) => ({ singletonKey: job.accountId }),
  handler: () => import("../excursions/measure-account.ts").then((module) => module.measureAccount),
});
