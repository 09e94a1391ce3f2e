// Builders of Stripe-shaped objects (API version of the installed stripe
// package: periods live on subscription items, an invoice names its
// subscription under parent.subscription_details).
import { newId } from "./ids.ts";
import type { Json, Metadata, StripeObject } from "./state.ts";

const common = (prefix: string, object: string, created: number) => ({ id: newId(prefix), object, created, livemode: false });

export function customerObject(created: number, fields: { email?: string; name?: string; metadata: Metadata }): StripeObject {
  return {
    ...common("cus_", "customer", created),
    email: fields.email ?? null,
    name: fields.name ?? null,
    description: null,
    metadata: fields.metadata,
    invoice_settings: { default_payment_method: null, custom_fields: null, footer: null },
  };
}

export function priceObject(id: string, created: number, product: string, unitAmount: number, interval: "month" | "year"): StripeObject {
  return {
    id,
    object: "price",
    created,
    livemode: false,
    active: true,
    billing_scheme: "per_unit",
    currency: "usd",
    lookup_key: null,
    metadata: {},
    nickname: null,
    product,
    recurring: { interval, interval_count: 1, usage_type: "licensed", meter: null, trial_period_days: null },
    tax_behavior: "unspecified",
    type: "recurring",
    unit_amount: unitAmount,
    unit_amount_decimal: String(unitAmount),
  };
}

/** The end of the billing period that starts at `start` (calendar months and years, as Stripe bills). */
export function periodEnd(start: number, price: StripeObject): number {
  const date = new Date(start * 1000);
  const { interval } = price.recurring as { interval: "month" | "year" };
  if (interval === "year") date.setUTCFullYear(date.getUTCFullYear() + 1);
  else date.setUTCMonth(date.getUTCMonth() + 1);
  return Math.floor(date.getTime() / 1000);
}

export function subscriptionItemObject(subscription: string, price: StripeObject, start: number): StripeObject {
  return {
    ...common("si_", "subscription_item", start),
    current_period_start: start,
    current_period_end: periodEnd(start, price),
    metadata: {},
    price,
    quantity: 1,
    subscription,
  };
}

export function subscriptionObject(now: number, customer: string, price: StripeObject, metadata: Metadata): StripeObject {
  const base = common("sub_", "subscription", now);
  const item = subscriptionItemObject(base.id, price, now);
  return {
    ...base,
    billing_cycle_anchor: now,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, reason: null },
    collection_method: "charge_automatically",
    currency: "usd",
    customer,
    ended_at: null,
    items: { object: "list", data: [item], has_more: false, total_count: 1, url: `/v1/subscription_items?subscription=${base.id}` },
    latest_invoice: null,
    metadata,
    start_date: now,
    status: "incomplete",
    test_clock: null,
  };
}

export interface InvoiceLine {
  amount: number;
  description: string;
  price: StripeObject;
  item: string;
  start: number;
  end: number;
  proration: boolean;
}

export function invoiceObject(
  now: number,
  subscription: StripeObject,
  reason: string,
  lines: InvoiceLine[],
  publicUrl: string,
  number: number,
): StripeObject {
  const base = common("in_", "invoice", now);
  const total = lines.reduce((sum, line) => sum + line.amount, 0);
  return {
    ...base,
    account_country: "US",
    amount_due: total,
    amount_paid: 0,
    amount_remaining: total,
    attempt_count: 0,
    attempted: false,
    billing_reason: reason,
    collection_method: "charge_automatically",
    currency: "usd",
    customer: subscription.customer,
    hosted_invoice_url: `${publicUrl}/i/${base.id}`,
    invoice_pdf: null,
    lines: { object: "list", data: lines.map(lineObject), has_more: false, total_count: lines.length, url: `/v1/invoices/${base.id}/lines` },
    metadata: {},
    next_payment_attempt: null,
    number: `LOCAL-${String(number).padStart(4, "0")}`,
    parent: {
      type: "subscription_details",
      quote_details: null,
      subscription_details: { metadata: subscription.metadata, subscription: subscription.id },
    },
    period_start: Math.min(...lines.map((line) => line.start)),
    period_end: Math.max(...lines.map((line) => line.end)),
    status: "open",
    status_transitions: { finalized_at: now, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: total,
    total,
  };
}

function lineObject(line: InvoiceLine): Json {
  return {
    id: newId("il_"),
    object: "line_item",
    amount: line.amount,
    currency: "usd",
    description: line.description,
    livemode: false,
    metadata: {},
    period: { start: line.start, end: line.end },
    pricing: {
      type: "price_details",
      price_details: { price: line.price.id, product: line.price.product },
      unit_amount_decimal: String(line.amount),
    },
    quantity: 1,
    parent: {
      type: "subscription_item_details",
      subscription_item_details: { proration: line.proration, subscription: null, subscription_item: line.item },
    },
  };
}
