// The outbox of the local mail catcher: every email the Auth service "sends"
// is a row here. It lives in the database (schema `_local`, local tooling only,
// never in supabase/migrations) so the server, the app and tests — separate
// processes — all see the same messages; they read them over HTTP at /_mail.
import type pg from "pg";

export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  links: string[];
}

export interface StoredMail extends OutgoingMail {
  id: string;
  created_at: string;
}

type Queryable = Pick<pg.Pool, "query"> | Pick<pg.PoolClient, "query">;

const ensured = new WeakSet<object>();

/** Creates `_local.mail_outbox` if missing. Idempotent and safe to race. */
export async function ensureOutbox(pool: pg.Pool): Promise<void> {
  if (ensured.has(pool)) return;
  const client = await pool.connect();
  try {
    await client.query("begin");
    // Concurrent `create ... if not exists` can still collide in the catalog.
    await client.query("select pg_advisory_xact_lock(hashtext('rawjournal:local-mail-outbox'))");
    await client.query("create schema if not exists _local");
    await client.query(`
      create table if not exists _local.mail_outbox (
        id uuid primary key default gen_random_uuid(),
        to_address text not null,
        subject text not null,
        html text not null,
        text_body text not null,
        links jsonb not null default '[]'::jsonb,
        created_at timestamptz not null default clock_timestamp()
      )`);
    await client.query("create index if not exists mail_outbox_to_created_idx on _local.mail_outbox (lower(to_address), created_at)");
    // Nothing here is for API roles.
    await client.query("revoke all on schema _local from public");
    await client.query("commit");
    ensured.add(pool);
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export async function storeMail(db: Queryable, mail: OutgoingMail): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into _local.mail_outbox (to_address, subject, html, text_body, links)
     values ($1, $2, $3, $4, $5::jsonb) returning id`,
    [mail.to, mail.subject, mail.html, mail.text, JSON.stringify(mail.links)],
  );
  return rows[0]!.id;
}

/** Emails sent to `to` within the last `seconds`. */
export async function countRecentMail(db: Queryable, to: string, seconds: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from _local.mail_outbox
     where lower(to_address) = lower($1) and created_at > clock_timestamp() - make_interval(secs => $2)`,
    [to, seconds],
  );
  return rows[0]!.n;
}

export async function listMail(db: Queryable, { to, limit = 200 }: { to?: string; limit?: number } = {}): Promise<StoredMail[]> {
  const { rows } = await db.query(
    // The app's own emails (payment failed, …) wait in public.outgoing_emails for a
    // sender; locally this catcher is that sender's inbox, so it shows them too.
    `select * from (
       select id, to_address, subject, html, text_body, links, created_at from _local.mail_outbox
       union all
       select id, to_address, subject, html_body, text_body, '[]'::jsonb, created_at from public.outgoing_emails
     ) mail
      where ($1::text is null or lower(to_address) = lower($1))
      order by created_at desc, id desc
      limit $2`,
    [to ?? null, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    to: row.to_address,
    subject: row.subject,
    html: row.html,
    text: row.text_body,
    links: row.links,
    created_at: new Date(row.created_at).toISOString(),
  }));
}

export async function clearMail(db: Queryable, { to }: { to?: string } = {}): Promise<number> {
  const result = await db.query("delete from _local.mail_outbox where ($1::text is null or lower(to_address) = lower($1))", [to ?? null]);
  return result.rowCount ?? 0;
}
