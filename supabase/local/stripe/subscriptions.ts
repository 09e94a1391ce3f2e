// A subscription's life: started by a paid Checkout Session, changed (plan,
// interval, cancel at period end), cancelled, renewed or failed as time passes.
import { StripeApiError, noSuch } from "./errors.ts";
import type { LocalStripe } from "./local-stripe.ts";
import { priceLabel } from "./prices.ts";
import { periodEnd, subscriptionItemObject, subscriptionObject, type InvoiceLine } from "./objects.ts";
import type { Metadata, StripeObject } from "./state.ts";

type Item = StripeObject & { price: StripeObject; current_period_start: number; current_period_end: number };

const itemsOf = (subscription: StripeObject) => (subscription.items as { data: Item[] }).data;
const amountOf = (price: StripeObject) => Number(price.unit_amount);
const intervalOf = (price: StripeObject) => (price.recurring as { interval: string }).interval;
const LIVE = ["active", "past_due", "trialing"];

function fullLine(item: Item, proration = false): InvoiceLine {
  const { price } = item;
  return {
    amount: amountOf(price),
    description: `1 × ${priceLabel(price)} (at $${(amountOf(price) / 100).toFixed(2)} / ${intervalOf(price)})`,
    price,
    item: item.id,
    start: item.current_period_start,
    end: item.current_period_end,
    proration,
  };
}

/** Pay on the hosted checkout page: the subscription, its first invoice (paid), the session completed. */
export function completeCheckout(stripe: LocalStripe, session: StripeObject, customerId: string): void {
  const { state } = stripe;
  const price = state.prices[String(session.price)]!;
  state.failingCustomers = state.failingCustomers.filter((id) => id !== customerId);
  const subscription = subscriptionObject(stripe.now(), customerId, price, (session.subscription_metadata ?? {}) as Metadata);
  subscription.status = "active";
  const invoice = stripe.createInvoice(subscription, "subscription_create", [fullLine(itemsOf(subscription)[0]!)]);
  state.subscriptions[subscription.id] = subscription;
  stripe.emit("customer.subscription.created", subscription);
  stripe.charge(invoice);
  Object.assign(session, {
    status: "complete",
    payment_status: "paid",
    customer: customerId,
    subscription: subscription.id,
    invoice: invoice.id,
  });
  stripe.emit("checkout.session.completed", publicSession(session));
}

/** The session as the API shows it (without the stand-in's own bookkeeping fields). */
export function publicSession(session: StripeObject): StripeObject {
  const { price: _price, subscription_metadata: _metadata, ...shown } = session;
  return shown as StripeObject;
}

export interface SubscriptionChange {
  cancelAtPeriodEnd?: boolean;
  metadata?: Metadata;
  items: Array<{ id?: string; price?: string }>;
  prorationBehavior: string;
}

export function updateSubscription(stripe: LocalStripe, subscription: StripeObject, change: SubscriptionChange): void {
  if (!LIVE.includes(String(subscription.status)) && (change.items.length || change.cancelAtPeriodEnd !== undefined)) {
    throw new StripeApiError(400, "invalid_request_error", "A canceled subscription can only update its cancellation_details and metadata.");
  }
  const prices = change.items.map((item, index) => {
    if (!item.price) return undefined;
    const price = stripe.state.prices[item.price];
    if (!price) throw noSuch("price", item.price, `items[${index}][price]`);
    return price;
  });
  const now = stripe.now();
  const invoiceLines: InvoiceLine[] = [];
  let resetPeriod = false;
  stripe.change("customer.subscription.updated", subscription, () => {
    if (change.metadata) subscription.metadata = { ...(subscription.metadata as Metadata), ...change.metadata };
    change.items.forEach((requested, index) => {
      const price = prices[index];
      const items = itemsOf(subscription);
      const item = items.find((existing) => existing.id === requested.id);
      if (!price) return;
      // Without an item id Stripe adds an item rather than replacing one.
      if (!item) return void items.push(subscriptionItemObject(subscription.id, price, now) as Item);
      const credit = prorate(item, item.price, now);
      if (intervalOf(price) !== intervalOf(item.price)) {
        // A new interval restarts the billing cycle today and is invoiced at once.
        resetPeriod = true;
        item.price = price;
        Object.assign(item, { current_period_start: now, current_period_end: periodEnd(now, price) });
        invoiceLines.push({ ...credit, amount: -credit.amount, description: `Unused time on ${priceLabel(credit.price)}` });
        invoiceLines.push(fullLine(item));
        return;
      }
      const charge = prorate(item, price, now);
      item.price = price;
      if (change.prorationBehavior === "none") return;
      invoiceLines.push({ ...credit, amount: -credit.amount, description: `Unused time on ${priceLabel(credit.price)}` });
      invoiceLines.push({ ...charge, description: `Remaining time on ${priceLabel(price)}` });
    });
    if (resetPeriod) subscription.billing_cycle_anchor = now;
    if (change.cancelAtPeriodEnd !== undefined) {
      const end = Math.min(...itemsOf(subscription).map((item) => item.current_period_end));
      Object.assign(subscription, {
        cancel_at_period_end: change.cancelAtPeriodEnd,
        cancel_at: change.cancelAtPeriodEnd ? end : null,
        canceled_at: change.cancelAtPeriodEnd ? now : null,
        cancellation_details: { comment: null, feedback: null, reason: change.cancelAtPeriodEnd ? "cancellation_requested" : null },
      });
    }
  });
  if (!invoiceLines.length) return;
  if (resetPeriod || change.prorationBehavior === "always_invoice") {
    settle(stripe, subscription, stripe.createInvoice(subscription, "subscription_update", invoiceLines));
  } else {
    // create_prorations: the difference waits for the next renewal invoice.
    const pending = (stripe.state.pendingProrations[subscription.id] ??= []);
    pending.push(...invoiceLines);
  }
}

/** The share of `price` for the rest of the item's current period, as a proration line. */
function prorate(item: Item, price: StripeObject, now: number): InvoiceLine {
  const share = (item.current_period_end - now) / (item.current_period_end - item.current_period_start);
  return { ...fullLine({ ...item, price }, true), amount: Math.round(amountOf(price) * share), start: now };
}

export function cancelSubscription(stripe: LocalStripe, subscription: StripeObject, reason = "cancellation_requested"): void {
  const now = stripe.now();
  Object.assign(subscription, {
    status: "canceled",
    canceled_at: subscription.canceled_at ?? now,
    ended_at: now,
    cancellation_details: { comment: null, feedback: null, reason },
  });
  delete stripe.state.pendingProrations[subscription.id];
  stripe.emit("customer.subscription.deleted", subscription);
}

/** Moves the clock and lets every subscription live through the time passed, event by event. */
export function advanceClock(stripe: LocalStripe, seconds: number): void {
  const target = stripe.now() + seconds;
  for (;;) {
    const due = Object.values(stripe.state.subscriptions)
      .map((subscription) => ({ subscription, at: nextDue(stripe, subscription) }))
      .filter((entry) => entry.at !== null && entry.at <= target)
      .sort((a, b) => a.at! - b.at!)[0];
    if (!due) break;
    stripe.state.clockOffsetSeconds += Math.max(0, due.at! - stripe.now());
    step(stripe, due.subscription);
  }
  stripe.state.clockOffsetSeconds += Math.max(0, target - stripe.now());
}

function openInvoice(stripe: LocalStripe, subscription: StripeObject): StripeObject | undefined {
  const invoice = stripe.state.invoices[String(subscription.latest_invoice)];
  return invoice?.status === "open" ? invoice : undefined;
}

function nextDue(stripe: LocalStripe, subscription: StripeObject): number | null {
  if (!LIVE.includes(String(subscription.status))) return null;
  const end = Math.min(...itemsOf(subscription).map((item) => item.current_period_end));
  const retry = openInvoice(stripe, subscription)?.next_payment_attempt;
  return typeof retry === "number" ? Math.min(retry, end) : end;
}

function step(stripe: LocalStripe, subscription: StripeObject): void {
  const now = stripe.now();
  const open = openInvoice(stripe, subscription);
  if (open && typeof open.next_payment_attempt === "number" && open.next_payment_attempt <= now) {
    settle(stripe, subscription, open);
    return;
  }
  if (subscription.cancel_at_period_end) {
    cancelSubscription(stripe, subscription);
    return;
  }
  const lines: InvoiceLine[] = stripe.state.pendingProrations[subscription.id] ?? [];
  delete stripe.state.pendingProrations[subscription.id];
  stripe.change("customer.subscription.updated", subscription, () => {
    for (const item of itemsOf(subscription)) {
      const start = item.current_period_end;
      Object.assign(item, { current_period_start: start, current_period_end: periodEnd(start, item.price) });
      lines.push(fullLine(item));
    }
  });
  settle(stripe, subscription, stripe.createInvoice(subscription, "subscription_cycle", lines));
}

/** Charges an open invoice and moves the subscription to the state the outcome implies. */
export function settle(stripe: LocalStripe, subscription: StripeObject, invoice: StripeObject): void {
  const paid = stripe.charge(invoice);
  let status = paid ? "active" : "past_due";
  if (!paid && invoice.next_payment_attempt === null) {
    if (stripe.options.afterFailedRetries === "canceled") return cancelSubscription(stripe, subscription, "payment_failed");
    status = "unpaid";
  }
  if (status !== subscription.status) {
    stripe.change("customer.subscription.updated", subscription, () => {
      subscription.status = status;
    });
  }
}

/** The portal's "update payment method": the card works again and an open invoice is paid now. */
export function fixPaymentMethod(stripe: LocalStripe, customerId: string): void {
  stripe.state.failingCustomers = stripe.state.failingCustomers.filter((id) => id !== customerId);
  for (const subscription of Object.values(stripe.state.subscriptions)) {
    const open = subscription.customer === customerId ? openInvoice(stripe, subscription) : undefined;
    if (open && LIVE.concat("unpaid").includes(String(subscription.status))) settle(stripe, subscription, open);
  }
}
