import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "~/lib/forms.ts";
import { toLocalDateTimeInput, tradeFormSchema, type TradeFormContext } from "./trade-form.ts";

const ACCOUNT = "7b0c3c1e-1111-4a4a-9b9b-000000000001";
const context: TradeFormContext = {
  accounts: [{ id: ACCOUNT, currency: "USD" }],
  timeZone: "Europe/London",
  now: new Date("2026-11-22T12:00:00Z"),
};
const closedEurusd = {
  accountId: ACCOUNT,
  symbol: "EURUSD.Z",
  side: "buy",
  openedAt: "2026-03-02T09:15",
  entryPrice: "1.08250",
  closedAt: "2026-03-02T11:40",
  exitPrice: "1.08420",
  lots: "0.50",
  stopLoss: "1.08100",
  takeProfit: "1.08550",
  commission: "-3.50",
  swap: "",
  fee: "",
  brokerProfit: "",
  conversionRate: "",
  contractSize: "",
  profitCurrency: "",
  comment: "  London open  ",
};

function errors(values: Record<string, string>, ctx: TradeFormContext = context) {
  const parsed = tradeFormSchema(ctx).safeParse(values);
  return parsed.success ? {} : fieldErrorsOf(parsed.error);
}

describe("tradeFormSchema", () => {
  it("turns a closed trade into typed values with UTC times", () => {
    const parsed = tradeFormSchema(context).safeParse(closedEurusd);
    expect(parsed.success).toBe(true);
    const values = parsed.data!;
    expect(values).toMatchObject({
      accountCurrency: "USD",
      symbol: "EURUSD",
      brokerSymbol: "EURUSD.Z",
      direction: "buy",
      entryPrice: "1.08250",
      exitPrice: "1.08420",
      lots: "0.50",
      stopLoss: "1.08100",
      commission: "-3.50",
      swap: "0",
      fee: "0",
      brokerProfit: null,
      comment: "London open",
    });
    expect(values.spec?.contractSize).toBe("100000");
    // London is on GMT in March before the switch: 09:15 local = 09:15 UTC; in July it's BST.
    expect(values.openedAt.toISOString()).toBe("2026-03-02T09:15:00.000Z");
    const summer = tradeFormSchema(context).safeParse({ ...closedEurusd, openedAt: "2026-07-01T09:15", closedAt: "2026-07-01T10:00" });
    expect(summer.data?.openedAt.toISOString()).toBe("2026-07-01T08:15:00.000Z");
  });

  it("accepts an open trade (no close time, no exit price)", () => {
    const parsed = tradeFormSchema(context).safeParse({ ...closedEurusd, closedAt: "", exitPrice: "" });
    expect(parsed.success).toBe(true);
    expect(parsed.data?.closedAt).toBeNull();
    expect(parsed.data?.exitPrice).toBeNull();
  });

  it("reports every problem on its own field", () => {
    expect(errors({ ...closedEurusd, accountId: "someone-elses", symbol: "", side: "" })).toMatchObject({
      accountId: ["Choose one of your accounts."],
      symbol: ["Enter the symbol, like EURUSD."],
      side: ["Choose buy or sell."],
    });
    expect(errors({ ...closedEurusd, exitPrice: "" }).exitPrice?.[0]).toMatch(/exit price too/);
    expect(errors({ ...closedEurusd, closedAt: "" }).closedAt?.[0]).toMatch(/close time too/);
    expect(errors({ ...closedEurusd, closedAt: "2026-03-02T09:00" }).closedAt).toEqual(["The close can't be before the open."]);
    expect(errors({ ...closedEurusd, openedAt: "2027-01-01T09:00", closedAt: "" }).openedAt?.[0]).toMatch(/future/);
    expect(errors({ ...closedEurusd, openedAt: "2026-02-30T09:00" }).openedAt?.[0]).toMatch(/date and time/);
    expect(errors({ ...closedEurusd, entryPrice: "abc" }).entryPrice?.[0]).toMatch(/positive number/);
    expect(errors({ ...closedEurusd, entryPrice: "-1" }).entryPrice?.[0]).toMatch(/positive number/);
    expect(errors({ ...closedEurusd, commission: "3,5x" }).commission?.[0]).toMatch(/number/);
  });

  it("keeps lots between 0.01 and 100 in steps of 0.01", () => {
    expect(errors({ ...closedEurusd, lots: "0.001" }).lots).toEqual(["Lots go from 0.01 to 100."]);
    expect(errors({ ...closedEurusd, lots: "100.01" }).lots).toEqual(["Lots go from 0.01 to 100."]);
    expect(errors({ ...closedEurusd, lots: "0.015" }).lots).toEqual(["Use steps of 0.01 lots."]);
    expect(errors({ ...closedEurusd, lots: "" }).lots).toEqual(["Enter the volume in lots."]);
    expect(errors({ ...closedEurusd, lots: "100" }).lots).toBeUndefined();
    expect(errors({ ...closedEurusd, lots: "0,01" }).lots).toBeUndefined();
  });

  it("holds the stop loss and take profit to the right side of the entry", () => {
    expect(errors({ ...closedEurusd, stopLoss: "1.08300" }).stopLoss).toEqual(["On a buy the stop loss goes below the entry price."]);
    expect(errors({ ...closedEurusd, takeProfit: "1.08000" }).takeProfit).toEqual(["On a buy the take profit goes above the entry price."]);
    expect(errors({ ...closedEurusd, side: "sell", stopLoss: "1.08100", takeProfit: "1.08000" }).stopLoss).toEqual([
      "On a sell the stop loss goes above the entry price.",
    ]);
    expect(errors({ ...closedEurusd, side: "sell", stopLoss: "1.08400", takeProfit: "1.08000" })).toEqual({});
    // Once the initial stop is stored, the field is the current stop and may trail past the entry.
    expect(errors({ ...closedEurusd, stopLoss: "1.08300" }, { ...context, lockedInitialStopLoss: "1.081" })).toEqual({});
  });

  it("asks for a conversion rate only when the trade does not imply one and no broker P&L is given", () => {
    const gbpjpy = { ...closedEurusd, symbol: "GBPJPY", entryPrice: "183.456", exitPrice: "183.240", stopLoss: "183.000", takeProfit: "" };
    expect(errors(gbpjpy).conversionRate?.[0]).toMatch(/JPY → USD rate/);
    expect(errors({ ...gbpjpy, conversionRate: "1/141.5" })).toEqual({});
    expect(errors({ ...gbpjpy, conversionRate: "zero" }).conversionRate?.[0]).toMatch(/positive number/);
    expect(errors({ ...gbpjpy, brokerProfit: "-543.43" })).toEqual({});
    expect(errors({ ...gbpjpy, exitPrice: "", closedAt: "" })).toEqual({});
    // USDCHF on a USD account implies 1 ÷ close.
    expect(errors({ ...gbpjpy, symbol: "USDCHF", entryPrice: "0.97898", exitPrice: "0.95758", stopLoss: "" })).toEqual({});
    const parsed = tradeFormSchema(context).safeParse({ ...gbpjpy, conversionRate: "1/141.5" });
    expect(parsed.data?.conversionRate).toBe("0.007067137809");
  });

  it("falls back to the latest market close when the rate is left blank", () => {
    const gbpjpy = { ...closedEurusd, symbol: "GBPJPY", entryPrice: "183.456", exitPrice: "183.240", stopLoss: "", takeProfit: "" };
    const parsed = tradeFormSchema({ ...context, quotes: { USDJPY: "150" } }).safeParse(gbpjpy);
    expect(parsed.success).toBe(true);
    expect(parsed.data?.conversionRate).toBe("0.006666666667");
    // A typed rate still wins over the quote.
    expect(tradeFormSchema({ ...context, quotes: { USDJPY: "150" } }).safeParse({ ...gbpjpy, conversionRate: "0.0065" }).data?.conversionRate).toBe(
      "0.0065",
    );
  });

  it("asks for the contract size and profit currency of an unknown symbol", () => {
    const apple = { ...closedEurusd, symbol: "AAPL.US", entryPrice: "180", exitPrice: "185", stopLoss: "", takeProfit: "" };
    expect(errors(apple)).toMatchObject({ contractSize: [expect.stringMatching(/AAPL's contract size/)], profitCurrency: [expect.any(String)] });
    const parsed = tradeFormSchema(context).safeParse({ ...apple, contractSize: "1", profitCurrency: "usd" });
    expect(parsed.success).toBe(true);
    expect(parsed.data?.spec).toMatchObject({ symbol: "AAPL", contractSize: "1", profitCurrency: "USD" });
  });

  it("uses the account's instrument overrides", () => {
    const parsed = tradeFormSchema({ ...context, overrides: { [ACCOUNT]: { US500: { contractSize: "10" } } } }).safeParse({
      ...closedEurusd,
      symbol: "US500.cash",
      entryPrice: "5000",
      exitPrice: "5010",
      stopLoss: "",
      takeProfit: "",
    });
    expect(parsed.data?.spec?.contractSize).toBe("10");
  });
});

describe("toLocalDateTimeInput", () => {
  it("writes a UTC instant as the user's wall clock", () => {
    expect(toLocalDateTimeInput("2026-07-01T08:15:00Z", "Europe/London")).toBe("2026-07-01T09:15");
    expect(toLocalDateTimeInput(new Date("2026-07-01T08:15:30Z"), "Asia/Tokyo")).toBe("2026-07-01T17:15:30");
    expect(toLocalDateTimeInput(null, "UTC")).toBe("");
  });
});
