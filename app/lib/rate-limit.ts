// Rate limits shared by every app process: fixed windows counted in
// PostgreSQL (rate-limit.server.ts runs the one statement; the rules are the
// table public.rate_limit_rules). This module decides, from the counters that
// statement returns, whether a request is refused and for how long.
import { AppError } from "./app-error.ts";

/** One counter to consult: `count` adds this request to it, otherwise it is only read. */
export interface LimitCheck {
  rule: string;
  key: string;
  count: boolean;
}

/** A counter as the database returns it, after this request's hit when counted. */
export interface CounterState {
  rule: string;
  key: string;
  hits: number;
  maxHits: number;
  windowEndsAt: Date;
  lastHitAt: Date | null;
  backoffMaxSeconds: number | null;
}

/** Refused: a 429 with Retry-After (a form error for actions, the error page for loaders). */
export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number, values?: Record<string, string>) {
    super("rate_limited", `${message} ${waitPhrase(retryAfterSeconds)}`, { values });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The Retry-After header for a refused request, or none. */
export function retryAfterHeaders(error: unknown): Record<string, string> {
  return error instanceof RateLimitedError ? { "Retry-After": String(error.retryAfterSeconds) } : {};
}

export function waitPhrase(seconds: number): string {
  if (seconds <= 60) return `Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
  const minutes = Math.ceil(seconds / 60);
  return `Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

/**
 * Seconds until every limit the checks touch lets a request through again, or
 * null when this one may proceed. A counted check is over when this hit went
 * past the limit; a read-only one when the next hit would.
 */
export function refusedFor(checks: LimitCheck[], states: CounterState[], now: Date): number | null {
  let wait = 0;
  for (const check of checks) {
    const state = states.find((s) => s.rule === check.rule && s.key === check.key);
    if (!state) throw new Error(`rate limit rule "${check.rule}" is not configured (public.rate_limit_rules)`);
    if (state.backoffMaxSeconds !== null) continue; // consulted through backoffSeconds
    const over = check.count ? state.hits > state.maxHits : state.hits >= state.maxHits;
    if (over) wait = Math.max(wait, secondsUntil(state.windowEndsAt, now));
  }
  return wait > 0 ? wait : null;
}

/**
 * Backoff for one account under attack: past its rule's limit of failures
 * (from anywhere), each address must wait 2^(failures − limit) seconds after
 * its own last failure on this account, at most backoffMaxSeconds. An address
 * that has not failed on the account — the owner's, usually — waits nothing,
 * so guessing from many addresses slows down without locking the owner out.
 */
export function backoffSeconds(accountFailures: CounterState, pairLastFailureAt: Date | null, now: Date): number | null {
  const { hits, maxHits, backoffMaxSeconds } = accountFailures;
  if (backoffMaxSeconds === null || hits < maxHits || !pairLastFailureAt) return null;
  const delay = Math.min(backoffMaxSeconds, 2 ** (hits - maxHits));
  const wait = secondsUntil(new Date(pairLastFailureAt.getTime() + delay * 1000), now);
  return wait > 0 ? wait : null;
}

function secondsUntil(at: Date, now: Date): number {
  return Math.max(0, Math.ceil((at.getTime() - now.getTime()) / 1000));
}
