// GoTrue's limiter on POST /token (GOTRUE_RATE_LIMIT_TOKEN_REFRESH, default
// 150 requests per 5 minutes per address, in a bucket of 30), applied here to
// the password grant: without it anyone holding the public anon key could
// guess passwords against the stand-in as fast as bcrypt allows. GoTrue keys
// the bucket by GOTRUE_RATE_LIMIT_HEADER (the proxy's client-address header);
// the stand-in has no proxy in front, so it keys by the socket's peer.
import type { IncomingMessage } from "node:http";
import { tooManyRequests } from "./http.ts";

export interface TokenBucketOptions {
  /** Requests per 5 minutes (GoTrue's RATE_LIMIT_TOKEN_REFRESH). */
  perFiveMinutes: number;
  /** Requests allowed at once before the steady rate applies (GoTrue's burst of 30). */
  burst: number;
  now?: () => number;
}

export function createTokenBucketLimiter({ perFiveMinutes, burst, now = () => Date.now() }: TokenBucketOptions) {
  const perMs = perFiveMinutes / 300_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    /** Takes one token for `key`; false when its bucket is empty. */
    take(key: string): boolean {
      const at = now();
      const bucket = buckets.get(key) ?? { tokens: burst, at };
      bucket.tokens = Math.min(burst, bucket.tokens + (at - bucket.at) * perMs);
      bucket.at = at;
      buckets.set(key, bucket);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}

export type TokenBucketLimiter = ReturnType<typeof createTokenBucketLimiter>;

/** Refuses the request with GoTrue's 429 when its address has used up its bucket. */
export function limitByAddress(limiter: TokenBucketLimiter, req: IncomingMessage): void {
  const address = (req.socket.remoteAddress ?? "unknown").replace(/^::ffff:/, "");
  if (!limiter.take(address)) throw tooManyRequests("over_request_rate_limit", "Request rate limit reached");
}
