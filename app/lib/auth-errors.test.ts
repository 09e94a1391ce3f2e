import { describe, expect, it } from "vitest";
import { AppError } from "./app-error.ts";
import { authAppError, EMAIL_NOT_CONFIRMED_HINT, explainAuthError } from "./auth-errors.ts";

describe("explainAuthError", () => {
  it("turns GoTrue's error codes into plain language", () => {
    expect(explainAuthError({ code: "invalid_credentials", status: 400 }).message).toBe("That email and password don't match.");
    expect(explainAuthError({ code: "email_not_confirmed", status: 400 })).toEqual({
      code: "forbidden",
      message: "Confirm your email first.",
      hint: EMAIL_NOT_CONFIRMED_HINT,
    });
    expect(explainAuthError({ code: "over_email_send_rate_limit", status: 429 }).code).toBe("rate_limited");
    expect(explainAuthError({ code: "same_password", status: 422 }).message).toMatch(/different from the current one/);
    expect(explainAuthError({ code: "weak_password", status: 422 }).message).toMatch(/at least 8 characters/);
    expect(explainAuthError({ code: "user_already_exists", status: 422 }).message).toMatch(/already exists/);
    expect(explainAuthError({ code: "otp_expired", status: 403 }).message).toMatch(/expired/);
  });

  it("reports an unreachable Auth server as such, not as the user's mistake", () => {
    expect(explainAuthError({ name: "AuthRetryableFetchError", status: 0 }).code).toBe("unavailable");
    expect(explainAuthError({ status: 503 }).code).toBe("unavailable");
  });

  it("falls back to a generic message for unknown codes, never echoing GoTrue's English", () => {
    const explained = explainAuthError({ code: "something_new", status: 400, message: "Internal detail" });
    expect(explained.code).toBe("internal");
    expect(explained.message).not.toContain("Internal detail");
    expect(explainAuthError({ status: 429 }).code).toBe("rate_limited");
  });
});

describe("authAppError", () => {
  it("is the app's typed error, carrying the status, hint and refill values", () => {
    const error = authAppError({ code: "email_not_confirmed", status: 400 }, { email: "a@b.co" });
    expect(error).toBeInstanceOf(AppError);
    expect(error.status).toBe(403);
    expect(error.hint).toBe(EMAIL_NOT_CONFIRMED_HINT);
    expect(error.values).toEqual({ email: "a@b.co" });
    expect(authAppError({ code: "invalid_credentials" }).status).toBe(401);
  });
});
