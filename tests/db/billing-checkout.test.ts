// Settings → Billing's model functions against the local Stripe stand-in (the
// official client pointed at it): checkout creates the user's customer once and
// asks for the configured price, never one from the form; plan switches are
// prorated on the same subscription; cancel at period end and resume. Stripe's
// signed webhook deliveries are collected and handed to the webhook handler, so
// the plan changes only when Stripe's events say so, exactly as in production.
import type Stripe from "stripe";
import { beforeAll, describe, expect, it } from "vitest";
import type { PriceCatalog } from "../../app/domain/billing/prices.ts";
import { PLANS } from "../../app/domain/entitlements.ts";
import { withRlsTransaction, type RequestDb } from "../../app/lib/db.server.ts";
import { parseForm } from "../../app/lib/forms.ts";
import { handleStripeWebhook } from "../../app/models/billing/stripe-webhook.server.ts";
import { portalUrl, setCancelAtPeriodEnd, startCheckout, switchPlan, type BillingSettings } from "../../app/models/billing/subscription.server.ts";
import { planChoiceSchema } from "../../app/schemas/billing.ts";
import { createTestDatabase } from "../support/database.ts";
import { createUser, userClaims } from "../support/fixtures.ts";
import { startStripeForTests, type StripeUnderTest } from "../support/local-stripe.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../support/stripe-webhook-receiver.ts";

const db = await createTestDatabase();
let stripe: StripeUnderTest;
let receiver: WebhookReceiver;
let settings: BillingSettings;
let catalog: PriceCatalog;
let applied = 0;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  stripe = await startStripeForTests({ webhookUrl: receiver.url });
  catalog = {
    pro: { month: stripe.priceIds.proMonthly, year: stripe.priceIds.proYearly },
    elite: { month: stripe.priceIds.eliteMonthly, year: stripe.priceIds.eliteYearly },
  };
  settings = { stripe: stripe.client, catalog, siteUrl: "http://localhost:3000" };
});

const asUser = <T>(userId: string, work: (db: RequestDb) => Promise<T>) => withRlsTransaction(db.appPool, userClaims(userId), work);

/** Hands every delivery not yet applied to the webhook handler, in the order Stripe sent them. */
async function applyDeliveries(): Promise<void> {
  await new Promise((r) => setTimeout(r, 50));
  await fetch(`${stripe.local!.url}/_local/webhooks/idle`);
  const pending = receiver.deliveries.slice(applied);
  applied += pending.length;
  for (const delivery of pending) {
    const request = new Request("http://localhost:3000/webhooks/stripe", {
      method: "POST",
      headers: { "stripe-signature": delivery.signature },
      body: delivery.body,
    });
    const answer = await handleStripeWebhook(request, {
      pool: db.pool,
      stripe: stripe.client,
      webhookSecret: stripe.webhookSecret,
      rules: { catalog, graceDays: 7 },
      siteUrl: "http://localhost:3000",
      log: () => {},
    });
    expect(answer.status).toBe(200);
  }
}

async function pay(sessionUrl: string): Promise<void> {
  const html = await (await fetch(sessionUrl)).text();
  const action = /<form method="post" action="([^"]+\/pay)">/.exec(html)?.[1];
  if (!action) throw new Error(`no Pay button on ${sessionUrl}`);
  await fetch(new URL(action, sessionUrl), { method: "POST", redirect: "manual" });
  await applyDeliveries();
}

async function profile(userId: string) {
  const { rows } = await db.pool.query(
    `select subscription_tier as tier, subscription_status as status, stripe_customer_id as customer, stripe_subscription_id as subscription,
            subscription_price_id as price, subscription_cancel_at_period_end as cancelling from public.profiles where id = $1`,
    [userId],
  );
  return rows[0] as { tier: string; status: string; customer: string | null; subscription: string | null; price: string | null; cancelling: boolean };
}

const sessionIdOf = (url: string) => /cs_[A-Za-z0-9_]+/.exec(url)![0];

describe("checkout", () => {
  it("creates the customer once, stores it, and opens a subscription checkout for the configured price with the user as client_reference_id", async () => {
    const userId = await createUser(db.pool);
    const first = await asUser(userId, (c) => startCheckout(c, userId, { tier: "pro", interval: "year" }, settings));
    const { customer } = await profile(userId);
    expect(customer).toMatch(/^cus_/);
    const second = await asUser(userId, (c) => startCheckout(c, userId, { tier: "elite", interval: "month" }, settings));
    expect((await profile(userId)).customer).toBe(customer);
    const customers = await stripe.client.customers.retrieve(customer!);
    expect((customers as Stripe.Customer).metadata.user_id).toBe(userId);

    // The amount is the configured price's: Pro yearly, then Elite monthly.
    const session = await stripe.client.checkout.sessions.retrieve(sessionIdOf(first));
    expect(session).toMatchObject({ mode: "subscription", customer, client_reference_id: userId, amount_total: PLANS.pro.yearlyPriceUsdCents });
    const other = await stripe.client.checkout.sessions.retrieve(sessionIdOf(second));
    expect(other.amount_total).toBe(PLANS.elite.priceUsdCents);
    // Nothing changes until Stripe's events arrive.
    expect((await profile(userId)).tier).toBe("free");
  });

  it("the form carries a plan and an interval: a price id sent with it is never read", () => {
    const form = new FormData();
    form.set("tier", "pro");
    form.set("interval", "month");
    form.set("price", "price_free_lunch");
    const parsed = parseForm(form, planChoiceSchema);
    expect(parsed).toEqual({ success: true, data: { tier: "pro", interval: "month" } });
    form.set("tier", "platinum");
    expect(parseForm(form, planChoiceSchema).success).toBe(false);
  });
});

describe("managing a subscription", () => {
  it("pay → Pro; switch to Elite yearly (prorated, same subscription); cancel at period end; resume; portal", async () => {
    const userId = await createUser(db.pool);
    const url = await asUser(userId, (c) => startCheckout(c, userId, { tier: "pro", interval: "month" }, settings));
    await pay(url);
    const subscribed = await profile(userId);
    expect(subscribed).toMatchObject({ tier: "pro", status: "active", price: stripe.priceIds.proMonthly });
    await expect(asUser(userId, (c) => startCheckout(c, userId, { tier: "elite", interval: "month" }, settings))).rejects.toThrow(
      /already have a subscription/,
    );

    await asUser(userId, (c) => switchPlan(c, userId, { tier: "elite", interval: "year" }, settings));
    const remote = await stripe.client.subscriptions.retrieve(subscribed.subscription!);
    expect(remote.items.data[0]?.price.id).toBe(stripe.priceIds.eliteYearly);
    await applyDeliveries();
    expect(await profile(userId)).toMatchObject({ tier: "elite", subscription: subscribed.subscription, price: stripe.priceIds.eliteYearly });

    await asUser(userId, (c) => setCancelAtPeriodEnd(c, userId, true, settings));
    await applyDeliveries();
    expect(await profile(userId)).toMatchObject({ tier: "elite", cancelling: true });
    await asUser(userId, (c) => setCancelAtPeriodEnd(c, userId, false, settings));
    await applyDeliveries();
    expect(await profile(userId)).toMatchObject({ tier: "elite", cancelling: false });

    const portal = await asUser(userId, (c) => portalUrl(c, userId, settings));
    expect(portal.startsWith(stripe.local!.url)).toBe(true);
  });
});
