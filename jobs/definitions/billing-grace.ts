// The billing-grace queue (issue 15 item 5): a subscription whose payment
// failed (past_due) keeps its plan until billing_grace_ends_at, which the
// Stripe webhook sets BILLING_GRACE_DAYS after the first failure; this job
// moves users whose grace has run out to Free. A job rather than a rule at
// read time because public.profiles.subscription_tier is what every reader
// enforces — the limit triggers, the sync scheduler, the accounts page — and
// the stored tier stays the one answer. `exclusive`: one run at a time; the
// jobs process schedules one every minute, so a grace ends at most a minute
// late. No retries: the next run is the retry.
import { z } from "zod";
import { defineJob } from "./define-job.ts";

const payload = z.object({
  reason: z.enum(["schedule", "manual"]),
});

export const BILLING_GRACE_CRON = "* * * * *";

export const billingGraceJob = defineJob({
  queue: "billing-grace",
  payload,
  policy: { policy: "exclusive", retryLimit: 0, expireInSeconds: 120, retentionSeconds: 3600, deleteAfterSeconds: 3600 },
  handler: () => import("../billing-grace.ts").then((module) => module.runBillingGrace),
});
