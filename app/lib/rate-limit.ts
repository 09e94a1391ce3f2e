// A fixed-window counter per key, in memory: enough to slow down password
// guessing and mail bombing from one address on one server process. The Auth
// server keeps its own limits behind it.
export interface RateLimiter {
  /** Counts one attempt; false when the key has used up its window. */
  hit(key: string): boolean;
}

export function createRateLimiter({
  limit,
  windowMs,
  now = () => Date.now(),
  maxKeys = 10_000,
}: {
  limit: number;
  windowMs: number;
  now?: () => number;
  maxKeys?: number;
}): RateLimiter {
  const windows = new Map<string, { startedAt: number; count: number }>();
  return {
    hit(key) {
      const at = now();
      let entry = windows.get(key);
      if (!entry || at - entry.startedAt >= windowMs) {
        // Bounded memory: forget the oldest key when full.
        if (!entry && windows.size >= maxKeys) windows.delete(windows.keys().next().value!);
        entry = { startedAt: at, count: 0 };
        windows.set(key, entry);
      }
      entry.count++;
      return entry.count <= limit;
    },
  };
}

/**
 * The client address as the reverse proxy in front of the app reports it (the
 * last X-Forwarded-For hop is the one our own proxy appended). Without a proxy
 * every client shares one bucket, which errs on the side of limiting.
 */
export function clientAddress(request: Request): string {
  const hops = request.headers
    .get("x-forwarded-for")
    ?.split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  return hops?.at(-1) ?? request.headers.get("x-real-ip") ?? "direct";
}
