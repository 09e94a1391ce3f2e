// A verified Stripe event, reduced to what billing acts on. Parsed, not cast:
// a field missing or of another type makes the event `unreadable` (recorded,
// answered 200 so Stripe stops retrying something no retry can fix, and
// logged), rather than a half-applied change. Fields are read where the
// current API version puts them and where older versions did (period end on
// the subscription item vs. the subscription; an invoice's subscription under
// `parent.subscription_details` vs. `subscription`).
import { z } from "zod";
import { SUBSCRIPTION_STATUSES, type SubscriptionSnapshot } from "./subscription-state.ts";

export const HANDLED_EVENT_TYPES = [
  "checkout.session.completed",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "invoice.paid",
  "invoice.payment_failed",
] as const;

export type BillingEvent =
  | { kind: "checkout_completed"; customerId: string | null; subscriptionId: string | null; userId: string | null }
  | { kind: "subscription"; snapshot: SubscriptionSnapshot; userId: string | null }
  | { kind: "invoice_paid" | "invoice_payment_failed"; invoiceId: string; customerId: string; subscriptionId: string | null; attemptCount: number }
  | { kind: "ignored" }
  | { kind: "unreadable"; problem: string };

const id = (prefix: string) => z.string().startsWith(prefix);
const expandable = (prefix: string) => z.union([id(prefix), z.object({ id: id(prefix) }).transform((o) => o.id)]);
const epoch = z.number().int().nonnegative();
const uuid = z.uuid();

const subscriptionObject = z.object({
  id: id("sub_"),
  customer: expandable("cus_"),
  status: z.enum(SUBSCRIPTION_STATUSES as [string, ...string[]]),
  cancel_at_period_end: z.boolean().default(false),
  created: epoch,
  current_period_end: epoch.nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  items: z.object({
    data: z.array(z.object({ price: z.object({ id: z.string() }).nullish(), current_period_end: epoch.nullish() })),
  }),
});

const checkoutSession = z.object({
  mode: z.string().nullish(),
  client_reference_id: z.string().nullish(),
  customer: expandable("cus_").nullish(),
  subscription: expandable("sub_").nullish(),
});

const invoiceObject = z.object({
  id: id("in_"),
  customer: expandable("cus_"),
  subscription: expandable("sub_").nullish(),
  attempt_count: z.number().int().nonnegative().default(0),
  parent: z.object({ subscription_details: z.object({ subscription: expandable("sub_") }).nullish() }).nullish(),
});

const eventShape = z.object({ type: z.string(), data: z.object({ object: z.unknown() }) });

function problemOf(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "(object)"}: ${issue.message}`).join("; ");
}

function userIdFrom(value: string | null | undefined): string | null {
  return value && uuid.safeParse(value).success ? value : null;
}

export function readBillingEvent(event: unknown): BillingEvent {
  const shape = eventShape.safeParse(event);
  if (!shape.success) return { kind: "unreadable", problem: problemOf(shape.error) };
  const { type, data } = shape.data;
  switch (type) {
    case "checkout.session.completed": {
      const session = checkoutSession.safeParse(data.object);
      if (!session.success) return { kind: "unreadable", problem: problemOf(session.error) };
      if (session.data.mode && session.data.mode !== "subscription") return { kind: "ignored" };
      return {
        kind: "checkout_completed",
        customerId: session.data.customer ?? null,
        subscriptionId: session.data.subscription ?? null,
        userId: userIdFrom(session.data.client_reference_id),
      };
    }
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted": {
      const parsed = subscriptionObject.safeParse(data.object);
      if (!parsed.success) return { kind: "unreadable", problem: problemOf(parsed.error) };
      const sub = parsed.data;
      const item = sub.items.data[0];
      const periodEnd = item?.current_period_end ?? sub.current_period_end ?? null;
      return {
        kind: "subscription",
        userId: userIdFrom(sub.metadata?.user_id),
        snapshot: {
          id: sub.id,
          customerId: sub.customer,
          status: sub.status as SubscriptionSnapshot["status"],
          priceId: item?.price?.id ?? null,
          cancelAtPeriodEnd: sub.cancel_at_period_end,
          currentPeriodEnd: periodEnd === null ? null : new Date(periodEnd * 1000),
          startedAt: new Date(sub.created * 1000),
        },
      };
    }
    case "invoice.paid":
    case "invoice.payment_failed": {
      const parsed = invoiceObject.safeParse(data.object);
      if (!parsed.success) return { kind: "unreadable", problem: problemOf(parsed.error) };
      const invoice = parsed.data;
      return {
        kind: type === "invoice.paid" ? "invoice_paid" : "invoice_payment_failed",
        invoiceId: invoice.id,
        customerId: invoice.customer,
        subscriptionId: invoice.parent?.subscription_details?.subscription ?? invoice.subscription ?? null,
        attemptCount: invoice.attempt_count,
      };
    }
    default:
      return { kind: "ignored" };
  }
}
