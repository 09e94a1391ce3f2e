// Ends the grace of past_due subscriptions (definition and schedule:
// jobs/definitions/billing-grace.ts). Each user is handled in a service-role
// transaction of its own, acting for that user, with the profile row locked so
// a webhook that lands at the same moment (a payment that went through) is
// applied before or after, never lost: the decision is re-made on the locked row.
import type { PgBoss } from "pg-boss";
import type pg from "pg";
import { graceIsOver } from "~/domain/billing/subscription-state.ts";
import { withServiceRole } from "~/lib/service-role.server.ts";
import { lockProfileBilling, writeProfileBilling } from "~/models/billing/billing-state.server.ts";
import { BILLING_GRACE_CRON, billingGraceJob } from "./definitions/billing-grace.ts";
import { decodePayload, encodePayload, type JobPayload } from "./definitions/define-job.ts";

export interface BillingGraceContext {
  pool: pg.Pool;
  now?: () => Date;
  log: (line: string) => void;
}

export async function runBillingGrace(payload: JobPayload<typeof billingGraceJob>, context: BillingGraceContext): Promise<{ movedToFree: string[] }> {
  const now = context.now?.() ?? new Date();
  const candidates = await withServiceRole(context.pool, null, async (db) => {
    const { rows } = await db.query<{ id: string }>(
      `select id from public.profiles
        where subscription_status in ('past_due', 'unpaid') and subscription_tier <> 'free'
          and (billing_grace_ends_at is null or billing_grace_ends_at <= $1)`,
      [now],
    );
    return rows.map((row) => row.id);
  });
  const movedToFree: string[] = [];
  for (const userId of candidates) {
    const moved = await withServiceRole(context.pool, userId, async (db) => {
      const state = await lockProfileBilling(db, userId);
      if (!state || state.tier === "free" || !graceIsOver(state, now)) return false;
      await writeProfileBilling(db, userId, { ...state, tier: "free" });
      return true;
    });
    if (moved) movedToFree.push(userId);
  }
  if (movedToFree.length) context.log(`billing-grace (${payload.reason}): ${movedToFree.length} user(s) moved to Free after their grace ended`);
  return { movedToFree };
}

/** Schedules the check every minute and works its queue in this process. */
export async function startBillingGrace(boss: PgBoss, context: BillingGraceContext, { pollingIntervalSeconds = 30 } = {}): Promise<void> {
  await boss.schedule(billingGraceJob.queue, BILLING_GRACE_CRON, encodePayload(billingGraceJob, { reason: "schedule" }) as object);
  await boss.work(billingGraceJob.queue, { pollingIntervalSeconds }, async (jobs) => {
    const run = await billingGraceJob.handler();
    const results: { movedToFree: string[] }[] = [];
    for (const job of jobs) results.push(await run(decodePayload(billingGraceJob, job.data), context));
    return results;
  });
}
