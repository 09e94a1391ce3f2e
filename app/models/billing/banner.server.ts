// The past-due banner's data for the app shell: one indexed row per page.
import { planName } from "~/domain/billing/plan-names.ts";
import { isOverdue, type SubscriptionStatus } from "~/domain/billing/subscription-state.ts";
import type { Tier } from "~/domain/entitlements.ts";
import type { RequestDb } from "~/lib/request-db.server.ts";
import type { BillingBanner } from "./billing.types.ts";

export type { BillingBanner };

export async function loadBillingBanner(db: RequestDb, userId: string): Promise<BillingBanner | null> {
  const { rows } = await db.query<{ status: SubscriptionStatus; tier: Tier; grace: Date | null; subscribed: boolean; time_zone: string | null }>(
    `select p.subscription_status as status, p.subscription_tier as tier, p.billing_grace_ends_at as grace,
            p.stripe_subscription_id is not null as subscribed, s.time_zone
       from public.profiles p left join public.user_settings s on s.user_id = p.id
      where p.id = $1`,
    [userId],
  );
  const row = rows[0];
  if (!row || !row.subscribed || !isOverdue(row.status)) return null;
  const lapsed = row.tier === "free";
  return {
    kind: lapsed ? "lapsed" : "grace",
    planName: lapsed ? "your paid plan" : planName(row.tier),
    graceEndsAt: row.grace?.toISOString() ?? null,
    timeZone: row.time_zone ?? "UTC",
  };
}
