import { describe, expect, it } from "vitest";
import { accountSchema, deleteAccountConfirmationSchema, instrumentOverrideSchema, removeInstrumentOverrideSchema } from "./account.ts";

const validAccount = {
  name: " FTMO 100k ",
  broker: " FTMO ",
  currency: "usd",
  initialBalance: "100 000.50",
  serverTimeZone: "NY+7",
  marginMode: "hedging",
};

describe("accountSchema", () => {
  it("trims, upper-cases the currency and keeps the balance as an exact decimal string", () => {
    expect(accountSchema.parse(validAccount)).toEqual({
      name: "FTMO 100k",
      broker: "FTMO",
      currency: "USD",
      initialBalance: "100000.5",
      serverTimeZone: "NY+7",
      marginMode: "hedging",
    });
  });

  it("keeps digits a float would lose", () => {
    expect(accountSchema.parse({ ...validAccount, initialBalance: "12345678901234.1234567891" }).initialBalance).toBe("12345678901234.1234567891");
  });

  it("treats an empty broker as none and an empty balance as 0", () => {
    const parsed = accountSchema.parse({ ...validAccount, broker: "", initialBalance: "" });
    expect(parsed.broker).toBeNull();
    expect(parsed.initialBalance).toBe("0");
  });

  it("accepts broker cent and crypto currencies and IANA server zones", () => {
    expect(accountSchema.parse({ ...validAccount, currency: "USC", serverTimeZone: "Europe/Athens" }).currency).toBe("USC");
    expect(accountSchema.parse({ ...validAccount, currency: "USDT", serverTimeZone: "UTC" }).currency).toBe("USDT");
  });

  it("refuses what the database would refuse, field by field", () => {
    const cases: [Partial<typeof validAccount>, string][] = [
      [{ name: "  " }, "name"],
      [{ name: "x".repeat(81) }, "name"],
      [{ broker: "b".repeat(121) }, "broker"],
      [{ currency: "" }, "currency"],
      [{ currency: "US" }, "currency"],
      [{ currency: "US1" }, "currency"],
      [{ currency: "USDTT" }, "currency"],
      [{ initialBalance: "ten" }, "initialBalance"],
      [{ initialBalance: "-5" }, "initialBalance"],
      [{ initialBalance: "1e5" }, "initialBalance"],
      [{ serverTimeZone: "GMT+2" }, "serverTimeZone"],
      [{ serverTimeZone: "" }, "serverTimeZone"],
      [{ marginMode: "both" }, "marginMode"],
    ];
    for (const [change, field] of cases) {
      const result = accountSchema.safeParse({ ...validAccount, ...change });
      expect(result.success, JSON.stringify(change)).toBe(false);
      expect(
        result.error?.issues.map((issue) => issue.path[0]),
        JSON.stringify(change),
      ).toEqual([field]);
    }
  });
});

describe("deleteAccountConfirmationSchema", () => {
  it("needs the box ticked", () => {
    expect(deleteAccountConfirmationSchema.safeParse({ confirmed: "yes" }).success).toBe(true);
    expect(deleteAccountConfirmationSchema.safeParse({}).success).toBe(false);
    expect(deleteAccountConfirmationSchema.safeParse({ confirmed: "on" }).success).toBe(false);
  });
});

describe("instrumentOverrideSchema", () => {
  it("stores the canonical symbol and empty fields as null", () => {
    expect(instrumentOverrideSchema.parse({ symbol: "xauusd.p", contractSize: "10", pipSize: "", digits: "2", profitCurrency: "usd" })).toEqual({
      symbol: "XAUUSD",
      contractSize: "10",
      point: null,
      pipSize: null,
      tickSize: null,
      tickValue: null,
      digits: 2,
      profitCurrency: "USD",
      calculationMode: null,
    });
  });

  it("refuses zero, negative and non-numeric sizes, bad digits, currencies and modes", () => {
    const cases: [Record<string, string>, string][] = [
      [{ contractSize: "0" }, "contractSize"],
      [{ point: "-0.01" }, "point"],
      [{ tickValue: "abc" }, "tickValue"],
      [{ digits: "11" }, "digits"],
      [{ digits: "2.5" }, "digits"],
      [{ profitCurrency: "dollars" }, "profitCurrency"],
      [{ calculationMode: "magic" }, "calculationMode"],
    ];
    for (const [change, field] of cases) {
      const result = instrumentOverrideSchema.safeParse({ symbol: "EURUSD", contractSize: "100000", ...change });
      expect(result.success, JSON.stringify(change)).toBe(false);
      expect(
        result.error?.issues.map((issue) => issue.path[0]),
        JSON.stringify(change),
      ).toContain(field);
    }
  });

  it("needs a symbol and at least one value", () => {
    expect(instrumentOverrideSchema.safeParse({ symbol: "", contractSize: "1" }).error?.issues[0]?.path).toEqual(["symbol"]);
    const empty = instrumentOverrideSchema.safeParse({ symbol: "EURUSD" });
    expect(empty.success).toBe(false);
    expect(empty.error?.issues[0]?.message).toMatch(/at least one value/);
  });
});

describe("removeInstrumentOverrideSchema", () => {
  it("needs the symbol", () => {
    expect(removeInstrumentOverrideSchema.safeParse({ symbol: "EURUSD" }).success).toBe(true);
    expect(removeInstrumentOverrideSchema.safeParse({ symbol: "" }).success).toBe(false);
  });
});
