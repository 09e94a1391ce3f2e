import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "~/lib/forms.ts";
import { forgotPasswordSchema, resetPasswordSchema, signInSchema, signOutSchema, signUpSchema } from "./auth.ts";

const errorsOf = (result: { success: boolean; error?: Parameters<typeof fieldErrorsOf>[0] }) =>
  result.success || !result.error ? {} : fieldErrorsOf(result.error);

describe("signUpSchema", () => {
  it("accepts a complete form, trimming the name and lower-casing the email", () => {
    const parsed = signUpSchema.parse({ fullName: "  Ada Lovelace ", email: " Ada@Example.COM ", password: "analytical", timeZone: "Europe/London" });
    expect(parsed).toEqual({ fullName: "Ada Lovelace", email: "ada@example.com", password: "analytical", timeZone: "Europe/London" });
  });

  it("explains every missing or wrong field in plain words", () => {
    expect(errorsOf(signUpSchema.safeParse({ fullName: " ", email: "nope", password: "short" }))).toEqual({
      fullName: ["Enter your name."],
      email: ["Enter a valid email address, like name@example.com."],
      password: ["Use at least 8 characters."],
    });
    expect(errorsOf(signUpSchema.safeParse({}))).toMatchObject({
      fullName: ["Enter your name."],
      email: ["Enter your email address."],
      password: ["Choose a password."],
    });
  });

  it("refuses passwords longer than GoTrue accepts (72) and names over 120 characters", () => {
    const errors = errorsOf(signUpSchema.safeParse({ fullName: "x".repeat(121), email: "a@b.co", password: "p".repeat(73) }));
    expect(errors.fullName).toEqual(["Keep your name under 120 characters."]);
    expect(errors.password).toEqual(["Use at most 72 characters."]);
  });

  it("drops an unusable browser time zone instead of failing the sign-up", () => {
    for (const timeZone of ["", "Not/AZone", "UTC+3", "../etc"]) {
      expect(signUpSchema.parse({ fullName: "A", email: "a@b.co", password: "12345678", timeZone }).timeZone).toBeUndefined();
    }
  });
});

describe("signInSchema", () => {
  it("needs an email and any non-empty password (old passwords may be short)", () => {
    expect(signInSchema.parse({ email: "a@b.co", password: "x" })).toEqual({ email: "a@b.co", password: "x" });
    expect(errorsOf(signInSchema.safeParse({ email: "", password: "" }))).toEqual({
      email: ["Enter your email address."],
      password: ["Enter your password."],
    });
  });

  it("keeps the redirect target as given; safeRedirect judges it later", () => {
    expect(signInSchema.parse({ email: "a@b.co", password: "x", redirectTo: "//evil" }).redirectTo).toBe("//evil");
  });
});

describe("resetPasswordSchema", () => {
  it("requires the two passwords to match", () => {
    expect(errorsOf(resetPasswordSchema.safeParse({ password: "new-password", confirmPassword: "other-one" }))).toEqual({
      confirmPassword: ["The two passwords don't match."],
    });
    expect(resetPasswordSchema.safeParse({ password: "new-password", confirmPassword: "new-password" }).success).toBe(true);
  });
});

describe("forgotPasswordSchema and signOutSchema", () => {
  it("validate their single field", () => {
    expect(forgotPasswordSchema.safeParse({ email: "someone@example.test" }).success).toBe(true);
    expect(forgotPasswordSchema.safeParse({ email: "someone" }).success).toBe(false);
    expect(signOutSchema.parse({})).toEqual({ scope: "local" });
    expect(signOutSchema.parse({ scope: "global" })).toEqual({ scope: "global" });
    expect(signOutSchema.safeParse({ scope: "others" }).success).toBe(false);
  });
});
