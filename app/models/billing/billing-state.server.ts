// The billing columns of a profile, read and written as one ProfileBilling.
import type pg from "pg";
import type { ProfileBilling } from "~/domain/billing/apply-event.ts";

type Db = Pick<pg.PoolClient, "query">;

const COLUMNS = `subscription_tier as tier, stripe_customer_id as "customerId", stripe_subscription_id as "subscriptionId",
  subscription_status as status, subscription_price_id as "priceId", subscription_cancel_at_period_end as "cancelAtPeriodEnd",
  subscription_current_period_end as "currentPeriodEnd", subscription_started_at as "startedAt",
  subscription_state_at as "stateAt", billing_grace_ends_at as "graceEndsAt"`;

/** The user's billing state, locked until the transaction ends (events for one user apply one at a time). */
export async function lockProfileBilling(db: Db, userId: string): Promise<ProfileBilling | null> {
  const { rows } = await db.query<ProfileBilling>(`select ${COLUMNS} from public.profiles where id = $1 for update`, [userId]);
  return rows[0] ?? null;
}

export async function readProfileBilling(db: Db, userId: string): Promise<ProfileBilling | null> {
  const { rows } = await db.query<ProfileBilling>(`select ${COLUMNS} from public.profiles where id = $1`, [userId]);
  return rows[0] ?? null;
}

export async function writeProfileBilling(db: Db, userId: string, state: ProfileBilling): Promise<void> {
  await db.query(
    `update public.profiles set
       subscription_tier = $2, stripe_customer_id = $3, stripe_subscription_id = $4, subscription_status = $5,
       subscription_price_id = $6, subscription_cancel_at_period_end = $7, subscription_current_period_end = $8,
       subscription_started_at = $9, subscription_state_at = $10, billing_grace_ends_at = $11
     where id = $1`,
    billingStateValues(userId, state),
  );
}

/** The user id and the state's eleven columns, in the order both writes (this update and billing.write_profile) take them. */
export function billingStateValues(userId: string, state: ProfileBilling): unknown[] {
  return [
    userId,
    state.tier,
    state.customerId,
    state.subscriptionId,
    state.status,
    state.priceId,
    state.cancelAtPeriodEnd,
    state.currentPeriodEnd,
    state.startedAt,
    state.stateAt,
    state.graceEndsAt,
  ];
}
