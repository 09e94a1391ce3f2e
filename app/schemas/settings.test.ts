import { describe, expect, it } from "vitest";
import { changePasswordSchema, deleteAccountSchema, profileSchema } from "./settings.ts";

describe("profileSchema", () => {
  it("accepts a name, an IANA zone and an hour, coercing the hour from the form's string", () => {
    expect(profileSchema.parse({ fullName: " Trader ", timeZone: "America/Argentina/Buenos_Aires", tradingDayStartHour: "0" })).toEqual({
      fullName: "Trader",
      timeZone: "America/Argentina/Buenos_Aires",
      tradingDayStartHour: 0,
      tradingDayTimeZone: "",
    });
  });

  it("takes the trading day's clock: empty for the user's own zone, or a named zone", () => {
    const base = { fullName: "A", timeZone: "Europe/London", tradingDayStartHour: "17" };
    expect(profileSchema.parse({ ...base, tradingDayTimeZone: "America/New_York" }).tradingDayTimeZone).toBe("America/New_York");
    expect(profileSchema.parse({ ...base, tradingDayTimeZone: "" }).tradingDayTimeZone).toBe("");
    expect(profileSchema.safeParse({ ...base, tradingDayTimeZone: "Mars/Olympus" }).success).toBe(false);
  });

  it("refuses zones the database would refuse and hours outside 0–23", () => {
    for (const timeZone of ["UTC+3", "Mars/Olympus", "", "Europe/../London"]) {
      expect(profileSchema.safeParse({ fullName: "A", timeZone, tradingDayStartHour: "17" }).success, timeZone).toBe(false);
    }
    for (const hour of ["24", "-1", "7.5", "noon"]) {
      expect(profileSchema.safeParse({ fullName: "A", timeZone: "UTC", tradingDayStartHour: hour }).success, hour).toBe(false);
    }
  });
});

describe("changePasswordSchema", () => {
  it("needs the current password and a confirmed new one", () => {
    expect(changePasswordSchema.safeParse({ currentPassword: "old", newPassword: "new-password", confirmPassword: "new-password" }).success).toBe(
      true,
    );
    const mismatch = changePasswordSchema.safeParse({ currentPassword: "old", newPassword: "new-password", confirmPassword: "nope" });
    expect(mismatch.success).toBe(false);
    expect(mismatch.error?.issues[0]?.path).toEqual(["confirmPassword"]);
  });
});

describe("deleteAccountSchema", () => {
  it("accepts only the typed phrase (case and surrounding spaces do not matter)", () => {
    expect(deleteAccountSchema.safeParse({ confirmation: " Delete My Account " }).success).toBe(true);
    expect(deleteAccountSchema.safeParse({ confirmation: "delete" }).success).toBe(false);
    expect(deleteAccountSchema.safeParse({}).success).toBe(false);
  });
});
