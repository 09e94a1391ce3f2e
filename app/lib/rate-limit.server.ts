// The rate limits as requests meet them: every action, uploads, exports and
// webhooks, counted in PostgreSQL through the app's pool (one statement per
// request, ./rate-limit-store.server.ts). Ended windows are pruned at most
// once a minute per process, off the request's path.
import { clientAddress } from "./client-address.server.ts";
import { processLogger } from "./logger.server.ts";
import { pool } from "./pool.server.ts";
import { refusedFor, RateLimitedError, retryAfterHeaders, type CounterState, type LimitCheck } from "./rate-limit.ts";
import { rateLimitedPage } from "./rate-limited-page.ts";
import { pruneLimits, takeLimits as takeLimitsIn } from "./rate-limit-store.server.ts";

const PRUNE_EVERY_MS = 60_000;
let lastPruneAt = 0;

/** Counts and reads the given counters in one statement on the app's pool. */
export async function takeLimits(checks: LimitCheck[]): Promise<CounterState[]> {
  const states = await takeLimitsIn(pool, checks);
  if (Date.now() - lastPruneAt > PRUNE_EVERY_MS) {
    lastPruneAt = Date.now();
    pruneLimits(pool).catch((error: unknown) => processLogger().error({ err: error }, "rate limits: prune failed"));
  }
  return states;
}

/** Counts the request against every check and throws a RateLimitedError when any is over. */
export async function enforceLimits(checks: LimitCheck[], message: string, values?: Record<string, string>): Promise<CounterState[]> {
  const states = await takeLimits(checks);
  const wait = refusedFor(checks, states, new Date());
  if (wait !== null) throw new RateLimitedError(message, wait, values);
  return states;
}

export type LimitedKind = "upload" | "export" | "webhook";

const MESSAGES: Record<LimitedKind, string> = {
  upload: "You have uploaded many files in a short time.",
  export: "You have exported many times in a short time.",
  webhook: "Too many deliveries from this address.",
};

/**
 * The limit on one kind of request, by address and (when signed in) by user:
 *   await limitRequest(request, "export", user.userId);
 * Webhooks pass no user (the sender is a service, known by its address).
 */
export async function limitRequest(request: Request, kind: LimitedKind, userId?: string): Promise<void> {
  const checks: LimitCheck[] = [{ rule: `${kind}-address`, key: clientAddress(request), count: true }];
  if (userId) checks.push({ rule: `${kind}-user`, key: userId, count: true });
  await enforceLimits(checks, MESSAGES[kind]);
}

/** Every action: by address, and by user when the request carries a session. */
export async function limitAction(request: Request, userId: string | null): Promise<void> {
  const checks: LimitCheck[] = [{ rule: "action-address", key: clientAddress(request), count: true }];
  if (userId) checks.push({ rule: "action-user", key: userId, count: true });
  await enforceLimits(checks, "You have sent a lot of requests in a short time.");
}

/**
 * The limit every action passes before it runs (route-handler.server.ts): by
 * address, and by user when the request carries a session (the session read
 * is the one the action's requireUser reuses). Over it, the friendly 429 page.
 */
export async function refuseActionOverLimit(request: Request, userId: () => Promise<string | null>): Promise<void> {
  try {
    await limitAction(request, await userId());
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    throw new Response(error.message, { status: 429, headers: retryAfterHeaders(error) });
  }
}

/**
 * The export limit for a file download (a resource route, which renders no
 * error boundary): over it, the standalone friendly 429 page.
 */
export async function limitDownload(request: Request, userId: string, back: { href: string; label: string }): Promise<void> {
  try {
    await limitRequest(request, "export", userId);
  } catch (error) {
    if (error instanceof RateLimitedError) throw rateLimitedPage(MESSAGES.export, error.retryAfterSeconds, back);
    throw error;
  }
}
