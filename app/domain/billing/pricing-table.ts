// /pricing's cards and comparison table, written from PLANS — the table the
// database's plan_limits mirrors and its triggers enforce (a test keeps the two
// equal) — so the page cannot promise what the server does not give.
import { PLANS, type PlanLimits, type Tier } from "../entitlements.ts";
import { planName } from "./plan-names.ts";
import type { BillingInterval } from "./prices.ts";

export const TIERS: readonly Tier[] = ["free", "pro", "elite"];

export interface PriceTag {
  tier: Tier;
  name: string;
  /** "$12.99" */
  price: string;
  per: "month" | "year";
  /** Yearly: what a month comes to, and the saving against paying monthly. */
  note: string | null;
}

function dollars(cents: number): string {
  return `$${(cents / 100).toFixed(cents % 100 === 0 ? 0 : 2)}`;
}

export function priceTag(tier: Tier, interval: BillingInterval): PriceTag {
  const plan = PLANS[tier];
  if (interval === "month" || plan.yearlyPriceUsdCents === 0) {
    return { tier, name: planName(tier), price: dollars(plan.priceUsdCents), per: "month", note: null };
  }
  const saved = plan.priceUsdCents * 12 - plan.yearlyPriceUsdCents;
  const monthly = Math.round(plan.yearlyPriceUsdCents / 12);
  return {
    tier,
    name: planName(tier),
    price: dollars(plan.yearlyPriceUsdCents),
    per: "year",
    note: `${dollars(monthly)} a month, ${dollars(saved)} less than monthly`,
  };
}

export interface ComparisonRow {
  label: string;
  values: Record<Tier, string>;
}

const unlimited = (value: number | null) => (value === null ? "Unlimited" : String(value));
const row = (label: string, value: (plan: PlanLimits) => string): ComparisonRow => ({
  label,
  values: { free: value(PLANS.free), pro: value(PLANS.pro), elite: value(PLANS.elite) },
});

export function comparisonRows(): ComparisonRow[] {
  return [
    row("Trading accounts", (p) => unlimited(p.maxAccounts)),
    row("MT5 accounts synced live (investor password)", (p) => (p.maxMt5Accounts === 0 ? "—" : String(p.maxMt5Accounts))),
    row("Trades added a month", (p) => unlimited(p.monthlyTradeLimit)),
    row("Priority sync", (p) => (p.prioritySync ? "✓" : "—")),
    row("MT5/MT4 report, CSV and JSON import", () => "✓"),
    row("Analytics, calendar and breakdowns", () => "✓"),
    row("Journal, playbooks and daily review", () => "✓"),
  ];
}

/** The short list on each card: the plan's limits in words. */
export function cardFeatures(tier: Tier): string[] {
  const plan = PLANS[tier];
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
