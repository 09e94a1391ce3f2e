// The Stripe webhook's database side, on the web process's own login
// (docs/decisions/021). That login cannot become service_role, so each step is
// one of the billing.* functions granted to it by name
// (supabase/migrations/20261208100000_least_privilege_web.sql), all in the one
// transaction that records the event and changes the user's entitlements.
import type pg from "pg";
import type { ProfileBilling } from "~/domain/billing/apply-event.ts";
import { billingStateValues } from "./billing-state.server.ts";

type Db = Pick<pg.PoolClient, "query">;

/** One transaction as the login itself (no role taken on): commits when `work` resolves, rolls back when it throws. */
export async function withLoginTransaction<T>(pool: pg.Pool, work: (db: Db) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("begin");
    const result = await work(client);
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Whose event: the stored customer id wins, else the user the app named, if that user has no other customer. */
export async function eventOwner(db: Db, customerId: string | null, claimedUserId: string | null): Promise<string | null> {
  const { rows } = await db.query<{ id: string | null }>("select billing.event_owner($1, $2) as id", [customerId, claimedUserId]);
  return rows[0]?.id ?? null;
}

/** Records the event; false when it was recorded before (a replay changes nothing). */
export async function recordStripeEvent(db: Db, event: { id: string; type: string; userId: string | null; payload: string }): Promise<boolean> {
  const { rows } = await db.query<{ recorded: boolean }>("select billing.record_event($1, $2, $3, $4) as recorded", [
    event.id,
    event.type,
    event.userId,
    event.payload,
  ]);
  return rows[0]?.recorded === true;
}

/** The user's billing state, locked until the transaction ends (events for one user apply one at a time). */
export async function lockBillingState(db: Db, userId: string): Promise<ProfileBilling | null> {
  const { rows } = await db.query<ProfileBilling>("select * from billing.lock_profile($1)", [userId]);
  return rows[0] ?? null;
}

export async function writeBillingState(db: Db, userId: string, state: ProfileBilling): Promise<void> {
  await db.query("select billing.write_profile($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", billingStateValues(userId, state));
}

export async function queuePaymentFailedEmail(
  db: Db,
  userId: string,
  email: { subject: string; text: string; html: string },
  dedupeKey: string,
): Promise<void> {
  await db.query("select billing.queue_payment_failed_email($1, $2, $3, $4, $5)", [userId, email.subject, email.text, email.html, dedupeKey]);
}
