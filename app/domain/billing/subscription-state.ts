// What a user's Stripe subscription means for their plan, and whether an
// incoming snapshot of it may replace the stored one. Stripe does not promise
// to deliver events in order, so every decision compares stamps: an event
// older than the state it would replace is recorded and ignored, and a
// subscription older than the stored one never replaces it.
import type { Tier } from "../entitlements.ts";
import { choiceForPrice, type BillingInterval, type PriceCatalog } from "./prices.ts";

export type SubscriptionStatus = "active" | "trialing" | "past_due" | "canceled" | "incomplete" | "incomplete_expired" | "unpaid" | "paused";

export const SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = [
  "active",
  "trialing",
  "past_due",
  "canceled",
  "incomplete",
  "incomplete_expired",
  "unpaid",
  "paused",
];

/** A subscription as one event shows it. */
export interface SubscriptionSnapshot {
  id: string;
  customerId: string;
  status: SubscriptionStatus;
  priceId: string | null;
  cancelAtPeriodEnd: boolean;
  currentPeriodEnd: Date | null;
  /** The subscription's own `created`. */
  startedAt: Date;
}

/** What the profile holds of the subscription it last applied. */
export interface StoredSubscription {
  subscriptionId: string | null;
  status: SubscriptionStatus;
  startedAt: Date | null;
  /** `created` of the event whose snapshot is stored. */
  stateAt: Date | null;
  graceEndsAt: Date | null;
}

/** Statuses in which a subscription is still running (it may yet be paid). */
const RUNNING: ReadonlySet<SubscriptionStatus> = new Set(["active", "trialing", "past_due", "unpaid", "incomplete", "paused"]);
const PAID_UP: ReadonlySet<SubscriptionStatus> = new Set(["active", "trialing"]);
const OVERDUE: ReadonlySet<SubscriptionStatus> = new Set(["past_due", "unpaid"]);

export type SnapshotDecision = { apply: true } | { apply: false; why: "older_event" | "older_subscription" | "ended_subscription_not_current" };

/**
 * May `incoming` (seen in an event created at `eventAt`) replace `stored`?
 *  - Same subscription: only if the event is not older than the stored state.
 *    Stripe stamps `created` in whole seconds, so events of one second tie;
 *    a tie never takes a paid-up subscription back to `incomplete` (the
 *    subscription's `created` event often shares its second with the payment).
 *  - Another subscription: a newer one replaces the stored one; an older one
 *    only if it is running and the stored one has ended (a late event of a
 *    cancelled subscription never ends the one that replaced it).
 */
export function decideSnapshot(stored: StoredSubscription, incoming: SubscriptionSnapshot, eventAt: Date): SnapshotDecision {
  if (!stored.subscriptionId) return { apply: true };
  if (stored.subscriptionId === incoming.id) {
    if (stored.stateAt && eventAt < stored.stateAt) return { apply: false, why: "older_event" };
    if (stored.stateAt && eventAt.getTime() === stored.stateAt.getTime() && PAID_UP.has(stored.status) && incoming.status === "incomplete") {
      return { apply: false, why: "older_event" };
    }
    return { apply: true };
  }
  if (stored.startedAt && incoming.startedAt > stored.startedAt) return { apply: true };
  if (!RUNNING.has(stored.status) && RUNNING.has(incoming.status)) return { apply: true };
  return { apply: false, why: RUNNING.has(incoming.status) ? "older_subscription" : "ended_subscription_not_current" };
}

/**
 * When access ends for an overdue subscription: `graceDays` after it first fell
 * overdue, kept while it stays overdue, cleared once it is paid up again.
 */
export function graceEndsAt(previous: StoredSubscription, status: SubscriptionStatus, overdueSince: Date, graceDays: number): Date | null {
  if (!OVERDUE.has(status)) return null;
  if (previous.graceEndsAt && OVERDUE.has(previous.status)) return previous.graceEndsAt;
  return new Date(overdueSince.getTime() + graceDays * 86_400_000);
}

/** The plan a subscription entitles to right now. */
export function entitledTier(
  subscription: { status: SubscriptionStatus; priceId: string | null; graceEndsAt: Date | null },
  catalog: PriceCatalog,
  now: Date,
): Tier {
  const choice = choiceForPrice(catalog, subscription.priceId);
  if (!choice) return "free";
  if (PAID_UP.has(subscription.status)) return choice.tier;
  if (OVERDUE.has(subscription.status) && !graceIsOver(subscription, now)) return choice.tier;
  return "free";
}

/** An overdue subscription whose grace has run out: its user is on Free until it is paid. */
export function graceIsOver(subscription: { status: SubscriptionStatus; graceEndsAt: Date | null }, now: Date): boolean {
  return OVERDUE.has(subscription.status) && (subscription.graceEndsAt === null || now >= subscription.graceEndsAt);
}

export function intervalOf(catalog: PriceCatalog, priceId: string | null): BillingInterval | null {
  return choiceForPrice(catalog, priceId)?.interval ?? null;
}

export function isOverdue(status: SubscriptionStatus): boolean {
  return OVERDUE.has(status);
}

export function isRunning(status: SubscriptionStatus): boolean {
  return RUNNING.has(status);
}
