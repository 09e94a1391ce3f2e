// Delivers events to the app's webhook endpoint the way Stripe does: a JSON POST
// signed with `Stripe-Signature: t=<unix>,v1=<HMAC-SHA256(secret, "t.payload")>`,
// retried with back-off while the endpoint answers non-2xx or is unreachable.
// Test hooks: hold deliveries and release them in another order, and resend an
// event (the same id again, as Stripe does when it is unsure of a delivery).
import { createHmac } from "node:crypto";
import type { StripeObject } from "./state.ts";

export function signatureHeader(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const signature = createHmac("sha256", secret).update(`${timestamp}.${payload}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${signature}`;
}

export interface WebhookSenderOptions {
  url: string;
  secret: string;
  /** Wait before each retry; Stripe's schedule spans days, the local one seconds. */
  retryDelaysMs: number[];
  log: (line: string) => void;
}

export class WebhookSender {
  private held: StripeObject[] | null = null;
  private chain: Promise<void> = Promise.resolve();
  private inFlight = new Set<Promise<void>>();
  private timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: WebhookSenderOptions) {}

  /** Queues the event for delivery, after those queued before it. */
  send(event: StripeObject): void {
    if (this.held) this.held.push(event);
    else this.queue(event);
  }

  /** Keeps events back until release(). */
  hold(): void {
    this.held ??= [];
  }

  /** Delivers the held events in the order given by ids or types (any not named follow in creation order). */
  release(order: string[] | "reverse" = []): string[] {
    const held = this.held ?? [];
    this.held = null;
    const ranked = order === "reverse" ? [...held].reverse() : rankByOrder(held, order);
    for (const event of ranked) this.queue(event);
    return ranked.map((event) => event.id);
  }

  resend(event: StripeObject): void {
    this.queue(event);
  }

  /** Resolves once nothing is being delivered or waiting for a retry. */
  async idle(): Promise<void> {
    while (this.inFlight.size || this.timers.size) {
      await Promise.allSettled([...this.inFlight]);
      if (this.timers.size) await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private queue(event: StripeObject): void {
    const delivery = this.chain.then(() => this.attempt(event, 0));
    this.chain = delivery;
    this.track(delivery);
  }

  private track(delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  private async attempt(event: StripeObject, retry: number): Promise<void> {
    const payload = JSON.stringify(event, null, 2);
    let outcome: string;
    try {
      const response = await fetch(this.options.url, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          "stripe-signature": signatureHeader(payload, this.options.secret),
        },
        body: payload,
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      if (response.ok) {
        event.pending_webhooks = 0;
        this.options.log(`webhook ${event.type} ${event.id} → ${response.status}`);
        return;
      }
      outcome = String(response.status);
    } catch (error) {
      outcome = error instanceof Error ? error.message : String(error);
    }
    const delay = this.options.retryDelaysMs[retry];
    this.options.log(`webhook ${event.type} ${event.id} failed (${outcome})${delay === undefined ? ", giving up" : `, retrying in ${delay} ms`}`);
    if (delay === undefined) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.track(this.attempt(event, retry + 1));
    }, delay);
    this.timers.add(timer);
  }
}

function rankByOrder(events: StripeObject[], order: string[]): StripeObject[] {
  const rank = (event: StripeObject) => {
    const index = order.findIndex((entry) => entry === event.id || entry === event.type);
    return index === -1 ? order.length : index;
  };
  return [...events].sort((a, b) => rank(a) - rank(b));
}
