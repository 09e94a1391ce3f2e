// The outgoing-email queue (issue 15 item 5): sends the rows the app queued in
// public.outgoing_emails (the payment-failed email) over SMTP. The retry
// policy lives on the rows (attempts, next_attempt_at), not in pg-boss: a run
// sends whatever is due, so the next run is the retry. `exclusive`: one run
// queued or running at a time; the jobs process schedules one every minute,
// and only when SMTP is configured (jobs/mail/smtp-settings.ts).
import { z } from "zod";
import { defineJob } from "./define-job.ts";

const payload = z.object({
  reason: z.enum(["schedule", "manual"]),
});

export const OUTGOING_EMAIL_CRON = "* * * * *";

export const outgoingEmailJob = defineJob({
  queue: "outgoing-email",
  payload,
  policy: { policy: "exclusive", retryLimit: 0, expireInSeconds: 900, retentionSeconds: 3600, deleteAfterSeconds: 3600 },
  handler: () => import("../mail/send-outgoing-emails.ts").then((module) => module.runOutgoingEmail),
});
