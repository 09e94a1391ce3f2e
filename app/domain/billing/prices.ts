// Which Stripe price is which plan. The price ids come from configuration
// (STRIPE_PRICE_*), never from a form: a checkout asks for a plan and an
// interval, and this table names the price; an event's price is read back
// through the same table, so an unknown price never grants a plan.
import type { Tier } from "../entitlements.ts";

export type PaidTier = Exclude<Tier, "free">;
export type BillingInterval = "month" | "year";

export interface PlanChoice {
  tier: PaidTier;
  interval: BillingInterval;
}

export type PriceCatalog = Record<PaidTier, Record<BillingInterval, string | undefined>>;

export const PAID_TIERS: readonly PaidTier[] = ["pro", "elite"];
export const INTERVALS: readonly BillingInterval[] = ["month", "year"];

export function priceIdFor(catalog: PriceCatalog, choice: PlanChoice): string | null {
  return catalog[choice.tier][choice.interval] ?? null;
}

/** The plan a price id stands for, or null for a price this app does not sell. */
export function choiceForPrice(catalog: PriceCatalog, priceId: string | null | undefined): PlanChoice | null {
  if (!priceId) return null;
  for (const tier of PAID_TIERS) {
    for (const interval of INTERVALS) {
      if (catalog[tier][interval] === priceId) return { tier, interval };
    }
  }
  return null;
}

export function isCatalogComplete(catalog: PriceCatalog): boolean {
  return PAID_TIERS.every((tier) => INTERVALS.every((interval) => Boolean(catalog[tier][interval])));
}
