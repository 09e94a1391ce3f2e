import { describe, expect, it } from "vitest";
import { parseForm } from "~/lib/forms.ts";
import { connectMt5Schema, reconnectMt5Schema } from "./mt5-connection.ts";

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.set(key, value);
  return data;
}

describe("connectMt5Schema", () => {
  it("accepts a typical connection and normalises the login, keeping the password exactly as typed", () => {
    const parsed = parseForm(
      form({ server: "  ICMarketsSC-Demo ", login: " 0051 234 567", investorPassword: " pa ss ", name: "", serverTimeZone: "" }),
      connectMt5Schema,
    );
    expect(parsed).toEqual({
      success: true,
      data: { server: "ICMarketsSC-Demo", login: "51234567", investorPassword: " pa ss ", name: "", serverTimeZone: "auto" },
    });
  });

  it("accepts NY+7 and IANA zones, and server names with spaces and dots", () => {
    for (const serverTimeZone of ["NY+7", "Europe/Athens", "UTC", "auto"]) {
      expect(
        parseForm(form({ server: "Pepperstone-Edge Live 02", login: "1", investorPassword: "x", serverTimeZone }), connectMt5Schema).success,
      ).toBe(true);
    }
    expect(parseForm(form({ server: "FXPro.com-Real05", login: "1", investorPassword: "x" }), connectMt5Schema).success).toBe(true);
  });

  it("says what is wrong with each field and never sends the password back", () => {
    const parsed = parseForm(
      form({ server: "", login: "12ab", investorPassword: "   ", name: "x".repeat(81), serverTimeZone: "Mars/Base" }),
      connectMt5Schema,
    );
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(parsed.result.fieldErrors).toEqual({
      server: ["Enter the server name, like ICMarketsSC-Demo."],
      login: ["The login is the account number: digits only."],
      investorPassword: ["Enter the investor (read-only) password."],
      name: ["Keep the name under 80 characters."],
      serverTimeZone: ["Choose the broker's server time zone from the list, or let us detect it."],
    });
    expect(parsed.result.values).not.toHaveProperty("investorPassword");
    expect(parsed.result.values).toMatchObject({ login: "12ab", serverTimeZone: "Mars/Base" });
  });

  it("refuses a login of zeros or beyond 18 digits, and odd server names", () => {
    const errorsOf = (values: Record<string, string>) => {
      const parsed = parseForm(form({ server: "S", login: "1", investorPassword: "p", ...values }), connectMt5Schema);
      return parsed.success ? {} : parsed.result.fieldErrors;
    };
    expect(errorsOf({ login: "000" })).toEqual({ login: ["That login number isn't valid."] });
    expect(errorsOf({ login: "1".repeat(19) })).toEqual({ login: ["That login number isn't valid."] });
    expect(errorsOf({ server: "-Broker" })).toHaveProperty("server");
    expect(errorsOf({ server: "Broker<script>" })).toHaveProperty("server");
  });
});

describe("reconnectMt5Schema", () => {
  it("needs only the password", () => {
    expect(parseForm(form({ investorPassword: "secret" }), reconnectMt5Schema)).toEqual({ success: true, data: { investorPassword: "secret" } });
    expect(parseForm(form({}), reconnectMt5Schema)).toMatchObject({
      success: false,
      result: { fieldErrors: { investorPassword: ["Enter the investor (read-only) password."] } },
    });
  });
});
