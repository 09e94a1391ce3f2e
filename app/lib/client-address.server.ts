// The client address of a request as the rate limits see it: the socket's
// peer, which the server entry (scripts/serve.ts) writes on every request
// (socket-address-header.ts), or a trusted proxy's X-Forwarded-For entry.
import { clientAddressFrom } from "./client-address.ts";
import { env } from "./env.server.ts";
import { socketAddressOf } from "./socket-address-header.ts";

/** The client's address ("unknown" when served without the app's server entry). */
export function clientAddress(request: Request): string {
  return clientAddressFrom({
    socketAddress: socketAddressOf(request.headers),
    forwardedFor: request.headers.get("x-forwarded-for"),
    trustedHops: env.TRUSTED_PROXY_HOPS,
  });
}
