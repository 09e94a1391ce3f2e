// The plans' prices, seeded at start under the ids the app is configured with
// (STRIPE_PRICE_*), at the amounts of the entitlement table the app enforces
// and shows (PLANS: priceUsdCents a month, yearlyPriceUsdCents a year).
import { PLANS } from "../../../app/domain/entitlements.ts";
import { priceObject } from "./objects.ts";
import type { StripeObject } from "./state.ts";

export interface PriceIds {
  proMonthly: string;
  proYearly: string;
  eliteMonthly: string;
  eliteYearly: string;
}

export const DEFAULT_PRICE_IDS: PriceIds = {
  proMonthly: "price_pro_monthly",
  proYearly: "price_pro_yearly",
  eliteMonthly: "price_elite_monthly",
  eliteYearly: "price_elite_yearly",
};

export function planPrices(ids: PriceIds, created: number): StripeObject[] {
  const price = (id: string, tier: "pro" | "elite", interval: "month" | "year") => {
    const amount = interval === "year" ? PLANS[tier].yearlyPriceUsdCents : PLANS[tier].priceUsdCents;
    const name = tier === "pro" ? "RawJournal Pro" : "RawJournal Elite";
    const object = priceObject(id, created, `prod_rawjournal_${tier}`, amount, interval);
    return { ...object, nickname: `${name} (${interval === "year" ? "yearly" : "monthly"})`, lookup_key: `${tier}_${interval}ly` };
  };
  return [
    price(ids.proMonthly, "pro", "month"),
    price(ids.proYearly, "pro", "year"),
    price(ids.eliteMonthly, "elite", "month"),
    price(ids.eliteYearly, "elite", "year"),
  ];
}

/** What a page or invoice line calls a price. */
export function priceLabel(price: StripeObject): string {
  return String(price.nickname ?? price.product);
}
