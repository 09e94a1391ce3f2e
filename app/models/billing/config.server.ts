// Billing settings from the environment: the price of each plan and interval
// (never taken from a form), the grace days, and whether billing is set up.
import type { PriceCatalog } from "~/domain/billing/prices.ts";
import { isCatalogComplete } from "~/domain/billing/prices.ts";
import { env } from "~/lib/env.server.ts";

export function priceCatalog(): PriceCatalog {
  return {
    pro: { month: env.STRIPE_PRICE_PRO_MONTHLY, year: env.STRIPE_PRICE_PRO_YEARLY },
    elite: { month: env.STRIPE_PRICE_ELITE_MONTHLY, year: env.STRIPE_PRICE_ELITE_YEARLY },
  };
}

export function billingGraceDays(): number {
  return env.BILLING_GRACE_DAYS;
}

/** Checkout can start only with a secret key and every price configured. */
export function billingConfigured(): boolean {
  return Boolean(env.STRIPE_SECRET_KEY) && isCatalogComplete(priceCatalog());
}
