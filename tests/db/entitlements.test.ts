import { expect, it } from "vitest";
import { PLANS } from "../../app/domain/entitlements.ts";
import { createTestDatabase } from "../support/database.ts";

const db = await createTestDatabase();

it("public.plan_limits holds exactly the limits app/domain/entitlements.ts knows", async () => {
  const { rows } = await db.pool.query(
    "select tier, max_accounts, max_mt5_accounts, monthly_trade_limit, priority_sync, price_usd_cents, price_usd_cents_yearly from public.plan_limits order by price_usd_cents",
  );
  expect(
    rows.map((r) => ({
      tier: r.tier,
      maxAccounts: r.max_accounts,
      maxMt5Accounts: r.max_mt5_accounts,
      monthlyTradeLimit: r.monthly_trade_limit,
      prioritySync: r.priority_sync,
      priceUsdCents: r.price_usd_cents,
      yearlyPriceUsdCents: r.price_usd_cents_yearly,
    })),
  ).toEqual([PLANS.free, PLANS.pro, PLANS.elite]);
});
