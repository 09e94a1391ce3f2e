// The Stripe the tests talk to: the local stand-in on a free port, reached
// through the official client the way the app reaches it (stripeClientFor).
// With STRIPE_SECRET_KEY set to a real sk_test_ key (and STRIPE_PRICE_* naming
// that account's prices) contract tests run against Stripe's test mode instead.
import { afterAll } from "vitest";
import type Stripe from "stripe";
import { stripeClientFor } from "../../app/lib/stripe-client.server.ts";
import { freePort } from "../../supabase/local/free-port.ts";
import { LOCAL_KEY_PREFIX, priceIdsFrom } from "../../supabase/local/stripe/env.ts";
import type { PriceIds } from "../../supabase/local/stripe/prices.ts";
import { startLocalStripe, type RunningLocalStripe } from "../../supabase/local/stripe/server.ts";

export interface StripeUnderTest {
  client: Stripe;
  secretKey: string;
  webhookSecret: string;
  priceIds: PriceIds;
  /** Null against Stripe's test mode. */
  local: RunningLocalStripe | null;
  /** The variables the app needs to use this Stripe. */
  env: Record<string, string>;
}

export function externalStripeKey(): string | undefined {
  const key = process.env.STRIPE_SECRET_KEY;
  return key?.startsWith("sk_test_") && !key.startsWith(LOCAL_KEY_PREFIX) ? key : undefined;
}

export async function startStripeForTests({
  webhookUrl,
  retryDelaysMs = [50, 100, 200],
  log,
}: {
  webhookUrl: string;
  retryDelaysMs?: number[];
  log?: (line: string) => void;
}): Promise<StripeUnderTest> {
  const external = externalStripeKey();
  if (external) {
    const env = { STRIPE_SECRET_KEY: external, STRIPE_WEBHOOK_SECRET: process.env.STRIPE_WEBHOOK_SECRET ?? "whsec_unused" };
    return {
      client: stripeClientFor({ secretKey: external }),
      secretKey: external,
      webhookSecret: env.STRIPE_WEBHOOK_SECRET,
      priceIds: priceIdsFrom(process.env),
      local: null,
      env: priceEnv(env, priceIdsFrom(process.env)),
    };
  }
  const secretKey = `${LOCAL_KEY_PREFIX}tests${process.pid}`;
  const webhookSecret = `whsec_tests${process.pid}`;
  const priceIds = priceIdsFrom({});
  const local = await startLocalStripe({
    secretKey,
    webhookSecret,
    webhookUrl,
    priceIds,
    port: await freePort(),
    retryDelaysMs,
    log: log ?? (process.env.LOCAL_STRIPE_LOG ? (line) => console.log(`[stripe] ${line}`) : () => {}),
  });
  afterAll(() => local.close());
  const env = priceEnv({ STRIPE_SECRET_KEY: secretKey, STRIPE_WEBHOOK_SECRET: webhookSecret, STRIPE_API_URL: local.url }, priceIds);
  return { client: stripeClientFor({ secretKey, apiUrl: local.url }), secretKey, webhookSecret, priceIds, local, env };
}

function priceEnv(env: Record<string, string>, ids: PriceIds): Record<string, string> {
  return {
    ...env,
    STRIPE_PRICE_PRO_MONTHLY: ids.proMonthly,
    STRIPE_PRICE_PRO_YEARLY: ids.proYearly,
    STRIPE_PRICE_ELITE_MONTHLY: ids.eliteMonthly,
    STRIPE_PRICE_ELITE_YEARLY: ids.eliteYearly,
  };
}
