// What each plan allows. The database holds the same numbers in
// public.plan_limits and enforces them with triggers; tests/db/entitlements.test.ts
// keeps the two equal, so the app can explain a limit before the database refuses.

export type Tier = "free" | "pro" | "elite";

export interface PlanLimits {
  tier: Tier;
  /** null = unlimited */
  maxAccounts: number | null;
  maxMt5Accounts: number;
  /** Trades added per calendar month (user's time zone); null = unlimited. */
  monthlyTradeLimit: number | null;
  prioritySync: boolean;
  priceUsdCents: number;
  /** Price of a year paid at once. */
  yearlyPriceUsdCents: number;
}

export const PLANS: Record<Tier, PlanLimits> = {
  free: { tier: "free", maxAccounts: 1, maxMt5Accounts: 0, monthlyTradeLimit: 15, prioritySync: false, priceUsdCents: 0, yearlyPriceUsdCents: 0 },
  pro: {
    tier: "pro",
    maxAccounts: null,
    maxMt5Accounts: 1,
    monthlyTradeLimit: null,
    prioritySync: false,
    priceUsdCents: 1299,
    yearlyPriceUsdCents: 12990,
  },
  elite: {
    tier: "elite",
    maxAccounts: null,
    maxMt5Accounts: 5,
    monthlyTradeLimit: null,
    prioritySync: true,
    priceUsdCents: 3000,
    yearlyPriceUsdCents: 30000,
  },
};

/** SQLSTATEs the database raises when a plan limit is reached. */
export const LIMIT_ERRORS = {
  RJ001: "monthly_trade_limit_reached",
  RJ003: "account_limit_reached",
  RJ004: "mt5_account_limit_reached",
  RJ005: "account_read_only",
} as const;

export type LimitError = (typeof LIMIT_ERRORS)[keyof typeof LIMIT_ERRORS];

export function limitErrorFromSqlState(code: string | undefined): LimitError | null {
  return code && code in LIMIT_ERRORS ? LIMIT_ERRORS[code as keyof typeof LIMIT_ERRORS] : null;
}

export function canAddTrades(plan: PlanLimits, addedThisMonth: number, adding: number): boolean {
  return plan.monthlyTradeLimit === null || addedThisMonth + adding <= plan.monthlyTradeLimit;
}

export function canAddAccount(plan: PlanLimits, existing: { total: number; mt5: number }, kind: "manual" | "mt5"): boolean {
  if (plan.maxAccounts !== null && existing.total + 1 > plan.maxAccounts) return false;
  return kind !== "mt5" || existing.mt5 + 1 <= plan.maxMt5Accounts;
}
