// Sends the app's queued emails (public.outgoing_emails) over SMTP; the queue's
// definition and schedule are in jobs/definitions/outgoing-email.ts. Each run
// claims the due rows, sends them one by one and records the outcome:
//   accepted            → sent_at + the server's message id
//   refused with a 5xx  → failed at once (a bad address will not get better)
//   anything else       → retried with exponential backoff, failed after
//                         maxAttempts, the error kept in last_error
// Error texts come from the SMTP dialogue or the socket, never from the
// settings, so no password reaches a log line or a row.
import nodemailer from "nodemailer";
import type { PgBoss } from "pg-boss";
import type pg from "pg";
import { decodePayload, encodePayload, type JobPayload } from "../definitions/define-job.ts";
import { OUTGOING_EMAIL_CRON, outgoingEmailJob } from "../definitions/outgoing-email.ts";
import { claimDueEmails, failAbandonedSends, markFailed, markRetry, markSent, type ClaimedEmail } from "./outgoing-email-store.ts";
import type { SmtpSettings } from "./smtp-settings.ts";

/** What sending needs from nodemailer: a transport's sendMail. */
export interface MailTransport {
  sendMail(message: { from: string; to: string; subject: string; text: string; html: string; messageId: string }): Promise<{ messageId?: string }>;
}

export interface OutgoingEmailContext {
  pool: pg.Pool;
  transport: MailTransport;
  from: string;
  log: (line: string) => void;
  now?: () => Date;
  /** Attempts before a row is marked failed (default 5). */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt, capped at an hour (default 60 s). */
  retryBaseMs?: number;
  /** Rows claimed per run (default 50). */
  batchSize?: number;
}

export interface OutgoingEmailResult {
  sent: number;
  retrying: number;
  failed: number;
}

const ABANDONED_AFTER_MS = 15 * 60_000;
const MAX_RETRY_DELAY_MS = 3600_000;

export function createSmtpTransport(settings: SmtpSettings): MailTransport {
  return nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(settings.auth ? { auth: settings.auth } : {}),
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
    socketTimeout: 60_000,
    logger: false,
    debug: false,
  });
}

/** After attempt n (1-based): base · 2^(n-1), at most an hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
}

/** A refusal the SMTP server calls permanent (5xx): retrying will not help. */
export function isPermanentRefusal(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 500);
}

export async function runOutgoingEmail(payload: JobPayload<typeof outgoingEmailJob>, context: OutgoingEmailContext): Promise<OutgoingEmailResult> {
  const now = () => context.now?.() ?? new Date();
  const maxAttempts = context.maxAttempts ?? 5;
  const baseMs = context.retryBaseMs ?? 60_000;
  const abandoned = await failAbandonedSends(context.pool, new Date(now().getTime() - ABANDONED_AFTER_MS), now());
  if (abandoned) context.log(`outgoing-email: ${abandoned} email(s) left mid-send by a stopped worker marked failed, not sent again`);
  const claimed = await claimDueEmails(context.pool, now(), context.batchSize ?? 50);
  const result: OutgoingEmailResult = { sent: 0, retrying: 0, failed: 0 };
  for (const email of claimed) await sendOne(email, context, maxAttempts, baseMs, now, result);
  if (claimed.length) {
    context.log(`outgoing-email (${payload.reason}): ${result.sent} sent, ${result.retrying} to retry, ${result.failed} failed`);
  }
  return result;
}

async function sendOne(
  email: ClaimedEmail,
  context: OutgoingEmailContext,
  maxAttempts: number,
  baseMs: number,
  now: () => Date,
  result: OutgoingEmailResult,
): Promise<void> {
  try {
    // A Message-ID of our own, from the row: the id we store is the one the recipient's server sees.
    const messageId = `<outgoing-email-${email.id}@${context.from.match(/@([^>\s]+)>?$/)?.[1] ?? "rawjournal.invalid"}>`;
    const info = await context.transport.sendMail({
      from: context.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId,
    });
    await markSent(context.pool, email.id, now(), info.messageId ?? messageId);
    result.sent++;
  } catch (error) {
    const reason = describeError(error);
    if (isPermanentRefusal(error) || email.attempts >= maxAttempts) {
      await markFailed(context.pool, email.id, reason, now());
      result.failed++;
      context.log(`outgoing-email: email ${email.id} failed after ${email.attempts} attempt(s): ${reason}`);
    } else {
      await markRetry(context.pool, email.id, reason, new Date(now().getTime() + retryDelayMs(email.attempts, baseMs)));
      result.retrying++;
      context.log(`outgoing-email: email ${email.id} attempt ${email.attempts} of ${maxAttempts} failed, retrying: ${reason}`);
    }
  }
}

/** Schedules a run every minute and works the queue in this process. */
export async function startOutgoingEmail(boss: PgBoss, context: OutgoingEmailContext, { pollingIntervalSeconds = 30 } = {}): Promise<void> {
  await boss.schedule(outgoingEmailJob.queue, OUTGOING_EMAIL_CRON, encodePayload(outgoingEmailJob, { reason: "schedule" }) as object);
  await boss.work(outgoingEmailJob.queue, { pollingIntervalSeconds }, async (jobs) => {
    const run = await outgoingEmailJob.handler();
    const results: OutgoingEmailResult[] = [];
    for (const job of jobs) results.push(await run(decodePayload(outgoingEmailJob, job.data), context));
    return results;
  });
}
