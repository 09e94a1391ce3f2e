// The /v1 endpoints the app uses (README.md lists them), answering as Stripe
// does: Bearer secret key, form-encoded params, unknown params refused, errors
// in Stripe's shape.
import type { IncomingMessage, ServerResponse } from "node:http";
import { StripeApiError, missingParam, noSuch, sendError } from "./errors.ts";
import { newId } from "./ids.ts";
import type { LocalStripe } from "./local-stripe.ts";
import { customerObject } from "./objects.ts";
import { list, readParams, record, text, type Params } from "./params.ts";
import type { StripeObject } from "./state.ts";
import { cancelSubscription, publicSession, updateSubscription } from "./subscriptions.ts";

type Handler = (stripe: LocalStripe, params: Params, id: string) => StripeObject | Record<string, unknown>;

/** `allowed`: the params honoured here; any other is refused, as Stripe refuses unknown ones (`expand` included: nothing expands). */
type Route = [method: string, pattern: RegExp, allowed: string, handle: Handler];

const ID = "([^/]+)";
const LIST = "limit customer subscription status active type";
const CHECKOUT = "mode line_items customer customer_email client_reference_id success_url cancel_url metadata subscription_data";
const path = (pattern: string) => new RegExp(`^/v1/${pattern}$`);

const routes: Route[] = [
  ["POST", path("customers"), "email name metadata", createCustomer],
  ["GET", path(`customers/${ID}`), "", (s, _p, id) => found(s, "customers", "customer", id)],
  ["POST", path(`customers/${ID}`), "email name metadata", updateCustomer],
  ["POST", path("checkout/sessions"), CHECKOUT, createCheckoutSession],
  ["GET", path(`checkout/sessions/${ID}`), "", (s, _p, id) => publicSession(found(s, "checkoutSessions", "checkout.session", id))],
  ["GET", path(`subscriptions/${ID}`), "", (s, _p, id) => found(s, "subscriptions", "subscription", id)],
  ["POST", path(`subscriptions/${ID}`), "cancel_at_period_end items proration_behavior metadata", changeSubscription],
  ["DELETE", path(`subscriptions/${ID}`), "", deleteSubscription],
  ["GET", path("invoices"), LIST, (s, p) => listOf(s, "invoices", p)],
  ["GET", path(`invoices/${ID}`), "", (s, _p, id) => found(s, "invoices", "invoice", id)],
  ["POST", path("billing_portal/sessions"), "customer return_url", createPortalSession],
  ["GET", path("prices"), LIST, (s, p) => listOf(s, "prices", p)],
  ["GET", path(`prices/${ID}`), "", (s, _p, id) => found(s, "prices", "price", id)],
  ["GET", path(`events/${ID}`), "", (s, _p, id) => eventById(s, id)],
];

export async function handleApi(stripe: LocalStripe, secretKey: string, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  try {
    authenticate(req, secretKey);
    const route = routes.find(([method, pattern]) => method === req.method && pattern.test(url.pathname));
    if (!route) throw new StripeApiError(404, "invalid_request_error", `Unrecognized request URL (${req.method}: ${url.pathname}).`);
    const [, pattern, allowed, handle] = route;
    // A retried request with the same Idempotency-Key gets the first answer again, as from Stripe.
    const idempotencyKey = req.method === "POST" ? req.headers["idempotency-key"] : undefined;
    const replay = typeof idempotencyKey === "string" ? stripe.idempotent.get(`${url.pathname} ${idempotencyKey}`) : undefined;
    if (replay) return void res.writeHead(200, { "content-type": "application/json", "idempotent-replayed": "true" }).end(replay);
    const params = await readParams(req, url);
    const unknown = Object.keys(params).find((key) => !allowed.split(" ").includes(key));
    if (unknown) throw new StripeApiError(400, "invalid_request_error", `Received unknown parameter: ${unknown}`, "parameter_unknown", unknown);
    const body = JSON.stringify(handle(stripe, params, decodeURIComponent(pattern.exec(url.pathname)![1] ?? "")), null, 2);
    if (typeof idempotencyKey === "string") stripe.idempotent.set(`${url.pathname} ${idempotencyKey}`, body);
    stripe.save();
    res.writeHead(200, { "content-type": "application/json", "request-id": newId("req_", 14) });
    res.end(body);
  } catch (error) {
    if (!(error instanceof StripeApiError)) throw error;
    sendError(res, error);
  }
}

function authenticate(req: IncomingMessage, secretKey: string): void {
  const header = req.headers.authorization ?? "";
  const bearer = /^Bearer (.+)$/i.exec(header)?.[1];
  const basic = /^Basic (.+)$/i.exec(header)?.[1];
  const key = bearer ?? (basic ? Buffer.from(basic, "base64").toString("utf8").split(":")[0] : undefined);
  if (!key) {
    throw new StripeApiError(
      401,
      "invalid_request_error",
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    );
  }
  // Masked as Stripe masks it: the message must never carry a usable key.
  if (key !== secretKey)
    throw new StripeApiError(401, "invalid_request_error", `Invalid API Key provided: ${key.slice(0, 8)}${"*".repeat(8)}${key.slice(-4)}`);
}

type Collection = "customers" | "prices" | "checkoutSessions" | "subscriptions" | "invoices";

function found(stripe: LocalStripe, collection: Collection, kind: string, id: string): StripeObject {
  const object = stripe.state[collection][id];
  if (!object) throw noSuch(kind, id);
  return object;
}

function eventById(stripe: LocalStripe, id: string): StripeObject {
  const event = stripe.state.events.find((e) => e.id === id);
  if (!event) throw noSuch("event", id);
  return event;
}

/** Newest first, filtered by the list params Stripe offers for these lists. */
function listOf(stripe: LocalStripe, collection: "invoices" | "prices", params: Params) {
  const all: StripeObject[] = Object.values(stripe.state[collection]);
  const filters = LIST.split(" ").filter((key) => key !== "limit" && text(params, key) !== undefined);
  const matches = all
    .filter((object) => filters.every((key) => String(key === "subscription" ? subscriptionOf(object) : object[key]) === text(params, key)))
    // Newest first; within one second, the later made first.
    .reverse()
    .sort((a, b) => b.created - a.created);
  const limit = Math.min(Math.max(Number(text(params, "limit") ?? 10), 1), 100);
  return { object: "list", data: matches.slice(0, limit), has_more: matches.length > limit, url: `/v1/${collection}` };
}

function subscriptionOf(invoice: StripeObject): unknown {
  return (invoice.parent as { subscription_details?: { subscription?: string } } | null)?.subscription_details?.subscription;
}

function createCustomer(stripe: LocalStripe, params: Params): StripeObject {
  const customer = customerObject(stripe.now(), { email: text(params, "email"), name: text(params, "name"), metadata: record(params, "metadata") });
  stripe.state.customers[customer.id] = customer;
  return customer;
}

function updateCustomer(stripe: LocalStripe, params: Params, id: string): StripeObject {
  const customer = found(stripe, "customers", "customer", id);
  for (const key of ["email", "name"]) if (text(params, key) !== undefined) customer[key] = text(params, key) || null;
  customer.metadata = { ...(customer.metadata as Record<string, string>), ...record(params, "metadata") };
  return customer;
}

function createCheckoutSession(stripe: LocalStripe, params: Params): StripeObject {
  const mode = text(params, "mode");
  if (!mode) throw missingParam("mode");
  if (mode !== "subscription")
    throw new StripeApiError(400, "invalid_request_error", "The local stand-in serves mode=subscription only.", "parameter_invalid", "mode");
  const lineItems = list(params, "line_items") as Params[];
  if (!lineItems.length) throw missingParam("line_items");
  const priceId = text(lineItems[0]!, "price");
  if (!priceId) throw missingParam("line_items[0][price]");
  const price = stripe.state.prices[priceId];
  if (!price) throw noSuch("price", priceId, "line_items[0][price]");
  const customer = text(params, "customer");
  if (customer && !stripe.state.customers[customer]) throw noSuch("customer", customer, "customer");
  const successUrl = text(params, "success_url");
  if (!successUrl) throw missingParam("success_url");
  const now = stripe.now();
  const id = newId("cs_test_", 58);
  const quantity = Number(text(lineItems[0]!, "quantity") ?? 1);
  const session: StripeObject = {
    id,
    object: "checkout.session",
    amount_subtotal: Number(price.unit_amount) * quantity,
    amount_total: Number(price.unit_amount) * quantity,
    cancel_url: text(params, "cancel_url") ?? null,
    client_reference_id: text(params, "client_reference_id") ?? null,
    created: now,
    currency: "usd",
    customer: customer ?? null,
    customer_email: text(params, "customer_email") ?? null,
    expires_at: now + 24 * 3600,
    invoice: null,
    livemode: false,
    metadata: record(params, "metadata"),
    mode,
    payment_status: "unpaid",
    status: "open",
    subscription: null,
    success_url: successUrl,
    url: `${stripe.options.publicUrl}/c/pay/${id}`,
    // The stand-in's own bookkeeping, never shown (publicSession drops them).
    price: priceId,
    subscription_metadata: record((params.subscription_data ?? {}) as Params, "metadata"),
  };
  stripe.state.checkoutSessions[id] = session;
  return publicSession(session);
}

function changeSubscription(stripe: LocalStripe, params: Params, id: string): StripeObject {
  const subscription = found(stripe, "subscriptions", "subscription", id);
  const cancel = text(params, "cancel_at_period_end");
  updateSubscription(stripe, subscription, {
    cancelAtPeriodEnd: cancel === undefined ? undefined : cancel === "true",
    metadata: params.metadata ? record(params, "metadata") : undefined,
    items: (list(params, "items") as Params[]).map((item) => ({ id: text(item, "id"), price: text(item, "price") })),
    prorationBehavior: text(params, "proration_behavior") ?? "create_prorations",
  });
  return subscription;
}

function deleteSubscription(stripe: LocalStripe, _params: Params, id: string): StripeObject {
  const subscription = found(stripe, "subscriptions", "subscription", id);
  if (subscription.status === "canceled") {
    throw new StripeApiError(404, "invalid_request_error", `No such subscription: '${id}'`, "resource_missing", "id");
  }
  cancelSubscription(stripe, subscription);
  return subscription;
}

function createPortalSession(stripe: LocalStripe, params: Params): StripeObject {
  const customer = text(params, "customer");
  if (!customer) throw missingParam("customer");
  if (!stripe.state.customers[customer]) throw noSuch("customer", customer, "customer");
  const id = newId("bps_");
  const session: StripeObject = {
    id,
    object: "billing_portal.session",
    configuration: "bpc_local",
    created: stripe.now(),
    customer,
    flow: null,
    livemode: false,
    locale: null,
    on_behalf_of: null,
    return_url: text(params, "return_url") ?? null,
    url: `${stripe.options.publicUrl}/p/session/${id}`,
  };
  stripe.state.portalSessions[id] = session;
  return session;
}
