// The Stripe webhook end to end below HTTP: a Request signed the way Stripe
// signs (the official library's generateTestHeaderString), verified by the
// official library, applied to the database, and every case checked against
// what the database enforces — the account and MT5 limits, read-only extra
// accounts, which accounts the sync scheduler picks — not just the tier column.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import Stripe from "stripe";
import { beforeEach, describe, expect, it } from "vitest";
import type { PriceCatalog } from "../../app/domain/billing/prices.ts";
import type { SubscriptionStatus } from "../../app/domain/billing/subscription-state.ts";
import { CATALOGUE } from "../../app/domain/instruments/catalogue.ts";
import type { ManualTradeValues } from "../../app/domain/trades/manual-trade.ts";
import type { AccessClaims } from "../../app/lib/access-token.server.ts";
import { isAppError } from "../../app/lib/app-error.ts";
import { withRlsTransaction } from "../../app/lib/db.server.ts";
import { createManualTrade } from "../../app/models/manual-trades.server.ts";
import { handleStripeWebhook, type WebhookDeps } from "../../app/models/billing/stripe-webhook.server.ts";
import { loadBillingOverview } from "../../app/models/billing/subscription.server.ts";
import { runBillingGrace } from "../../jobs/billing-grace.ts";
import { loadSchedulerAccounts } from "../../jobs/sync/sync-store.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createTrade, createUser, userClaims } from "../support/fixtures.ts";

const db = await createTestDatabase();
const SECRET = "whsec_test_billing_webhook_0123456789";
const stripe = new Stripe("sk_test_not_used_for_network_calls");
const catalog: PriceCatalog = {
  pro: { month: "price_pro_monthly", year: "price_pro_yearly" },
  elite: { month: "price_elite_monthly", year: "price_elite_yearly" },
};
let logs: string[] = [];
let clock = new Date();
const deps = (): WebhookDeps => ({
  // The web process's own login (ADR 021): the webhook needs nothing more.
  pool: db.webPool,
  stripe,
  webhookSecret: SECRET,
  rules: { catalog, graceDays: 7 },
  siteUrl: "http://localhost:3000",
  now: () => clock,
  log: (line) => logs.push(line),
});

beforeEach(() => {
  logs = [];
  clock = new Date();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

function manualTrade(accountId: string): ManualTradeValues {
  return {
    accountId,
    accountCurrency: "USD",
    symbol: "EURUSD",
    brokerSymbol: "EURUSD",
    direction: "buy",
    openedAt: new Date(Date.now() - 7_200_000),
    closedAt: new Date(Date.now() - 3_600_000),
    entryPrice: "1.0825",
    exitPrice: "1.0842",
    lots: "0.5",
    stopLoss: null,
    takeProfit: null,
    commission: "0",
    swap: "0",
    fee: "0",
    brokerProfit: null,
    conversionRate: null,
    spec: CATALOGUE.get("EURUSD")!,
    comment: null,
  };
}

interface Customer {
  userId: string;
  customerId: string;
  email: string;
}

async function payingCustomer(): Promise<Customer> {
  const email = `${randomUUID()}@example.test`;
  const userId = await createUser(db.pool, { email });
  const customerId = `cus_${randomUUID().replaceAll("-", "").slice(0, 14)}`;
  // What the checkout action does, as the user: the customer id is stored once.
  const stored = await withRlsTransaction(db.appPool, userClaims(userId), async (c) => {
    const { rows } = await c.query<{ id: string }>("select public.claim_stripe_customer($1) as id", [customerId]);
    return rows[0]!.id;
  });
  expect(stored).toBe(customerId);
  return { userId, customerId, email };
}

function event(type: string, object: Record<string, unknown>, created = nowSeconds()) {
  return { id: `evt_${randomUUID().replaceAll("-", "")}`, object: "event", api_version: "2026-10-28.endive", type, created, data: { object } };
}

function subscriptionEvent(
  type: string,
  customer: Customer,
  fields: { id?: string; status?: SubscriptionStatus; price?: string; cancel?: boolean; created?: number; at?: number } = {},
) {
  const created = fields.created ?? nowSeconds() - 60;
  return event(
    type,
    {
      id: fields.id ?? `sub_${customer.customerId.slice(4)}`,
      object: "subscription",
      customer: customer.customerId,
      status: fields.status ?? "active",
      cancel_at_period_end: fields.cancel ?? false,
      created,
      metadata: { user_id: customer.userId },
      items: { object: "list", data: [{ id: "si_1", price: { id: fields.price ?? "price_pro_monthly" }, current_period_end: created + 30 * 86400 }] },
    },
    fields.at,
  );
}

function invoiceEvent(type: "invoice.paid" | "invoice.payment_failed", customer: Customer, at = nowSeconds()) {
  return event(
    type,
    {
      id: `in_${randomUUID().slice(0, 8)}`,
      object: "invoice",
      customer: customer.customerId,
      attempt_count: 1,
      parent: { type: "subscription_details", subscription_details: { subscription: `sub_${customer.customerId.slice(4)}` } },
    },
    at,
  );
}

function checkoutCompleted(customer: Customer, at = nowSeconds()) {
  return event(
    "checkout.session.completed",
    {
      id: `cs_${randomUUID().slice(0, 8)}`,
      object: "checkout.session",
      mode: "subscription",
      client_reference_id: customer.userId,
      customer: customer.customerId,
      subscription: `sub_${customer.customerId.slice(4)}`,
      payment_status: "paid",
    },
    at,
  );
}

function signedRequest(body: string, { secret = SECRET, timestamp = nowSeconds() } = {}) {
  const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp });
  return new Request("http://localhost:3000/webhooks/stripe", {
    method: "POST",
    headers: { "stripe-signature": header, "content-type": "application/json" },
    body,
  });
}

async function deliver(payload: object, options?: { secret?: string; timestamp?: number }) {
  return handleStripeWebhook(signedRequest(JSON.stringify(payload), options), deps());
}

async function tierOf(userId: string): Promise<{ tier: string; status: string; grace: Date | null }> {
  const { rows } = await db.pool.query(
    "select subscription_tier as tier, subscription_status as status, billing_grace_ends_at as grace from public.profiles where id = $1",
    [userId],
  );
  return rows[0];
}

/** Adds an MT5 account as the user (RLS + limit triggers), the way the connect form would; returns the SQLSTATE on refusal. */
async function addMt5Account(userId: string, login: number): Promise<string> {
  try {
    await withRlsTransaction(db.appPool, userClaims(userId), (c) =>
      c.query("insert into public.accounts (user_id, name, kind, mt5_server, mt5_login) values ($1, $2, 'mt5', 'Demo-Server', $3)", [
        userId,
        `MT5 ${login}`,
        login,
      ]),
    );
    return "ok";
  } catch (error) {
    return (error as pg.DatabaseError).code ?? String(error);
  }
}

async function addTradeAsUser(userId: string, accountId: string): Promise<string> {
  try {
    await withRlsTransaction(db.appPool, userClaims(userId), (c) =>
      c.query(
        `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at, volume, entry_price, exit_price, gross_profit, source)
         values ($1, $2, $3, 'EURUSD', 'buy', 'closed', now() - interval '2 hours', now() - interval '1 hour', 0.1, 1.1, 1.2, 10, 'manual')`,
        [userId, accountId, String(Math.floor(Math.random() * 1e12))],
      ),
    );
    return "ok";
  } catch (error) {
    return (error as pg.DatabaseError).code ?? String(error);
  }
}

async function eventCount(id: string): Promise<number> {
  const { rows } = await db.pool.query("select count(*)::int as n from public.stripe_events where id = $1", [id]);
  return rows[0].n;
}

async function subscribe(customer: Customer, price = "price_pro_monthly") {
  const created = nowSeconds() - 120;
  expect(
    (await deliver(subscriptionEvent("customer.subscription.created", customer, { status: "incomplete", created, price, at: created }))).status,
  ).toBe(200);
  expect((await deliver(invoiceEvent("invoice.paid", customer, created + 1))).status).toBe(200);
  expect((await deliver(subscriptionEvent("customer.subscription.updated", customer, { created, price, at: created + 1 }))).status).toBe(200);
  expect((await deliver(checkoutCompleted(customer, created + 1))).status).toBe(200);
}

describe("signature", () => {
  it("a bad signature is refused with 400 and changes nothing", async () => {
    const customer = await payingCustomer();
    const payload = subscriptionEvent("customer.subscription.created", customer, { price: "price_elite_monthly" });
    const forged = await deliver(payload, { secret: "whsec_someone_else_entirely" });
    expect(forged).toMatchObject({ status: 400, body: "Invalid signature." });
    const tampered = signedRequest(JSON.stringify(payload));
    const body = JSON.stringify({ ...payload, data: { object: { ...payload.data.object, status: "active" } } }).replace(
      "price_elite_monthly",
      "price_elite_yearly",
    );
    const replay = await handleStripeWebhook(new Request(tampered.url, { method: "POST", headers: tampered.headers, body }), deps());
    expect(replay.status).toBe(400);
    const unsigned = await handleStripeWebhook(
      new Request("http://localhost/webhooks/stripe", { method: "POST", body: JSON.stringify(payload) }),
      deps(),
    );
    expect(unsigned.status).toBe(400);
    expect(await eventCount(payload.id)).toBe(0);
    expect((await tierOf(customer.userId)).tier).toBe("free");
    expect(await addMt5Account(customer.userId, 5001)).toBe("RJ004");
  });

  it("a signature older than five minutes is refused (tolerance 300 s); within it is accepted", async () => {
    const customer = await payingCustomer();
    const stale = subscriptionEvent("customer.subscription.created", customer);
    expect((await deliver(stale, { timestamp: nowSeconds() - 301 })).status).toBe(400);
    expect(await eventCount(stale.id)).toBe(0);
    expect((await deliver(stale, { timestamp: nowSeconds() - 290 })).status).toBe(200);
    expect((await tierOf(customer.userId)).tier).toBe("pro");
  });
});

describe("checkout to Pro", () => {
  it("the subscription's events make the user Pro: one MT5 account allowed, a second refused by the database", async () => {
    const customer = await payingCustomer();
    expect(await addMt5Account(customer.userId, 6001)).toBe("RJ004");
    await subscribe(customer);
    expect(await tierOf(customer.userId)).toMatchObject({ tier: "pro", status: "active" });
    expect(await addMt5Account(customer.userId, 6001)).toBe("ok");
    expect(await addMt5Account(customer.userId, 6002)).toBe("RJ004");
  });

  it("the same event delivered twice has one effect: recorded once, one email", async () => {
    const customer = await payingCustomer();
    await subscribe(customer);
    const failed = invoiceEvent("invoice.payment_failed", customer);
    const first = await deliver(failed);
    const second = await deliver(failed);
    expect(first.outcome).toBe("applied");
    expect(second).toMatchObject({ status: 200, outcome: "duplicate" });
    expect(await eventCount(failed.id)).toBe(1);
    const { rows } = await db.pool.query("select to_address, subject, text_body from public.outgoing_emails where user_id = $1", [customer.userId]);
    expect(rows).toHaveLength(1);
    expect(rows[0].to_address).toBe(customer.email);
    expect(rows[0].subject).toBe("Your RawJournal Pro payment failed");
    expect(rows[0].text_body).toContain("http://localhost:3000/settings/billing");
    // Past due but within the grace: still Pro, as the database enforces it.
    expect(await tierOf(customer.userId)).toMatchObject({ tier: "pro", status: "past_due" });
    expect(await addMt5Account(customer.userId, 6101)).toBe("ok");
    expect(await addMt5Account(customer.userId, 6102)).toBe("RJ004");
  });

  it("subscription.updated arriving before checkout.session.completed converges to the same state as in order", async () => {
    const inOrder = await payingCustomer();
    const reversed = await payingCustomer();
    const created = nowSeconds() - 300;
    const run = async (customer: Customer, order: "in" | "reversed") => {
      const events = [
        checkoutCompleted(customer, created + 1),
        subscriptionEvent("customer.subscription.created", customer, { status: "incomplete", created, at: created }),
        subscriptionEvent("customer.subscription.updated", customer, { created, at: created + 1 }),
        subscriptionEvent("customer.subscription.updated", customer, { created, at: created + 90, price: "price_elite_yearly" }),
      ];
      for (const e of order === "in" ? events : events.reverse()) expect((await deliver(e)).status).toBe(200);
    };
    await run(inOrder, "in");
    await run(reversed, "reversed");
    const state = async (userId: string) => {
      const { rows } = await db.pool.query(
        `select subscription_tier, subscription_status, subscription_price_id, subscription_cancel_at_period_end,
                subscription_current_period_end - subscription_started_at as period from public.profiles where id = $1`,
        [userId],
      );
      return rows[0];
    };
    expect(await state(reversed.userId)).toEqual(await state(inOrder.userId));
    expect((await state(reversed.userId)).subscription_tier).toBe("elite");
    for (const login of [1, 2, 3, 4, 5]) expect(await addMt5Account(reversed.userId, 7000 + login)).toBe("ok");
    expect(await addMt5Account(reversed.userId, 7006)).toBe("RJ004");
  });
});

describe("downgrades keep everything", () => {
  it("deleted → Free: extra accounts read-only, sync stops for MT5 accounts, this month's trades stay visible; re-subscribing restores all", async () => {
    const customer = await payingCustomer();
    await subscribe(customer);
    const manual = await createAccount(db.pool, customer.userId, { name: "Manual first" });
    expect(await addMt5Account(customer.userId, 8001)).toBe("ok");
    const { rows: mt5Rows } = await db.pool.query("select id from public.accounts where user_id = $1 and kind = 'mt5'", [customer.userId]);
    const mt5 = mt5Rows[0].id as string;
    await db.pool.query("insert into public.account_credentials (account_id, user_id, password_ciphertext, key_id) values ($1, $2, '\\x00', 'k1')", [
      mt5,
      customer.userId,
    ]);
    for (let i = 0; i < 20; i++)
      await createTrade(db.pool, customer.userId, manual, { opened_at: new Date().toISOString(), closed_at: new Date().toISOString() });
    const syncs = async () => (await loadSchedulerAccounts(db.pool, new Date())).find((a) => a.accountId === mt5)?.syncEnabled;
    expect(await syncs()).toBe(true);

    const deleted = subscriptionEvent("customer.subscription.deleted", customer, { created: nowSeconds() - 120, status: "canceled" });
    expect((await deliver(deleted)).outcome).toBe("applied");
    expect(await tierOf(customer.userId)).toMatchObject({ tier: "free", status: "canceled" });

    // Nothing deleted: both accounts and all 20 trades (beyond Free's 15 a month) are still there for the user.
    const visible = await withRlsTransaction(db.appPool, userClaims(customer.userId), async (c) => ({
      accounts: (await c.query("select id from public.accounts")).rowCount,
      trades: (await c.query("select id from public.trades")).rowCount,
      access: (await c.query("select id, public.account_plan_access(id) as access from public.accounts order by created_at")).rows.map(
        (r) => r.access,
      ),
    }));
    expect(visible).toEqual({ accounts: 2, trades: 20, access: ["full", "read_only"] });
    // Settings → Billing names the account and what it can still do.
    const overview = await withRlsTransaction(db.appPool, userClaims(customer.userId), (c) => loadBillingOverview(c, customer.userId, catalog, true));
    expect(overview).toMatchObject({ tier: "free", subscribedTier: null, status: "canceled" });
    expect(overview.restrictedAccounts).toEqual([{ id: mt5, name: "MT5 8001", access: "read_only" }]);
    expect(await syncs()).toBe(false);
    expect(await addTradeAsUser(customer.userId, mt5)).toBe("RJ005");
    expect(await addTradeAsUser(customer.userId, manual)).toBe("RJ001");
    expect(await addMt5Account(customer.userId, 8002)).toBe("RJ003");

    // A new subscription restores it all.
    const created = nowSeconds() - 10;
    const again = subscriptionEvent("customer.subscription.created", customer, {
      id: `sub_again_${customer.userId.slice(0, 6)}`,
      created,
      at: created,
    });
    expect((await deliver(again)).outcome).toBe("applied");
    expect((await tierOf(customer.userId)).tier).toBe("pro");
    expect(await syncs()).toBe(true);
    expect(await addTradeAsUser(customer.userId, mt5)).toBe("ok");
    expect(await addTradeAsUser(customer.userId, manual)).toBe("ok");
  });

  it("a read-only account can still be deleted by its owner", async () => {
    const customer = await payingCustomer();
    await subscribe(customer, "price_elite_monthly");
    await createAccount(db.pool, customer.userId, { name: "One" });
    const second = await createAccount(db.pool, customer.userId, { name: "Two" });
    await createTrade(db.pool, customer.userId, second);
    await deliver(subscriptionEvent("customer.subscription.deleted", customer, { status: "canceled" }));
    // Adding a trade by hand says why it is refused, naming the account.
    const refusal = await withRlsTransaction(db.appPool, userClaims(customer.userId), (c) =>
      createManualTrade(c, { ...userClaims(customer.userId), exp: nowSeconds() + 3600 } as AccessClaims, manualTrade(second)),
    ).catch((error: unknown) => error);
    expect(isAppError(refusal) && refusal.message).toBe(
      '"Two" is read-only on the free plan: its trades stay visible, but nothing can be added or changed until you upgrade.',
    );
    const removed = await withRlsTransaction(db.appPool, userClaims(customer.userId), (c) =>
      c.query("delete from public.accounts where id = $1", [second]),
    );
    expect(removed.rowCount).toBe(1);
  });

  it("payment failed → past_due keeps Pro through the grace days → the grace job moves the user to Free → paying restores Pro", async () => {
    const customer = await payingCustomer();
    await subscribe(customer);
    expect(await addMt5Account(customer.userId, 9001)).toBe("ok");
    const failedAt = nowSeconds();
    await deliver(invoiceEvent("invoice.payment_failed", customer, failedAt));
    await deliver(subscriptionEvent("customer.subscription.updated", customer, { status: "past_due", created: failedAt - 120, at: failedAt }));
    const pastDue = await tierOf(customer.userId);
    expect(pastDue).toMatchObject({ tier: "pro", status: "past_due" });
    expect(pastDue.grace?.getTime()).toBe((failedAt + 7 * 86400) * 1000);

    const log = (line: string) => logs.push(line);
    const beforeEnd = await runBillingGrace({ reason: "manual" }, { pool: db.pool, now: () => new Date((failedAt + 7 * 86400 - 5) * 1000), log });
    expect(beforeEnd.movedToFree).not.toContain(customer.userId);
    expect((await tierOf(customer.userId)).tier).toBe("pro");

    const afterEnd = await runBillingGrace({ reason: "manual" }, { pool: db.pool, now: () => new Date((failedAt + 7 * 86400 + 5) * 1000), log });
    expect(afterEnd.movedToFree).toContain(customer.userId);
    expect((await tierOf(customer.userId)).tier).toBe("free");
    const { rows } = await db.pool.query("select public.account_plan_access(id) as access from public.accounts where user_id = $1", [
      customer.userId,
    ]);
    expect(rows.map((r) => r.access)).toEqual(["no_sync"]);
    expect(await addMt5Account(customer.userId, 9002)).toBe("RJ003");

    clock = new Date((failedAt + 8 * 86400) * 1000);
    await deliver(invoiceEvent("invoice.paid", customer, failedAt + 60));
    expect(await tierOf(customer.userId)).toMatchObject({ tier: "pro", status: "active", grace: null });
  });
});

describe("secrets stay out", () => {
  it("no log line or answer carries the webhook secret or the secret key", async () => {
    const customer = await payingCustomer();
    const answers = [
      await deliver(subscriptionEvent("customer.subscription.created", customer), { secret: "whsec_wrong_secret_value" }),
      await deliver(subscriptionEvent("customer.subscription.created", customer)),
      await deliver({ ...invoiceEvent("invoice.paid", customer), data: { object: { broken: true } } }),
    ];
    expect(logs.length).toBeGreaterThan(0);
    for (const text of [...logs, ...answers.map((a) => a.body)]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain("whsec_");
      expect(text).not.toMatch(/sk_(test|live)_/);
    }
  });
});
