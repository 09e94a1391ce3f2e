import { describe, expect, it } from "vitest";
import { canAddAccount, canAddTrades, limitErrorFromSqlState, PLANS } from "./entitlements.ts";

describe("entitlements", () => {
  it("free: 15 trades a month, one manual account, no MT5", () => {
    expect(canAddTrades(PLANS.free, 14, 1)).toBe(true);
    expect(canAddTrades(PLANS.free, 15, 1)).toBe(false);
    expect(canAddTrades(PLANS.free, 10, 6)).toBe(false);
    expect(canAddAccount(PLANS.free, { total: 0, mt5: 0 }, "manual")).toBe(true);
    expect(canAddAccount(PLANS.free, { total: 0, mt5: 0 }, "mt5")).toBe(false);
    expect(canAddAccount(PLANS.free, { total: 1, mt5: 0 }, "manual")).toBe(false);
  });

  it("pro: one MT5 account plus manual ones; elite: five MT5", () => {
    expect(canAddTrades(PLANS.pro, 10_000, 500)).toBe(true);
    expect(canAddAccount(PLANS.pro, { total: 3, mt5: 0 }, "mt5")).toBe(true);
    expect(canAddAccount(PLANS.pro, { total: 3, mt5: 1 }, "mt5")).toBe(false);
    expect(canAddAccount(PLANS.pro, { total: 3, mt5: 1 }, "manual")).toBe(true);
    expect(canAddAccount(PLANS.elite, { total: 4, mt5: 4 }, "mt5")).toBe(true);
    expect(canAddAccount(PLANS.elite, { total: 5, mt5: 5 }, "mt5")).toBe(false);
  });

  it("maps the database's limit errors", () => {
    expect(limitErrorFromSqlState("RJ001")).toBe("monthly_trade_limit_reached");
    expect(limitErrorFromSqlState("RJ004")).toBe("mt5_account_limit_reached");
    expect(limitErrorFromSqlState("23505")).toBeNull();
    expect(limitErrorFromSqlState(undefined)).toBeNull();
  });
});
