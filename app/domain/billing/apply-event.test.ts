import { describe, expect, it } from "vitest";
import { applyBillingEvent, tierAt, type BillingRules, type ProfileBilling } from "./apply-event.ts";
import { choiceForPrice, priceIdFor, type PriceCatalog } from "./prices.ts";
import { readBillingEvent, type BillingEvent } from "./stripe-events.ts";
import type { SubscriptionStatus } from "./subscription-state.ts";

const catalog: PriceCatalog = {
  pro: { month: "price_pro_m", year: "price_pro_y" },
  elite: { month: "price_elite_m", year: "price_elite_y" },
};
const USER = "8d3c1f8e-6a9b-4a57-9f7e-2b1f0c9d4e11";
const T0 = Date.parse("2026-12-01T10:00:00Z") / 1000;
const rules = (now = new Date((T0 + 60) * 1000), graceDays = 7): BillingRules => ({ catalog, graceDays, now });

const FREE: ProfileBilling = {
  tier: "free",
  customerId: "cus_1",
  subscriptionId: null,
  status: "active",
  priceId: null,
  cancelAtPeriodEnd: false,
  currentPeriodEnd: null,
  startedAt: null,
  stateAt: null,
  graceEndsAt: null,
};

interface Stamped {
  at: number;
  event: BillingEvent;
}

function subscriptionEvent(
  type: string,
  at: number,
  fields: { id?: string; status?: SubscriptionStatus; price?: string; cancel?: boolean; created?: number } = {},
): Stamped {
  const object = {
    id: fields.id ?? "sub_1",
    object: "subscription",
    customer: "cus_1",
    status: fields.status ?? "active",
    cancel_at_period_end: fields.cancel ?? false,
    created: fields.created ?? T0,
    metadata: { user_id: USER },
    items: { data: [{ price: { id: fields.price ?? "price_pro_m" }, current_period_end: T0 + 30 * 86400 }] },
  };
  return { at, event: readBillingEvent({ type, data: { object } }) };
}

function invoiceEvent(type: "invoice.paid" | "invoice.payment_failed", at: number, subscription = "sub_1"): Stamped {
  const object = { id: `in_${at}`, customer: "cus_1", attempt_count: 1, parent: { subscription_details: { subscription } } };
  return { at, event: readBillingEvent({ type, data: { object } }) };
}

function run(events: Stamped[], start: ProfileBilling = FREE, r = rules()) {
  let state = start;
  const emails: number[] = [];
  for (const { at, event } of events) {
    const outcome = applyBillingEvent(state, event, new Date(at * 1000), r);
    if (outcome.sendPaymentFailedEmail) emails.push(at);
    state = outcome.next;
  }
  return { state, emails };
}

describe("reading events", () => {
  it("takes the period end from the subscription item (current API) or the subscription (older versions)", () => {
    const current = subscriptionEvent("customer.subscription.updated", T0);
    expect(current.event).toMatchObject({ kind: "subscription", userId: USER, snapshot: { currentPeriodEnd: new Date((T0 + 30 * 86400) * 1000) } });
    const legacy = readBillingEvent({
      type: "customer.subscription.updated",
      data: {
        object: {
          id: "sub_1",
          customer: "cus_1",
          status: "active",
          created: T0,
          current_period_end: T0 + 5,
          items: { data: [{ price: { id: "price_pro_m" } }] },
        },
      },
    });
    expect(legacy).toMatchObject({ kind: "subscription", snapshot: { currentPeriodEnd: new Date((T0 + 5) * 1000) } });
  });

  it("an invoice's subscription is read from parent.subscription_details or the older top-level field", () => {
    expect(invoiceEvent("invoice.paid", T0).event).toMatchObject({ kind: "invoice_paid", subscriptionId: "sub_1" });
    expect(
      readBillingEvent({ type: "invoice.payment_failed", data: { object: { id: "in_1", customer: "cus_1", subscription: "sub_9" } } }),
    ).toMatchObject({
      kind: "invoice_payment_failed",
      subscriptionId: "sub_9",
    });
  });

  it("a malformed object is unreadable with the field named; other types are ignored; a foreign client_reference_id is no user", () => {
    const bad = readBillingEvent({ type: "customer.subscription.updated", data: { object: { id: "sub_1", customer: "cus_1" } } });
    expect(bad.kind).toBe("unreadable");
    expect(bad.kind === "unreadable" && bad.problem).toMatch(/status/);
    expect(readBillingEvent({ type: "charge.refunded", data: { object: {} } })).toEqual({ kind: "ignored" });
    expect(
      readBillingEvent({
        type: "checkout.session.completed",
        data: { object: { mode: "subscription", client_reference_id: "1 or 1=1", customer: "cus_1" } },
      }),
    ).toMatchObject({ kind: "checkout_completed", userId: null });
  });
});

describe("prices come from the catalog", () => {
  it("maps plan and interval to a price id and back; an unknown price is no plan", () => {
    expect(priceIdFor(catalog, { tier: "elite", interval: "year" })).toBe("price_elite_y");
    expect(choiceForPrice(catalog, "price_pro_y")).toEqual({ tier: "pro", interval: "year" });
    expect(choiceForPrice(catalog, "price_someone_elses")).toBeNull();
    const { state } = run([subscriptionEvent("customer.subscription.created", T0, { price: "price_someone_elses" })]);
    expect(state.tier).toBe("free");
  });
});

describe("out of order delivery converges", () => {
  const created = subscriptionEvent("customer.subscription.created", T0, { status: "incomplete" });
  const paid = invoiceEvent("invoice.paid", T0);
  const activated = subscriptionEvent("customer.subscription.updated", T0 + 1, { status: "active" });
  const toElite = subscriptionEvent("customer.subscription.updated", T0 + 60, { price: "price_elite_y" });

  it("every order of a checkout's events ends on the same state", () => {
    const expected = run([created, paid, activated, toElite]).state;
    expect(expected).toMatchObject({ tier: "elite", status: "active", priceId: "price_elite_y", subscriptionId: "sub_1" });
    const orders = [
      [toElite, activated, paid, created],
      [activated, created, toElite, paid],
      [paid, toElite, created, activated],
      [created, toElite, activated, paid],
    ];
    for (const order of orders) expect(run(order).state).toEqual(expected);
  });

  it("a same-second 'created: incomplete' never undoes the payment that shares its second", () => {
    const sameSecondActive = subscriptionEvent("customer.subscription.updated", T0, { status: "active" });
    expect(run([sameSecondActive, created]).state).toMatchObject({ tier: "pro", status: "active" });
    expect(run([created, sameSecondActive]).state).toMatchObject({ tier: "pro", status: "active" });
  });

  it("a late 'deleted' of an old subscription does not end the newer one that replaced it", () => {
    const oldDeleted = subscriptionEvent("customer.subscription.deleted", T0 + 100, { id: "sub_old", status: "canceled", created: T0 - 86400 });
    const fresh = subscriptionEvent("customer.subscription.created", T0 + 50, { id: "sub_new", created: T0 + 50 });
    expect(run([fresh, oldDeleted]).state).toMatchObject({ subscriptionId: "sub_new", tier: "pro" });
    expect(run([oldDeleted, fresh]).state).toMatchObject({ subscriptionId: "sub_new", tier: "pro" });
  });

  it("re-subscribing after a cancellation replaces the ended subscription", () => {
    const ended = run([subscriptionEvent("customer.subscription.deleted", T0, { id: "sub_a", status: "canceled" })]).state;
    expect(ended.tier).toBe("free");
    const again = run(
      [subscriptionEvent("customer.subscription.created", T0 + 500, { id: "sub_b", created: T0 + 500, price: "price_elite_m" })],
      ended,
    );
    expect(again.state).toMatchObject({ subscriptionId: "sub_b", tier: "elite" });
  });
});

describe("cancellation, failure and grace", () => {
  const active = run([subscriptionEvent("customer.subscription.created", T0)]).state;

  it("cancel at period end keeps the plan until Stripe deletes the subscription", () => {
    const cancelling = run([subscriptionEvent("customer.subscription.updated", T0 + 10, { cancel: true })], active).state;
    expect(cancelling).toMatchObject({ tier: "pro", cancelAtPeriodEnd: true });
    const deleted = run([subscriptionEvent("customer.subscription.deleted", T0 + 20, { status: "canceled", cancel: true })], cancelling).state;
    expect(deleted).toMatchObject({ tier: "free", status: "canceled" });
  });

  it("payment failed: past_due with the plan kept for the grace days, one email per failure, then Free", () => {
    const failedAt = T0 + 3600;
    const { state, emails } = run(
      [invoiceEvent("invoice.payment_failed", failedAt), subscriptionEvent("customer.subscription.updated", failedAt, { status: "past_due" })],
      active,
    );
    expect(state).toMatchObject({ tier: "pro", status: "past_due", graceEndsAt: new Date((failedAt + 7 * 86400) * 1000) });
    expect(emails).toEqual([failedAt]);
    // A second failed retry keeps the first grace end.
    const retry = run([invoiceEvent("invoice.payment_failed", failedAt + 86400)], state);
    expect(retry.state.graceEndsAt).toEqual(state.graceEndsAt);
    expect(tierAt(state, rules(new Date((failedAt + 7 * 86400 - 1) * 1000)))).toBe("pro");
    expect(tierAt(state, rules(new Date((failedAt + 7 * 86400) * 1000)))).toBe("free");
  });

  it("the grace length is configurable", () => {
    const { state } = run([invoiceEvent("invoice.payment_failed", T0 + 10)], active, rules(undefined, 2));
    expect(state.graceEndsAt).toEqual(new Date((T0 + 10 + 2 * 86400) * 1000));
  });

  it("paying after the grace ended restores the plan", () => {
    const failed = run([invoiceEvent("invoice.payment_failed", T0 + 10)], active).state;
    const later = rules(new Date((T0 + 10 * 86400) * 1000));
    const lapsed = { ...failed, tier: tierAt(failed, later) };
    expect(lapsed.tier).toBe("free");
    const { state } = run([invoiceEvent("invoice.paid", T0 + 10 * 86400)], lapsed, later);
    expect(state).toMatchObject({ tier: "pro", status: "active", graceEndsAt: null });
  });

  it("an older failure arriving after the payment that followed it changes nothing and sends no email", () => {
    const failed = invoiceEvent("invoice.payment_failed", T0 + 10);
    const paid = invoiceEvent("invoice.paid", T0 + 20);
    const inOrder = run([failed, paid], active);
    const reversed = run([paid, failed], active);
    expect(reversed.state.tier).toBe("pro");
    expect(reversed.emails).toEqual([]);
    expect(inOrder.state).toMatchObject({ tier: "pro", status: "active", graceEndsAt: null });
  });
});

describe("pricing table", () => {
  it("is written from PLANS: a changed limit changes the page", async () => {
    const { comparisonRows, priceTag } = await import("./pricing-table.ts");
    const { PLANS } = await import("../entitlements.ts");
    const accounts = comparisonRows().find((r) => r.label === "MT5 accounts synced live (investor password)")!;
    expect(accounts.values).toEqual({ free: "—", pro: String(PLANS.pro.maxMt5Accounts), elite: String(PLANS.elite.maxMt5Accounts) });
    expect(comparisonRows().find((r) => r.label === "Trades added a month")!.values.free).toBe(String(PLANS.free.monthlyTradeLimit));
    expect(priceTag("pro", "month")).toMatchObject({ price: "$12.99", per: "month" });
    expect(priceTag("pro", "year")).toMatchObject({ price: "$129.90", per: "year", note: "$10.83 a month, $25.98 less than monthly" });
    expect(priceTag("elite", "year")).toMatchObject({ price: "$300", note: "$25 a month, $60 less than monthly" });
    expect(priceTag("free", "year")).toMatchObject({ price: "$0", per: "month" });
  });
});
