// How the app's server entry (scripts/serve.ts) hands every request's socket
// peer to the app: it overwrites this header on every request, whatever the
// client sent, and marks the process as served by it. The app trusts the
// header only in a process so marked — under another server (remix-serve in
// development) a client could write it, so it is ignored there.
//
// A header rather than the load context: the context reaches loaders and
// actions, but not code that only has the Request (the rate limits of a
// resource route such as the Stripe webhook), and every route would have to
// remember to hand it over. A global symbol rather than a module variable:
// the server entry and the built app each load their own copy of this module.

export const SOCKET_ADDRESS_HEADER = "x-rawjournal-socket-address";

const SERVED_BY_ENTRY = Symbol.for("rawjournal.server-entry-writes-socket-address");

/** Called once by the server entry, before it serves anything. */
export function markServedByServerEntry(): void {
  (globalThis as Record<symbol, unknown>)[SERVED_BY_ENTRY] = true;
}

/** The socket peer the server entry wrote, or undefined when this process is not served by it. */
export function socketAddressOf(headers: Headers): string | undefined {
  if ((globalThis as Record<symbol, unknown>)[SERVED_BY_ENTRY] !== true) return undefined;
  return headers.get(SOCKET_ADDRESS_HEADER) || undefined;
}
