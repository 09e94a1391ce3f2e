// What every authentication form action checks before talking to the Auth
// server: the honeypot, and how often this client address has tried lately.
import { AppError } from "./app-error.ts";
import { env } from "./env.server.ts";
import { isHoneypotFilled } from "./honeypot.ts";
import { clientAddress, createRateLimiter } from "./rate-limit.ts";

const limiter = createRateLimiter({ limit: env.AUTH_RATE_LIMIT_PER_MINUTE, windowMs: 60_000 });

export type AuthFormName = "sign-in" | "sign-up" | "forgot-password" | "reset-password" | "resend" | "change-password";

export function guardAuthForm(request: Request, formData: FormData, form: AuthFormName): void {
  if (isHoneypotFilled(formData)) {
    throw new AppError("bad_request", "We couldn't process that form. Please try again.");
  }
  if (!limiter.hit(`${form}:${clientAddress(request)}`)) {
    throw new AppError("rate_limited", "Too many attempts from your network. Wait a minute, then try again.");
  }
}

/** Absolute URL of the page an emailed link lands on (must be on the Auth server's allow list). */
export function authCallbackUrl(next: string): string {
  const url = new URL("/auth/callback", env.SITE_URL);
  url.searchParams.set("next", next);
  return url.toString();
}
