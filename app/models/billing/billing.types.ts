// What the billing pages receive from app/models/billing (components import this, never a .server module).
import type { BillingInterval, PaidTier } from "~/domain/billing/prices.ts";
import type { SubscriptionStatus } from "~/domain/billing/subscription-state.ts";
import type { Tier } from "~/domain/entitlements.ts";

export interface RestrictedAccount {
  id: string;
  name: string;
  access: "no_sync" | "read_only";
}

export interface BillingOverview {
  tier: Tier;
  /** The plan the subscription is for (it can differ from `tier` once a grace has ended). */
  subscribedTier: PaidTier | null;
  interval: BillingInterval | null;
  status: SubscriptionStatus | null;
  cancelAtPeriodEnd: boolean;
  /** ISO: renewal date, or the end date when cancelling at period end. */
  currentPeriodEnd: string | null;
  graceEndsAt: string | null;
  hasCustomer: boolean;
  restrictedAccounts: RestrictedAccount[];
  billingConfigured: boolean;
}

export interface InvoiceSummary {
  id: string;
  number: string | null;
  createdAt: string;
  amountCents: number;
  currency: string;
  status: string | null;
  url: string | null;
}

export interface BillingBanner {
  /** grace: still on the paid plan; lapsed: the grace ended and the user is on Free. */
  kind: "grace" | "lapsed";
  planName: string;
  graceEndsAt: string | null;
  timeZone: string;
}
