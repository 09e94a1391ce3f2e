// Each request's id: the one a proxy in front (Caddy, nginx, a load balancer)
// already gave it, when it looks like an id, so one request can be followed
// through every log; otherwise a fresh one. The answer echoes it in
// X-Request-Id. A value that could be anything else (a line break, markup,
// kilobytes of text) is never taken: it goes into logs and a response header.
import { randomUUID } from "node:crypto";

const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:=+/-]{7,127}$/;

export function isSaneRequestId(value: string): boolean {
  return SANE_REQUEST_ID.test(value);
}

/** The incoming X-Request-Id when it is one sane value, else a new UUID. */
export function requestIdFrom(header: string | string[] | undefined, generate: () => string = randomUUID): string {
  return typeof header === "string" && isSaneRequestId(header) ? header : generate();
}
