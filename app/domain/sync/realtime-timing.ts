// When the browser's Realtime connection renews its access token and how long
// it waits before reconnecting. Pure: the caller passes the time.
//
// The token comes from the app (/realtime/token), which refreshes the cookie
// session only when the access token has less than 90 s left (supabase-js's
// margin). So a token is renewed at most a minute before it expires, and
// earlier for short-lived tokens: a quarter of its lifetime before the end.

const RENEW_BEFORE_MS = 60_000;
const MIN_DELAY_MS = 1_000;

/** Milliseconds from `now` until a token received at `receivedAt` and expiring at `expiresAt` should be renewed. */
export function tokenRenewDelay({ receivedAt, expiresAt, now }: { receivedAt: number; expiresAt: number; now: number }): number {
  const lifetime = Math.max(0, expiresAt - receivedAt);
  const renewAt = expiresAt - Math.min(RENEW_BEFORE_MS, lifetime / 4);
  return Math.max(MIN_DELAY_MS, renewAt - now);
}

/** Whether a cached token is still good to hand to the socket (not yet due for renewal). */
export function tokenIsFresh({ receivedAt, expiresAt, now }: { receivedAt: number; expiresAt: number; now: number }): boolean {
  const lifetime = Math.max(0, expiresAt - receivedAt);
  return expiresAt - now > Math.min(RENEW_BEFORE_MS, lifetime / 4);
}

const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 30_000;

/**
 * Wait before reconnect attempt `tries` (1, 2, …): 1 s doubling to a 30 s cap,
 * spread ±20 % by `random` (0 ≤ random < 1) so a server restart is not met by
 * every tab at the same instant.
 */
export function reconnectDelay(tries: number, random: number): number {
  const step = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, tries - 1));
  return Math.round(step * (0.8 + 0.4 * random));
}
