// The landing page's pricing summary, written from the plan limits so the two
// never disagree.
import { PLANS, type PlanLimits, type Tier } from "~/domain/entitlements.ts";

export interface PricingCard {
  tier: Tier;
  name: string;
  price: string;
  features: string[];
}

const NAMES: Record<Tier, string> = { free: "Free", pro: "Pro", elite: "Elite" };

function formatPrice(cents: number): string {
  if (cents === 0) return "$0";
  return `$${(cents / 100).toFixed(cents % 100 === 0 ? 0 : 2)}`;
}

export function planFeatures(plan: PlanLimits): string[] {
  const features = [
    plan.maxAccounts === null ? "Unlimited accounts" : `${plan.maxAccounts} account${plan.maxAccounts === 1 ? "" : "s"}`,
    plan.monthlyTradeLimit === null ? "Unlimited trades" : `${plan.monthlyTradeLimit} trades a month`,
    plan.maxMt5Accounts === 0
      ? "Manual entry and file import"
      : `${plan.maxMt5Accounts} MT5 account${plan.maxMt5Accounts === 1 ? "" : "s"} synced automatically`,
  ];
  if (plan.prioritySync) features.push("Priority sync");
  return features;
}

export function pricingCards(): PricingCard[] {
  return (Object.keys(PLANS) as Tier[]).map((tier) => ({
    tier,
    name: NAMES[tier],
    price: formatPrice(PLANS[tier].priceUsdCents),
    features: planFeatures(PLANS[tier]),
  }));
}
