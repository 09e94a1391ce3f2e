// The client address of a request as the rate limits see it. The server entry
// (server/serve.ts) puts the socket's peer on the load context; the route
// handler hands it over here by Request, so code deep in an action needs only
// the request.
import { clientAddressFrom } from "./client-address.ts";
import { env } from "./env.server.ts";

const socketAddresses = new WeakMap<Request, string>();

/** Called by the route handler with each loader's and action's context. */
export function rememberSocketAddress(request: Request, context: unknown): void {
  const address = (context as { socketAddress?: unknown } | null | undefined)?.socketAddress;
  if (typeof address === "string" && address) socketAddresses.set(request, address);
}

/** The client's address ("unknown" when served without the app's server entry). */
export function clientAddress(request: Request): string {
  return clientAddressFrom({
    socketAddress: socketAddresses.get(request),
    forwardedFor: request.headers.get("x-forwarded-for"),
    trustedHops: env.TRUSTED_PROXY_HOPS,
  });
}
