// Resource route: POST /webhooks/stripe, Stripe's (or the local stand-in's)
// signed events. No session and no origin check: the signature is the
// authentication. 400 for a bad signature (Stripe retries, which is right if
// the secret is being rotated), 200 once the event is recorded, 500 when the
// database fails so Stripe delivers it again.
import type { ActionFunctionArgs } from "@remix-run/node";
import { env } from "~/lib/env.server.ts";
import { pool } from "~/lib/pool.server.ts";
import { limitRequest } from "~/lib/rate-limit.server.ts";
import { RateLimitedError, retryAfterHeaders } from "~/lib/rate-limit.ts";
import { stripeClient } from "~/lib/stripe.server.ts";
import { billingGraceDays, priceCatalog } from "~/models/billing/config.server.ts";
import { handleStripeWebhook } from "~/models/billing/stripe-webhook.server.ts";

const noStore = { "Cache-Control": "no-store" };

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("Method not allowed.", { status: 405, headers: { ...noStore, Allow: "POST" } });
  if (!env.STRIPE_WEBHOOK_SECRET) return new Response("Billing is not configured.", { status: 503, headers: noStore });
  // Checked before the signature: a flood of forged deliveries costs one
  // counter each, not an HMAC over its body. Stripe retries a 429 later.
  try {
    await limitRequest(request, "webhook");
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    return new Response(error.message, {
      status: 429,
      headers: { ...noStore, ...retryAfterHeaders(error), "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const answer = await handleStripeWebhook(request, {
    pool,
    stripe: stripeClient(),
    webhookSecret: env.STRIPE_WEBHOOK_SECRET,
    rules: { catalog: priceCatalog(), graceDays: billingGraceDays() },
    siteUrl: env.SITE_URL,
  });
  return new Response(answer.body, {
    status: answer.status,
    headers: { ...noStore, "Content-Type": answer.status === 200 ? "application/json" : "text/plain; charset=utf-8" },
  });
}

export function loader() {
  return new Response("Method not allowed.", { status: 405, headers: { ...noStore, Allow: "POST" } });
}
