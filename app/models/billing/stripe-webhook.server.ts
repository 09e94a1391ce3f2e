// POST /webhooks/stripe, minus the route: verify the signature on the raw body
// with the official library, then apply the event in ONE transaction that
// records it in stripe_events (its id is the primary key, so a replay finds
// it there and changes nothing) and changes the user's entitlements. It runs
// on the web process's own login, which cannot bypass RLS: each step is a
// billing.* function granted to that login (./webhook-store.server.ts,
// docs/decisions/021), and every one names the user the event belongs to.
import type pg from "pg";
import type Stripe from "stripe";
import { applyBillingEvent, type BillingRules } from "~/domain/billing/apply-event.ts";
import { paymentFailedEmail } from "~/domain/billing/emails.ts";
import { readBillingEvent, type BillingEvent } from "~/domain/billing/stripe-events.ts";
import {
  eventOwner,
  lockBillingState,
  queuePaymentFailedEmail,
  recordStripeEvent,
  withLoginTransaction,
  writeBillingState,
} from "./webhook-store.server.ts";
import { planName } from "~/domain/billing/plan-names.ts";
import { processLogger } from "~/lib/logger.server.ts";

/** Stripe's default and the issue's: a signature older than five minutes is refused (replays). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export interface WebhookDeps {
  pool: pg.Pool;
  /** Any client of the official library: only its `webhooks` helper is used here. */
  stripe: Pick<Stripe, "webhooks">;
  webhookSecret: string;
  rules: Omit<BillingRules, "now">;
  siteUrl: string;
  now?: () => Date;
  log?: (line: string) => void;
}

export type WebhookOutcome = "applied" | "unchanged" | "duplicate" | "no_user";

export interface WebhookAnswer {
  status: number;
  body: string;
  outcome?: WebhookOutcome;
}

export async function handleStripeWebhook(request: Request, deps: WebhookDeps): Promise<WebhookAnswer> {
  const signature = request.headers.get("stripe-signature");
  if (!signature) return { status: 400, body: "Missing Stripe-Signature header." };
  const payload = await request.text();
  let event: Stripe.Event;
  try {
    event = deps.stripe.webhooks.constructEvent(payload, signature, deps.webhookSecret, SIGNATURE_TOLERANCE_SECONDS);
  } catch {
    // The library's message may quote the header; it is not logged or echoed.
    return { status: 400, body: "Invalid signature." };
  }
  const outcome = await applyStripeEvent(deps, event, payload);
  return { status: 200, body: JSON.stringify({ received: true, outcome }), outcome };
}

function customerOf(billing: BillingEvent): string | null {
  switch (billing.kind) {
    case "checkout_completed":
      return billing.customerId;
    case "subscription":
      return billing.snapshot.customerId;
    case "invoice_paid":
    case "invoice_payment_failed":
      return billing.customerId;
    default:
      return null;
  }
}

/**
 * Whose event this is. The customer id stored at checkout wins; otherwise the
 * user id the app itself put on the checkout (client_reference_id) or the
 * subscription (metadata.user_id), if that user has no other customer.
 */
async function ownerOf(pool: pg.Pool, billing: BillingEvent): Promise<string | null> {
  const customerId = customerOf(billing);
  const claimed = billing.kind === "checkout_completed" || billing.kind === "subscription" ? billing.userId : null;
  if (!customerId && !claimed) return null;
  return withLoginTransaction(pool, (db) => eventOwner(db, customerId, claimed));
}

export async function applyStripeEvent(deps: WebhookDeps, event: Stripe.Event, payload: string): Promise<WebhookOutcome> {
  const billing = readBillingEvent(event);
  const log = deps.log ?? ((line: string) => processLogger().info(line));
  if (billing.kind === "unreadable") log(`[billing] ${event.id} ${event.type} unreadable: ${billing.problem}`);
  const userId = billing.kind === "ignored" || billing.kind === "unreadable" ? null : await ownerOf(deps.pool, billing);

  const outcome = await withLoginTransaction(deps.pool, async (db) => {
    if (!(await recordStripeEvent(db, { id: event.id, type: event.type, userId, payload }))) return "duplicate" as const;
    if (!userId) return "no_user" as const;
    const state = await lockBillingState(db, userId);
    if (!state) return "no_user" as const;
    const result = applyBillingEvent(state, billing, new Date(event.created * 1000), { ...deps.rules, now: deps.now?.() ?? new Date() });
    if (result.changed) await writeBillingState(db, userId, result.next);
    if (result.sendPaymentFailedEmail) {
      const email = paymentFailedEmail({
        planName: planName(result.next.tier === "free" ? state.tier : result.next.tier),
        graceEndsAt: result.next.graceEndsAt,
        billingUrl: new URL("/settings/billing", deps.siteUrl).toString(),
      });
      await queuePaymentFailedEmail(db, userId, email, `payment_failed:${event.id}`);
    }
    if (!result.changed && result.skipped) log(`[billing] ${event.id} ${event.type} unchanged: ${result.skipped}`);
    return result.changed ? ("applied" as const) : ("unchanged" as const);
  });
  log(`[billing] ${event.id} ${event.type} ${outcome}${userId ? ` user=${userId}` : ""}`);
  return outcome;
}
