// The rows of public.outgoing_emails as the sender sees them (states in
// supabase/migrations/20261207170000_outgoing_email_delivery.sql). Every
// statement runs as the service role acting for no one user: the sender
// serves every user's queued email and reads nothing else.
import type pg from "pg";
import { withServiceRole } from "~/lib/service-role.server.ts";

export interface ClaimedEmail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Including this one. */
  attempts: number;
}

/**
 * Takes up to `limit` due rows and marks them sending in one committed
 * transaction. `for update skip locked`: two workers claiming at once get
 * disjoint rows, and once committed a claimed row is no longer due for anyone.
 */
export async function claimDueEmails(pool: pg.Pool, now: Date, limit: number): Promise<ClaimedEmail[]> {
  return withServiceRole(pool, null, async (db) => {
    const { rows } = await db.query<{ id: string; to_address: string; subject: string; text_body: string; html_body: string; attempts: number }>(
      `with due as (
         select id from public.outgoing_emails
          where sent_at is null and failed_at is null and sending_since is null and next_attempt_at <= $1
          order by next_attempt_at, created_at
          limit $2
          for update skip locked
       )
       update public.outgoing_emails e
          set sending_since = $1, attempts = e.attempts + 1
         from due where e.id = due.id
       returning e.id, e.to_address, e.subject, e.text_body, e.html_body, e.attempts`,
      [now, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      to: row.to_address,
      subject: row.subject,
      text: row.text_body,
      html: row.html_body,
      attempts: row.attempts,
    }));
  });
}

export async function markSent(pool: pg.Pool, id: string, sentAt: Date, messageId: string | null): Promise<void> {
  await withServiceRole(pool, null, (db) =>
    db.query(`update public.outgoing_emails set sent_at = $2, message_id = $3, sending_since = null, last_error = null where id = $1`, [
      id,
      sentAt,
      messageId,
    ]),
  );
}

export async function markRetry(pool: pg.Pool, id: string, error: string, nextAttemptAt: Date): Promise<void> {
  await withServiceRole(pool, null, (db) =>
    db.query(`update public.outgoing_emails set sending_since = null, last_error = $2, next_attempt_at = $3 where id = $1`, [
      id,
      error,
      nextAttemptAt,
    ]),
  );
}

export async function markFailed(pool: pg.Pool, id: string, error: string, failedAt: Date): Promise<void> {
  await withServiceRole(pool, null, (db) =>
    db.query(`update public.outgoing_emails set sending_since = null, last_error = $2, failed_at = $3 where id = $1`, [id, error, failedAt]),
  );
}

/**
 * A row left sending since before `staleBefore` belongs to a worker that died
 * mid-send: the SMTP server may have taken it. Marked failed, never re-sent,
 * so nobody gets the same email twice. Returns how many.
 */
export async function failAbandonedSends(pool: pg.Pool, staleBefore: Date, now: Date): Promise<number> {
  return withServiceRole(pool, null, async (db) => {
    const { rowCount } = await db.query(
      `update public.outgoing_emails
          set failed_at = $2, sending_since = null,
              last_error = 'the worker stopped while sending; not sent again in case the server took it'
        where sent_at is null and failed_at is null and sending_since < $1`,
      [staleBefore, now],
    );
    return rowCount ?? 0;
  });
}
