// One billing event applied to a user's stored billing state: the next state
// (tier included) and whether to send the payment-failed email. Pure, so every
// ordering case is a fixture test; the webhook stores what this returns in the
// transaction that records the event.
import type { Tier } from "../entitlements.ts";
import type { PriceCatalog } from "./prices.ts";
import type { BillingEvent } from "./stripe-events.ts";
import {
  decideSnapshot,
  entitledTier,
  graceEndsAt,
  isOverdue,
  isRunning,
  type StoredSubscription,
  type SubscriptionStatus,
} from "./subscription-state.ts";

export interface ProfileBilling extends StoredSubscription {
  tier: Tier;
  customerId: string | null;
  priceId: string | null;
  cancelAtPeriodEnd: boolean;
  currentPeriodEnd: Date | null;
}

export interface BillingRules {
  catalog: PriceCatalog;
  graceDays: number;
  now: Date;
}

export interface EventOutcome {
  next: ProfileBilling;
  changed: boolean;
  sendPaymentFailedEmail: boolean;
  /** Why nothing changed, for the log. */
  skipped?: string;
}

function unchanged(state: ProfileBilling, skipped: string): EventOutcome {
  return { next: state, changed: false, sendPaymentFailedEmail: false, skipped };
}

function withTier(state: ProfileBilling, rules: BillingRules): ProfileBilling {
  return { ...state, tier: entitledTier(state, rules.catalog, rules.now) };
}

function sameState(a: ProfileBilling, b: ProfileBilling): boolean {
  return (Object.keys(a) as (keyof ProfileBilling)[]).every((key) => {
    const x = a[key];
    const y = b[key];
    return x instanceof Date && y instanceof Date ? x.getTime() === y.getTime() : x === y;
  });
}

function result(before: ProfileBilling, next: ProfileBilling, sendPaymentFailedEmail = false): EventOutcome {
  return { next, changed: !sameState(before, next), sendPaymentFailedEmail };
}

/** An invoice event concerns the stored subscription and is not older than its state. */
function invoiceApplies(state: ProfileBilling, subscriptionId: string | null, eventAt: Date): string | null {
  if (!state.subscriptionId) return "no subscription stored yet";
  if (subscriptionId && subscriptionId !== state.subscriptionId) return "invoice of another subscription";
  if (state.stateAt && eventAt < state.stateAt) return "older than the stored state";
  return null;
}

export function applyBillingEvent(state: ProfileBilling, event: BillingEvent, eventAt: Date, rules: BillingRules): EventOutcome {
  switch (event.kind) {
    case "checkout_completed": {
      // The plan comes from the subscription's own events; checkout only ties
      // the customer to the user if the checkout action could not.
      if (state.customerId || !event.customerId) return unchanged(state, "customer already known");
      return result(state, { ...state, customerId: event.customerId });
    }
    case "subscription": {
      const decision = decideSnapshot(state, event.snapshot, eventAt);
      if (!decision.apply) return unchanged(state, decision.why);
      const s = event.snapshot;
      const next = withTier(
        {
          ...state,
          customerId: state.customerId ?? s.customerId,
          subscriptionId: s.id,
          status: s.status,
          priceId: s.priceId,
          cancelAtPeriodEnd: s.cancelAtPeriodEnd,
          currentPeriodEnd: s.currentPeriodEnd,
          startedAt: s.startedAt,
          stateAt: eventAt,
          graceEndsAt: graceEndsAt(state, s.status, eventAt, rules.graceDays),
        },
        rules,
      );
      return result(state, next);
    }
    case "invoice_payment_failed": {
      const why = invoiceApplies(state, event.subscriptionId, eventAt);
      if (why) return unchanged(state, why);
      // A failed first payment leaves the subscription incomplete: no plan was given, nothing to warn about.
      if (!isRunning(state.status) || state.status === "incomplete") return unchanged(state, `subscription is ${state.status}`);
      const status: SubscriptionStatus = isOverdue(state.status) ? state.status : "past_due";
      const next = withTier({ ...state, status, stateAt: eventAt, graceEndsAt: graceEndsAt(state, status, eventAt, rules.graceDays) }, rules);
      return result(state, next, true);
    }
    case "invoice_paid": {
      const why = invoiceApplies(state, event.subscriptionId, eventAt);
      if (why) return unchanged(state, why);
      if (!isRunning(state.status)) return unchanged(state, `subscription is ${state.status}`);
      // Even when already active, the payment's stamp moves the state on, so a
      // failure from before it that arrives late is seen as older.
      const settled = isOverdue(state.status) || state.status === "incomplete";
      const next = withTier({ ...state, stateAt: eventAt, ...(settled ? { status: "active" as const, graceEndsAt: null } : {}) }, rules);
      return result(state, next);
    }
    case "ignored":
      return unchanged(state, "event type not handled");
    case "unreadable":
      return unchanged(state, `unreadable: ${event.problem}`);
  }
}

/** The tier once time has passed (the grace job): Free when an overdue subscription's grace is over. */
export function tierAt(state: ProfileBilling, rules: BillingRules): Tier {
  return entitledTier(state, rules.catalog, rules.now);
}
