// What every authentication form action checks before talking to the Auth
// server: the honeypot, and the rate limits (public.rate_limit_rules), counted
// in PostgreSQL so every app process shares them. Sign-in is limited per
// address, per (account, address) and per account with backoff, so that
// guessing one account's password from anywhere does not lock its owner out.
import { AppError } from "./app-error.ts";
import { clientAddress } from "./client-address.server.ts";
import { env } from "./env.server.ts";
import { isHoneypotFilled } from "./honeypot.ts";
import { backoffSeconds, refusedFor, RateLimitedError, type LimitCheck } from "./rate-limit.ts";
import { enforceLimits, takeLimits } from "./rate-limit.server.ts";

export type AuthFormName = "sign-up" | "forgot-password" | "reset-password" | "resend" | "change-password";

function refuseHoneypot(formData: FormData): void {
  if (isHoneypotFilled(formData)) {
    throw new AppError("bad_request", "We couldn't process that form. Please try again.");
  }
}

function accountKey(email: string): string {
  return email.trim().toLowerCase();
}

/** Honeypot and limits for the forms other than sign-in; `email` is the account a mail would go to. */
export async function guardAuthForm(request: Request, formData: FormData, form: AuthFormName, email?: string): Promise<void> {
  refuseHoneypot(formData);
  const address = clientAddress(request);
  const checks: LimitCheck[] =
    form === "sign-up"
      ? [{ rule: "sign-up-address", key: address, count: true }]
      : form === "forgot-password" || form === "resend"
        ? [{ rule: "email-address", key: address, count: true }, ...(email ? [{ rule: "email-account", key: accountKey(email), count: true }] : [])]
        : [{ rule: "password-change-address", key: address, count: true }];
  await enforceLimits(checks, "Too many attempts from your network.", email ? { email } : undefined);
}

export interface SignInAttempt {
  /** Records a wrong password against this account and this address. */
  failed(): Promise<void>;
}

/** Honeypot and sign-in limits; call failed() when the Auth server rejects the password. */
export async function guardSignIn(request: Request, formData: FormData, email: string): Promise<SignInAttempt> {
  refuseHoneypot(formData);
  const address = clientAddress(request);
  const account = accountKey(email);
  const pair = `${account} ${address}`;
  const checks: LimitCheck[] = [
    { rule: "sign-in-address", key: address, count: true },
    { rule: "sign-in-pair-failures", key: pair, count: false },
    { rule: "sign-in-account-failures", key: account, count: false },
  ];
  const states = await takeLimits(checks);
  const now = new Date();
  const accountFailures = states.find((s) => s.rule === "sign-in-account-failures");
  const pairFailures = states.find((s) => s.rule === "sign-in-pair-failures");
  const wait = Math.max(
    refusedFor(checks, states, now) ?? 0,
    (accountFailures && backoffSeconds(accountFailures, pairFailures?.lastHitAt ?? null, now)) ?? 0,
  );
  if (wait > 0) throw new RateLimitedError("Too many sign-in attempts.", wait, { email });
  return {
    async failed() {
      await takeLimits([
        { rule: "sign-in-pair-failures", key: pair, count: true },
        { rule: "sign-in-account-failures", key: account, count: true },
      ]);
    },
  };
}

/** Absolute URL of the page an emailed link lands on (must be on the Auth server's allow list). */
export function authCallbackUrl(next: string): string {
  const url = new URL("/auth/callback", env.SITE_URL);
  url.searchParams.set("next", next);
  return url.toString();
}
