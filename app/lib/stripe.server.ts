// The one way the app reaches Stripe: the official client, built from the
// environment. With STRIPE_API_URL set it talks to that host instead of
// api.stripe.com (locally, the stand-in in supabase/local/stripe/); unset, a
// real sk_test_/sk_live_ key talks to Stripe itself.
import type Stripe from "stripe";
import { env } from "./env.server.ts";
import { stripeClientFor } from "./stripe-client.server.ts";

export { stripeClientFor, type StripeSettings } from "./stripe-client.server.ts";

let client: Stripe | undefined;

/** The app's Stripe client (made once, on first use). */
export function stripeClient(): Stripe {
  client ??= stripeClientFor({ secretKey: env.STRIPE_SECRET_KEY, apiUrl: env.STRIPE_API_URL });
  return client;
}
