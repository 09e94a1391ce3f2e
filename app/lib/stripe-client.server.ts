// Builds the official Stripe client for a key and, optionally, another API
// host (the local stand-in in supabase/local/stripe/). Apart from env.server.ts
// so tests and scripts can build one without the app's whole environment.
import Stripe from "stripe";

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
  return new Stripe(secretKey, { host: url.hostname, port: url.port || (protocol === "http" ? 80 : 443), protocol });
}
