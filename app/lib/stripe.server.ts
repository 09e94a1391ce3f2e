// The one way the app reaches Stripe: the official client, built from the
// environment. With STRIPE_API_URL set it talks to that host instead of
// api.stripe.com (locally, the stand-in in supabase/local/stripe/); unset, a
// real sk_test_/sk_live_ key talks to Stripe itself.
import Stripe from "stripe";
import { env } from "./env.server.ts";

export interface StripeSettings {
  secretKey: string | undefined;
  apiUrl?: string | undefined;
}

/** A client for these settings; throws naming what is missing or inconsistent. */
export function stripeClientFor({ secretKey, apiUrl }: StripeSettings): Stripe {
  if (!secretKey) throw new Error("STRIPE_SECRET_KEY is not set: billing is not configured (`npm start` writes a local key)");
  // A local key against api.stripe.com would only earn an authentication error from Stripe.
  if (!apiUrl && secretKey.startsWith("sk_test_local_")) {
    throw new Error("STRIPE_SECRET_KEY is a local stand-in key but STRIPE_API_URL is not set");
  }
  if (!apiUrl) return new Stripe(secretKey);
  const url = new URL(apiUrl);
  const protocol = url.protocol === "http:" ? "http" : "https";
  return new Stripe(secretKey, {
    host: url.hostname,
    port: url.port || (protocol === "http" ? 80 : 443),
    protocol,
  });
}

let client: Stripe | undefined;

/** The app's Stripe client (made once, on first use). */
export function stripeClient(): Stripe {
  client ??= stripeClientFor({ secretKey: env.STRIPE_SECRET_KEY, apiUrl: env.STRIPE_API_URL });
  return client;
}
