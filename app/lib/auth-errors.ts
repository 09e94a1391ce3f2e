// GoTrue's error codes in plain language. The code, not the English message,
// is what GoTrue promises to keep stable, so the mapping keys on it.
import { AppError, type AppErrorCode } from "./app-error.ts";

export const EMAIL_NOT_CONFIRMED_HINT = "email_not_confirmed";

interface Explained {
  code: AppErrorCode;
  message: string;
  hint?: string;
}

const EXPLAINED: Record<string, Explained> = {
  invalid_credentials: { code: "unauthorized", message: "That email and password don't match." },
  email_not_confirmed: {
    code: "forbidden",
    message: "Confirm your email first.",
    hint: EMAIL_NOT_CONFIRMED_HINT,
  },
  user_already_exists: { code: "conflict", message: "An account with that email already exists. Sign in instead." },
  email_exists: { code: "conflict", message: "An account with that email already exists. Sign in instead." },
  weak_password: { code: "bad_request", message: "That password is too weak. Use at least 8 characters." },
  same_password: { code: "bad_request", message: "Your new password must be different from the current one." },
  email_address_invalid: { code: "bad_request", message: "Enter a valid email address, like name@example.com." },
  validation_failed: { code: "bad_request", message: "Check the details you entered and try again." },
  over_email_send_rate_limit: {
    code: "rate_limited",
    message: "We've sent several emails to this address already. Wait a few minutes, then try again.",
  },
  over_request_rate_limit: { code: "rate_limited", message: "Too many attempts. Wait a minute, then try again." },
  signup_disabled: { code: "forbidden", message: "New sign-ups are closed at the moment." },
  email_provider_disabled: { code: "forbidden", message: "Signing in with email is switched off at the moment." },
  user_banned: { code: "forbidden", message: "This account has been suspended." },
  user_not_found: { code: "not_found", message: "We couldn't find that account." },
  otp_expired: { code: "bad_request", message: "That link has expired or was already used. Ask for a new one." },
  flow_state_expired: { code: "bad_request", message: "That link has expired. Ask for a new one." },
  flow_state_not_found: {
    code: "bad_request",
    message: "That link was already used, or opened in a different browser. Ask for a new one.",
  },
  bad_code_verifier: {
    code: "bad_request",
    message: "Open the link in the same browser you asked for it from, or ask for a new one.",
  },
  session_not_found: { code: "unauthorized", message: "Your session has ended. Sign in again." },
  session_expired: { code: "unauthorized", message: "Your session has ended. Sign in again." },
  refresh_token_not_found: { code: "unauthorized", message: "Your session has ended. Sign in again." },
  refresh_token_already_used: { code: "unauthorized", message: "Your session has ended. Sign in again." },
  reauthentication_needed: { code: "forbidden", message: "Sign in again before changing your password." },
};

const UNREACHABLE: Explained = {
  code: "unavailable",
  message: "We couldn't reach the sign-in service. Try again in a moment.",
};
const UNKNOWN: Explained = { code: "internal", message: "Something went wrong on our side. Please try again." };

/** What auth-js reports: AuthApiError has `code` and `status`; network failures have status 0 or a 5xx. */
export interface AuthErrorLike {
  code?: string;
  status?: number;
  name?: string;
  message?: string;
}

export function explainAuthError(error: AuthErrorLike): Explained {
  if (error.code && EXPLAINED[error.code]) return EXPLAINED[error.code]!;
  if (error.name === "AuthRetryableFetchError" || error.status === 0 || (error.status ?? 0) >= 500) return UNREACHABLE;
  if (error.status === 429) return EXPLAINED.over_request_rate_limit!;
  return UNKNOWN;
}

export function authAppError(error: AuthErrorLike, values?: Record<string, string>): AppError {
  const { code, message, hint } = explainAuthError(error);
  return new AppError(code, message, { cause: error, hint, values });
}
