// The stand-in's state and the moves every endpoint shares: the clock, saving,
// emitting events (queued for the webhook endpoint) and charging invoices.
import { invoiceObject, type InvoiceLine } from "./objects.ts";
import { newId } from "./ids.ts";
import { clone, loadState, nowSeconds, saveState, type Json, type LocalStripeState, type StripeObject } from "./state.ts";
import type { WebhookSender } from "./webhooks.ts";

export interface LocalStripeOptions {
  publicUrl: string;
  apiVersion: string;
  webhooks: WebhookSender;
  stateFile?: string;
  /** What a subscription becomes when the last retry of a failed invoice fails (Stripe's setting). */
  afterFailedRetries: "canceled" | "unpaid";
}

/** Days after a failed charge when Stripe tries again (Smart Retries, shortened to a fixed schedule). */
export const RETRY_AFTER_DAYS = [3, 3, 3];

export class LocalStripe {
  readonly state: LocalStripeState;
  /** Answers by path and Idempotency-Key, for retried POSTs (kept in memory, as Stripe keeps them for a day). */
  readonly idempotent = new Map<string, string>();

  constructor(readonly options: LocalStripeOptions) {
    this.state = loadState(options.stateFile);
  }

  now(): number {
    return nowSeconds(this.state);
  }

  save(): void {
    saveState(this.options.stateFile, this.state);
  }

  emit(type: string, object: StripeObject, previous?: Json): StripeObject {
    const event: StripeObject = {
      id: newId("evt_"),
      object: "event",
      api_version: this.options.apiVersion,
      created: this.now(),
      data: previous ? { object: clone(object), previous_attributes: previous } : { object: clone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    };
    this.state.events.push(event);
    this.options.webhooks.send(event);
    return event;
  }

  createInvoice(subscription: StripeObject, reason: string, lines: InvoiceLine[]): StripeObject {
    const count = Object.keys(this.state.invoices).length + 1;
    const invoice = invoiceObject(this.now(), subscription, reason, lines, this.options.publicUrl, count);
    this.state.invoices[invoice.id] = invoice;
    subscription.latest_invoice = invoice.id;
    return invoice;
  }

  /** Attempts the payment: invoice.paid, or invoice.payment_failed with the next retry scheduled. */
  charge(invoice: StripeObject): boolean {
    const now = this.now();
    invoice.attempted = true;
    invoice.attempt_count = Number(invoice.attempt_count) + 1;
    const declined = this.state.failingCustomers.includes(String(invoice.customer)) && Number(invoice.amount_due) > 0;
    if (declined) {
      const retryDays = RETRY_AFTER_DAYS[Number(invoice.attempt_count) - 1];
      invoice.next_payment_attempt = retryDays === undefined ? null : now + retryDays * 86_400;
      this.emit("invoice.payment_failed", invoice);
      return false;
    }
    invoice.status = "paid";
    invoice.amount_paid = invoice.amount_due;
    invoice.amount_remaining = 0;
    invoice.next_payment_attempt = null;
    (invoice.status_transitions as Json).paid_at = now;
    this.emit("invoice.paid", invoice);
    return true;
  }

  /** Changes `object` and emits `type` with the top-level fields it changed as previous_attributes. */
  change(type: string, object: StripeObject, mutate: () => void): void {
    const before = clone(object);
    mutate();
    const previous: Json = {};
    for (const key of Object.keys(object)) {
      if (JSON.stringify(before[key]) !== JSON.stringify(object[key])) previous[key] = before[key];
    }
    this.emit(type, object, previous);
  }
}
