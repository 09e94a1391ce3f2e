// Settings → Billing: what the user's plan is, and the requests they can make
// of Stripe — checkout, a plan or interval switch (prorated), cancel at period
// end and resume, the customer portal, invoices. None of these change the plan
// here: Stripe's webhook does (stripe-webhook.server.ts), so the page shows
// what Stripe has confirmed. Runs in the request's RLS transaction as the user.
import type Stripe from "stripe";
import { choiceForPrice, priceIdFor, type PlanChoice, type PriceCatalog } from "~/domain/billing/prices.ts";
import { isRunning, type SubscriptionStatus } from "~/domain/billing/subscription-state.ts";
import type { Tier } from "~/domain/entitlements.ts";
import { AppError } from "~/lib/app-error.ts";
import type { RequestDb } from "~/lib/request-db.server.ts";
import type { BillingOverview, InvoiceSummary, RestrictedAccount } from "./billing.types.ts";

export type { BillingOverview, InvoiceSummary, RestrictedAccount };

export interface BillingSettings {
  stripe: Stripe;
  catalog: PriceCatalog;
  siteUrl: string;
}

interface ProfileRow {
  email: string;
  tier: Tier;
  status: SubscriptionStatus;
  customerId: string | null;
  subscriptionId: string | null;
  priceId: string | null;
  cancelAtPeriodEnd: boolean;
  currentPeriodEnd: Date | null;
  graceEndsAt: Date | null;
}

async function readProfile(db: RequestDb, userId: string): Promise<ProfileRow> {
  const { rows } = await db.query<ProfileRow>(
    `select email, subscription_tier as tier, subscription_status as status, stripe_customer_id as "customerId",
            stripe_subscription_id as "subscriptionId", subscription_price_id as "priceId",
            subscription_cancel_at_period_end as "cancelAtPeriodEnd", subscription_current_period_end as "currentPeriodEnd",
            billing_grace_ends_at as "graceEndsAt"
       from public.profiles where id = $1`,
    [userId],
  );
  if (!rows[0]) throw new AppError("not_found", "Your profile was not found. Sign out and in again.");
  return rows[0];
}

export async function loadBillingOverview(db: RequestDb, userId: string, catalog: PriceCatalog, configured: boolean): Promise<BillingOverview> {
  const profile = await readProfile(db, userId);
  const { rows } = await db.query<RestrictedAccount>(
    `select id, name, access from (select id, name, created_at, public.account_plan_access(id) as access from public.accounts where user_id = $1) a
      where access <> 'full' order by created_at`,
    [userId],
  );
  const subscribed = profile.subscriptionId && isRunning(profile.status) ? choiceForPrice(catalog, profile.priceId) : null;
  return {
    tier: profile.tier,
    subscribedTier: subscribed?.tier ?? null,
    interval: subscribed?.interval ?? null,
    status: profile.subscriptionId ? profile.status : null,
    cancelAtPeriodEnd: profile.cancelAtPeriodEnd,
    currentPeriodEnd: profile.currentPeriodEnd?.toISOString() ?? null,
    graceEndsAt: profile.graceEndsAt?.toISOString() ?? null,
    hasCustomer: Boolean(profile.customerId),
    restrictedAccounts: rows,
    billingConfigured: configured,
  };
}

function priceOrRefuse(catalog: PriceCatalog, choice: PlanChoice): string {
  const price = priceIdFor(catalog, choice);
  if (!price) throw new AppError("unavailable", "That plan can't be bought yet: billing is not fully configured on this server.");
  return price;
}

function stripeTrouble(error: unknown): AppError {
  return new AppError("unavailable", "Stripe could not be reached just now. Nothing was charged or changed; try again in a minute.", {
    cause: error,
  });
}

/** The user's Stripe customer: created once (idempotently), stored, reused. */
async function customerFor(db: RequestDb, userId: string, profile: ProfileRow, stripe: Stripe): Promise<string> {
  if (profile.customerId) return profile.customerId;
  const customer = await stripe.customers
    .create({ email: profile.email, metadata: { user_id: userId } }, { idempotencyKey: `rawjournal-customer-${userId}` })
    .catch((error: unknown) => {
      throw stripeTrouble(error);
    });
  // Two checkouts started at once store one of the two customers; both use the one stored.
  const { rows } = await db.query<{ id: string }>("select public.claim_stripe_customer($1) as id", [customer.id]);
  return rows[0]!.id;
}

/** A hosted Checkout Session for the plan; returns the URL to send the user to. */
export async function startCheckout(db: RequestDb, userId: string, choice: PlanChoice, settings: BillingSettings): Promise<string> {
  const profile = await readProfile(db, userId);
  if (profile.subscriptionId && isRunning(profile.status) && profile.status !== "incomplete") {
    throw new AppError("conflict", "You already have a subscription: switch plan on this page instead of buying a second one.");
  }
  const price = priceOrRefuse(settings.catalog, choice);
  const customer = await customerFor(db, userId, profile, settings.stripe);
  const base = settings.siteUrl.replace(/\/+$/, "");
  const session = await settings.stripe.checkout.sessions
    .create({
      mode: "subscription",
      customer,
      client_reference_id: userId,
      line_items: [{ price, quantity: 1 }],
      success_url: `${base}/settings/billing/success?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${base}/settings/billing/cancel`,
      subscription_data: { metadata: { user_id: userId } },
      metadata: { user_id: userId },
    })
    .catch((error: unknown) => {
      throw stripeTrouble(error);
    });
  if (!session.url) throw stripeTrouble(new Error("checkout session without url"));
  return session.url;
}

async function runningSubscription(
  db: RequestDb,
  userId: string,
  stripe: Stripe,
): Promise<{ profile: ProfileRow; subscription: Stripe.Subscription }> {
  const profile = await readProfile(db, userId);
  if (!profile.subscriptionId || !isRunning(profile.status)) {
    throw new AppError("conflict", "You have no running subscription to change. Choose a plan to subscribe.");
  }
  const subscription = await stripe.subscriptions.retrieve(profile.subscriptionId).catch((error: unknown) => {
    throw stripeTrouble(error);
  });
  return { profile, subscription };
}

/** Pro↔Elite or monthly↔yearly on the same subscription; Stripe prorates the difference. */
export async function switchPlan(db: RequestDb, userId: string, choice: PlanChoice, settings: BillingSettings): Promise<void> {
  const price = priceOrRefuse(settings.catalog, choice);
  const { subscription } = await runningSubscription(db, userId, settings.stripe);
  const item = subscription.items.data[0];
  if (!item) throw stripeTrouble(new Error("subscription without items"));
  if (item.price.id === price) throw new AppError("conflict", "That is already your plan.");
  await settings.stripe.subscriptions
    .update(subscription.id, { items: [{ id: item.id, price }], proration_behavior: "create_prorations" })
    .catch((error: unknown) => {
      throw stripeTrouble(error);
    });
}

/** Cancel at the end of the paid period (true), or take that back (false). */
export async function setCancelAtPeriodEnd(db: RequestDb, userId: string, cancel: boolean, settings: BillingSettings): Promise<void> {
  const { subscription } = await runningSubscription(db, userId, settings.stripe);
  await settings.stripe.subscriptions.update(subscription.id, { cancel_at_period_end: cancel }).catch((error: unknown) => {
    throw stripeTrouble(error);
  });
}

/** Stripe's customer portal (payment methods, invoices); returns its URL. */
export async function portalUrl(db: RequestDb, userId: string, settings: BillingSettings): Promise<string> {
  const profile = await readProfile(db, userId);
  if (!profile.customerId) throw new AppError("conflict", "There is nothing to manage yet: you have not subscribed.");
  const session = await settings.stripe.billingPortal.sessions
    .create({ customer: profile.customerId, return_url: `${settings.siteUrl.replace(/\/+$/, "")}/settings/billing` })
    .catch((error: unknown) => {
      throw stripeTrouble(error);
    });
  return session.url;
}

/** The latest invoices, or null when Stripe cannot be reached (the page offers the portal instead). */
export async function recentInvoices(db: RequestDb, userId: string, stripe: Stripe): Promise<InvoiceSummary[] | null> {
  const profile = await readProfile(db, userId);
  if (!profile.customerId) return [];
  try {
    const invoices = await stripe.invoices.list({ customer: profile.customerId, limit: 12 });
    return invoices.data.map((invoice) => ({
      id: invoice.id ?? "",
      number: invoice.number ?? null,
      createdAt: new Date(invoice.created * 1000).toISOString(),
      amountCents: invoice.amount_due,
      currency: invoice.currency,
      status: invoice.status ?? null,
      url: invoice.hosted_invoice_url ?? null,
    }));
  } catch {
    return null;
  }
}

/** Whether the plan bought at checkout has arrived (the success page waits for the webhook). */
export async function checkoutConfirmed(db: RequestDb, userId: string): Promise<{ confirmed: boolean; tier: Tier }> {
  const profile = await readProfile(db, userId);
  return { confirmed: profile.tier !== "free" && (profile.status === "active" || profile.status === "trialing"), tier: profile.tier };
}
