// Contract tests of the local Stripe stand-in, driven only through the official
// `stripe` package (the app's stripeClientFor) and plain HTTP as a browser
// would (the hosted checkout and portal pages' forms).
//
// With STRIPE_SECRET_KEY set to a real sk_test_ key (and STRIPE_PRICE_* naming
// that account's prices) the `both` tests run against Stripe's test mode. The
// `localOnly` ones are skipped there: Stripe's hosted pages need a browser and
// a card, its webhooks cannot reach this machine, and the clock, hold/release
// and resend controls exist only locally (Stripe's equivalent, test clocks,
// needs objects created on a clock).
import Stripe from "stripe";
import { beforeAll, describe, expect, it } from "vitest";
import { PLANS } from "../../app/domain/entitlements.ts";
import { startStripeForTests, type StripeUnderTest } from "../support/local-stripe.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../support/stripe-webhook-receiver.ts";

let receiver: WebhookReceiver;
let stripe: StripeUnderTest;
const local = !process.env.STRIPE_SECRET_KEY?.startsWith("sk_test_") || process.env.STRIPE_SECRET_KEY.startsWith("sk_test_local_");
const both = it;
const localOnly = local ? it : it.skip;

const logLines: string[] = [];

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  stripe = await startStripeForTests({ webhookUrl: receiver.url, log: (line) => logLines.push(line) });
});

const DAY = 86_400;
let emails = 0;
const newCustomer = () => stripe.client.customers.create({ email: `trader-${++emails}@example.test`, metadata: { user_id: `user-${emails}` } });

async function checkout(customer: string, price = stripe.priceIds.proMonthly) {
  return stripe.client.checkout.sessions.create({
    mode: "subscription",
    customer,
    client_reference_id: `user-of-${customer}`,
    line_items: [{ price, quantity: 1 }],
    success_url: "http://localhost:3000/settings/billing/success?session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "http://localhost:3000/settings/billing?canceled=1",
    metadata: { user_id: `user-of-${customer}` },
  });
}

/** Opens the hosted page and submits one of its forms, as a browser without JavaScript would. */
async function clickOnHostedPage(pageUrl: string, button: "Pay" | "Cancel" | "Update payment method" | "Make next payment fail"): Promise<Response> {
  const html = await (await fetch(pageUrl)).text();
  const form = [...html.matchAll(/<form method="post" action="([^"]+)">\s*<button[^>]*>([^<]+)<\/button>/g)].find((m) => m[2]!.startsWith(button));
  if (!form) throw new Error(`no "${button}" button on ${pageUrl}:\n${html}`);
  return fetch(new URL(form[1]!, pageUrl), { method: "POST", redirect: "manual" });
}

async function control(path: string, params: Record<string, string> = {}) {
  const response = await fetch(`${stripe.local!.url}/_local/${path}`, { method: "POST", body: new URLSearchParams(params) });
  expect(response.status, path).toBe(200);
  return response.json() as Promise<Record<string, unknown>>;
}

/** Subscribes a new customer through the hosted page; returns the customer and subscription. */
async function subscribe(price = stripe.priceIds.proMonthly) {
  const customer = await newCustomer();
  const session = await checkout(customer.id, price);
  await clickOnHostedPage(session.url!, "Pay");
  const paid = await stripe.client.checkout.sessions.retrieve(session.id);
  const subscription = await stripe.client.subscriptions.retrieve(String(paid.subscription));
  return { customer, session: paid, subscription };
}

/** Deliveries for one object, verified with the official library as the app verifies them. */
async function eventsFor(objectId: string, type: string, count = 1): Promise<Stripe.Event[]> {
  const deliveries = await receiver.waitFor((d) => d.type === type && d.body.includes(objectId), count);
  return deliveries.map((d) => stripe.client.webhooks.constructEvent(d.body, d.signature, stripe.webhookSecret, 300));
}

const periodEndOf = (s: Stripe.Subscription) => s.items.data[0]!.current_period_end;

describe("customers, prices and sessions (also against Stripe's test mode)", () => {
  both("creates, retrieves and updates a customer", async () => {
    const created = await newCustomer();
    expect(created).toMatchObject({
      object: "customer",
      livemode: false,
      email: `trader-${emails}@example.test`,
      metadata: { user_id: `user-${emails}` },
    });
    expect(created.id).toMatch(/^cus_\w+$/);
    expect(created.created).toBeGreaterThan(1_700_000_000);
    const updated = await stripe.client.customers.update(created.id, { email: "renamed@example.test", metadata: { plan: "pro" } });
    expect(updated).toMatchObject({ id: created.id, email: "renamed@example.test", metadata: { user_id: `user-${emails}`, plan: "pro" } });
    expect(await stripe.client.customers.retrieve(created.id)).toMatchObject({ id: created.id, email: "renamed@example.test" });
  });

  both("serves the configured plan prices at the entitlement table's monthly and yearly amounts", async () => {
    const cases = [
      [stripe.priceIds.proMonthly, PLANS.pro.priceUsdCents, "month"],
      [stripe.priceIds.proYearly, PLANS.pro.yearlyPriceUsdCents, "year"],
      [stripe.priceIds.eliteMonthly, PLANS.elite.priceUsdCents, "month"],
      [stripe.priceIds.eliteYearly, PLANS.elite.yearlyPriceUsdCents, "year"],
    ] as const;
    for (const [id, amount, interval] of cases) {
      const price = await stripe.client.prices.retrieve(id);
      expect(price).toMatchObject({
        id,
        object: "price",
        active: true,
        currency: "usd",
        type: "recurring",
        unit_amount: amount,
        recurring: { interval },
      });
    }
    const listed = await stripe.client.prices.list({ active: true, limit: 100 });
    expect(listed.object).toBe("list");
    expect(listed.data.map((p) => p.id)).toEqual(expect.arrayContaining(cases.map((c) => c[0])));
  });

  both("creates and retrieves a subscription-mode Checkout Session", async () => {
    const customer = await newCustomer();
    const session = await checkout(customer.id);
    expect(session.id).toMatch(/^cs_test_\w+$/);
    expect(session).toMatchObject({
      object: "checkout.session",
      mode: "subscription",
      status: "open",
      payment_status: "unpaid",
      customer: customer.id,
      client_reference_id: `user-of-${customer.id}`,
      metadata: { user_id: `user-of-${customer.id}` },
      amount_total: PLANS.pro.priceUsdCents,
      currency: "usd",
      subscription: null,
    });
    expect(session.url).toMatch(/^https?:\/\//);
    expect(session.expires_at).toBeGreaterThan(session.created);
    expect(await stripe.client.checkout.sessions.retrieve(session.id)).toMatchObject({ id: session.id, status: "open", url: session.url });
  });

  both("creates a customer portal session", async () => {
    const customer = await newCustomer();
    const portal = await stripe.client.billingPortal.sessions.create({ customer: customer.id, return_url: "http://localhost:3000/settings/billing" });
    expect(portal.id).toMatch(/^bps_\w+$/);
    expect(portal).toMatchObject({ object: "billing_portal.session", customer: customer.id, return_url: "http://localhost:3000/settings/billing" });
    expect(portal.url).toMatch(/^https?:\/\//);
  });

  both("answers a retried create with the same Idempotency-Key with the first result", async () => {
    const key = `contract-${Date.now()}-${Math.random()}`;
    const first = await stripe.client.customers.create({ email: "once@example.test" }, { idempotencyKey: key });
    const again = await stripe.client.customers.create({ email: "once@example.test" }, { idempotencyKey: key });
    expect(again.id).toBe(first.id);
  });

  both("answers bad ids, missing and unknown params and a wrong key with Stripe's errors", async () => {
    const missing = await stripe.client.customers.retrieve("cus_doesnotexist").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({ statusCode: 404, code: "resource_missing", param: "id", type: "StripeInvalidRequestError" });

    const customer = await newCustomer();
    const badPrice = await checkout(customer.id, "price_doesnotexist").catch((e: unknown) => e);
    expect(badPrice).toMatchObject({ statusCode: 400, code: "resource_missing", param: "line_items[0][price]" });

    const noCustomer = await stripe.client.billingPortal.sessions.create({} as Stripe.BillingPortal.SessionCreateParams).catch((e: unknown) => e);
    expect(noCustomer).toMatchObject({ statusCode: 400, code: "parameter_missing", param: "customer" });

    const unknown = await stripe.client.customers.create({ colour: "blue" } as Stripe.CustomerCreateParams).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ statusCode: 400, code: "parameter_unknown", param: "colour" });

    const wrongKey = new Stripe(`${stripe.secretKey}x`, local ? { host: "127.0.0.1", port: stripe.local!.port, protocol: "http" } : {});
    const unauthorized = await wrongKey.customers.retrieve(customer.id).catch((e: unknown) => e);
    expect(unauthorized).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect((unauthorized as Error).message).not.toContain(stripe.secretKey);
  });
});

describe("hosted checkout and webhooks (local only)", () => {
  localOnly("Pay creates the subscription and its paid invoice, completes the session and returns to success_url", async () => {
    const customer = await newCustomer();
    const session = await checkout(customer.id);
    const page = await (await fetch(session.url!)).text();
    expect(page).toContain("RawJournal Pro");
    const paid = await clickOnHostedPage(session.url!, "Pay");
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe(`http://localhost:3000/settings/billing/success?session_id=${session.id}`);

    const completed = await stripe.client.checkout.sessions.retrieve(session.id);
    expect(completed).toMatchObject({ status: "complete", payment_status: "paid", customer: customer.id });
    const subscription = await stripe.client.subscriptions.retrieve(String(completed.subscription));
    expect(subscription.id).toMatch(/^sub_\w+$/);
    expect(subscription).toMatchObject({ object: "subscription", status: "active", customer: customer.id, cancel_at_period_end: false });
    expect(subscription.items.data[0]).toMatchObject({ object: "subscription_item", price: { id: stripe.priceIds.proMonthly } });
    const days = (periodEndOf(subscription) - subscription.items.data[0]!.current_period_start) / DAY;
    expect(days).toBeGreaterThanOrEqual(28);
    expect(days).toBeLessThanOrEqual(31);

    const invoices = await stripe.client.invoices.list({ customer: customer.id });
    expect(invoices.data).toHaveLength(1);
    expect(invoices.data[0]!.id).toMatch(/^in_\w+$/);
    expect(invoices.data[0]).toMatchObject({
      object: "invoice",
      status: "paid",
      amount_paid: PLANS.pro.priceUsdCents,
      billing_reason: "subscription_create",
      parent: { subscription_details: { subscription: subscription.id } },
    });

    const [completedEvent] = await eventsFor(session.id, "checkout.session.completed");
    expect(completedEvent!.id).toMatch(/^evt_\w+$/);
    expect(completedEvent).toMatchObject({ object: "event", api_version: Stripe.API_VERSION, livemode: false });
    expect(completedEvent!.data.object).toMatchObject({
      id: session.id,
      status: "complete",
      subscription: subscription.id,
      client_reference_id: `user-of-${customer.id}`,
    });
    const [created] = await eventsFor(subscription.id, "customer.subscription.created");
    expect(created!.data.object).toMatchObject({ id: subscription.id, status: "active" });
    const [invoicePaid] = await eventsFor(subscription.id, "invoice.paid");
    expect(invoicePaid!.data.object).toMatchObject({ id: invoices.data[0]!.id, status: "paid" });
    expect(created!.created).toBeLessThanOrEqual(completedEvent!.created);
  });

  localOnly("Cancel returns to cancel_url and leaves the session open with nothing charged", async () => {
    const customer = await newCustomer();
    const session = await checkout(customer.id);
    const canceled = await clickOnHostedPage(session.url!, "Cancel");
    expect(canceled.status).toBe(303);
    expect(canceled.headers.get("location")).toBe("http://localhost:3000/settings/billing?canceled=1");
    expect(await stripe.client.checkout.sessions.retrieve(session.id)).toMatchObject({ status: "open", subscription: null });
    expect((await stripe.client.invoices.list({ customer: customer.id })).data).toHaveLength(0);
  });

  localOnly("signs each delivery so only the endpoint's secret verifies it", async () => {
    const { session } = await subscribe();
    const [delivery] = await receiver.waitFor((d) => d.type === "checkout.session.completed" && d.body.includes(session.id));
    expect(delivery!.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(() => stripe.client.webhooks.constructEvent(delivery!.body, delivery!.signature, "whsec_someoneelse", 300)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    expect(() =>
      stripe.client.webhooks.constructEvent(delivery!.body.replace('"complete"', '"open"'), delivery!.signature, stripe.webhookSecret, 300),
    ).toThrow();
  });

  localOnly("retries a delivery the endpoint refused until it answers 2xx", async () => {
    await stripe.local!.stripe.options.webhooks.idle();
    const before = receiver.deliveries.length;
    receiver.failNext(500, 503);
    const { subscription } = await subscribe();
    await stripe.local!.stripe.options.webhooks.idle();
    const attempts = receiver.deliveries.slice(before).filter((d) => d.body.includes(subscription.id));
    const ids = [...new Set(attempts.map((d) => d.id))];
    // subscription.created, invoice.paid, checkout.session.completed; the first two were refused once each.
    expect(ids).toHaveLength(3);
    expect(attempts).toHaveLength(5);
    for (const id of ids) expect((await stripe.client.events.retrieve(id)).pending_webhooks).toBe(0);
  });

  localOnly("holds events and releases them in another order; resends an event under the same id", async () => {
    await control("webhooks/hold");
    const { session, subscription } = await subscribe();
    await stripe.client.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    const { released } = await control("webhooks/release", { "order[0]": "customer.subscription.updated", "order[1]": "checkout.session.completed" });
    await stripe.local!.stripe.options.webhooks.idle();
    const mine = receiver.deliveries.filter((d) => (released as string[]).includes(d.id));
    expect(mine.map((d) => d.type)).toEqual([
      "customer.subscription.updated",
      "checkout.session.completed",
      "customer.subscription.created",
      "invoice.paid",
    ]);

    const [completed] = await eventsFor(session.id, "checkout.session.completed");
    await control(`events/${completed!.id}/resend`);
    const twice = await eventsFor(session.id, "checkout.session.completed", 2);
    expect(twice.map((e) => e.id)).toEqual([completed!.id, completed!.id]);
  });
});

describe("subscription changes and time (local only)", () => {
  localOnly("cancel at period end, resume, then cancel for good at period end", async () => {
    const { subscription } = await subscribe();
    const ending = await stripe.client.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    expect(ending).toMatchObject({ status: "active", cancel_at_period_end: true, cancel_at: periodEndOf(subscription) });
    const [updated] = await eventsFor(subscription.id, "customer.subscription.updated");
    expect(updated!.data.previous_attributes).toMatchObject({ cancel_at_period_end: false, cancel_at: null });

    expect(await stripe.client.subscriptions.update(subscription.id, { cancel_at_period_end: false })).toMatchObject({
      cancel_at_period_end: false,
      cancel_at: null,
    });
    await stripe.client.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    await control("clock/advance", { days: "32" });
    const [deleted] = await eventsFor(subscription.id, "customer.subscription.deleted");
    expect(deleted!.data.object).toMatchObject({ id: subscription.id, status: "canceled", ended_at: periodEndOf(subscription) });
    expect(await stripe.client.subscriptions.retrieve(subscription.id)).toMatchObject({ status: "canceled" });
  });

  localOnly("cancels at once (DELETE) and refuses further plan changes", async () => {
    const { subscription } = await subscribe();
    const canceled = await stripe.client.subscriptions.cancel(subscription.id);
    expect(canceled).toMatchObject({ status: "canceled" });
    await eventsFor(subscription.id, "customer.subscription.deleted");
    const refused = await stripe.client.subscriptions
      .update(subscription.id, { items: [{ id: subscription.items.data[0]!.id, price: stripe.priceIds.eliteMonthly }] })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ statusCode: 400, type: "StripeInvalidRequestError" });
  });

  localOnly("switches Pro → Elite with an immediate prorated invoice, and monthly → yearly with a new period", async () => {
    const { customer, subscription } = await subscribe();
    const item = subscription.items.data[0]!;
    const elite = await stripe.client.subscriptions.update(subscription.id, {
      items: [{ id: item.id, price: stripe.priceIds.eliteMonthly }],
      proration_behavior: "always_invoice",
    });
    expect(elite.items.data).toHaveLength(1);
    expect(elite.items.data[0]!.price.id).toBe(stripe.priceIds.eliteMonthly);
    const proration = (await stripe.client.invoices.list({ customer: customer.id })).data[0]!;
    expect(proration).toMatchObject({ billing_reason: "subscription_update", status: "paid" });
    // The unused Pro share credited, the rest of the month at Elite: almost the whole difference.
    const difference = PLANS.elite.priceUsdCents - PLANS.pro.priceUsdCents;
    expect(proration.amount_due).toBeGreaterThan(difference * 0.95);
    expect(proration.amount_due).toBeLessThanOrEqual(difference);

    const yearly = await stripe.client.subscriptions.update(subscription.id, { items: [{ id: item.id, price: stripe.priceIds.eliteYearly }] });
    expect((periodEndOf(yearly) - yearly.items.data[0]!.current_period_start) / DAY).toBeGreaterThanOrEqual(365);
    const [invoice] = (await stripe.client.invoices.list({ customer: customer.id, limit: 1 })).data;
    // A full Elite year less the unused Elite month (a cent either way: the two calls may fall in different seconds).
    const expected = PLANS.elite.yearlyPriceUsdCents - proration.lines.data.at(-1)!.amount;
    expect(Math.abs(invoice!.amount_due - expected)).toBeLessThanOrEqual(1);
  });

  localOnly("advancing the clock renews: a new period and a paid subscription_cycle invoice", async () => {
    const { customer, subscription } = await subscribe();
    await control("clock/advance", { days: "31" });
    const [paid] = (await eventsFor(subscription.id, "invoice.paid", 2)).slice(-1);
    expect(paid!.data.object).toMatchObject({ billing_reason: "subscription_cycle", status: "paid", amount_paid: PLANS.pro.priceUsdCents });
    const renewed = await stripe.client.subscriptions.retrieve(subscription.id);
    expect(renewed.items.data[0]!.current_period_start).toBe(periodEndOf(subscription));
    expect(renewed.status).toBe("active");
    expect((await stripe.client.invoices.list({ customer: customer.id })).data).toHaveLength(2);
  });

  localOnly("a declined renewal goes past_due; fixing the card in the portal pays it; failing retries cancel", async () => {
    const first = await subscribe();
    const second = await subscribe();
    for (const { customer } of [first, second]) {
      const portal = await stripe.client.billingPortal.sessions.create({
        customer: customer.id,
        return_url: "http://localhost:3000/settings/billing",
      });
      expect((await clickOnHostedPage(portal.url, "Make next payment fail")).status).toBe(303);
    }
    await control("clock/advance", { days: "31" });
    for (const { subscription } of [first, second]) {
      const [failed] = await eventsFor(subscription.id, "invoice.payment_failed");
      expect(failed!.data.object).toMatchObject({ status: "open", attempt_count: 1 });
      expect((failed!.data.object as Stripe.Invoice).next_payment_attempt).toBeGreaterThan(failed!.created);
      expect(await stripe.client.subscriptions.retrieve(subscription.id)).toMatchObject({ status: "past_due" });
    }

    const portal = await stripe.client.billingPortal.sessions.create({ customer: first.customer.id });
    const portalPage = await (await fetch(portal.url)).text();
    expect(portalPage).toMatch(/LOCAL-\d{4}/);
    await clickOnHostedPage(portal.url, "Update payment method");
    expect(await stripe.client.subscriptions.retrieve(first.subscription.id)).toMatchObject({ status: "active" });
    expect((await eventsFor(first.subscription.id, "invoice.paid", 2)).length).toBe(2);

    await control("clock/advance", { days: "10" });
    const [deleted] = await eventsFor(second.subscription.id, "customer.subscription.deleted");
    expect(deleted!.data.object).toMatchObject({ status: "canceled", cancellation_details: { reason: "payment_failed" } });
    expect((await eventsFor(second.subscription.id, "invoice.payment_failed", 4)).length).toBe(4);
  });
});

describe("logs (local only)", () => {
  localOnly("no log line of the stand-in carries the secret key, the webhook secret or a signature", () => {
    // Runs last: by now every endpoint, page, control and a refused key have been logged.
    expect(logLines.some((line) => /^GET \/v1\/customers\/cus_\w+ 401 /.test(line))).toBe(true);
    expect(logLines.length).toBeGreaterThan(50);
    for (const line of logLines) {
      expect(line).not.toContain(stripe.secretKey);
      expect(line).not.toContain(stripe.webhookSecret);
      expect(line).not.toMatch(/v1=[0-9a-f]{16}/);
      expect(line).not.toContain("@example.test");
    }
  });
});
