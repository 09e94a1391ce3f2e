import { describe, expect, it } from "vitest";
import { signInSchema } from "~/schemas/auth.ts";
import { parseForm } from "./forms.ts";

describe("parseForm", () => {
  it("returns the parsed data for a valid form", () => {
    const form = new FormData();
    form.set("email", "A@B.co");
    form.set("password", "secret");
    expect(parseForm(form, signInSchema)).toEqual({ success: true, data: { email: "a@b.co", password: "secret" } });
  });

  it("returns field errors and refill values that never include a password or the honeypot", () => {
    const form = new FormData();
    form.set("email", "bad");
    form.set("password", "");
    form.set("website", "spam");
    form.set("intent", "sign-in");
    const parsed = parseForm(form, signInSchema);
    expect(parsed).toEqual({
      success: false,
      result: {
        status: "error",
        fieldErrors: { email: ["Enter a valid email address, like name@example.com."], password: ["Enter your password."] },
        values: { email: "bad", intent: "sign-in" },
      },
    });
  });
});
