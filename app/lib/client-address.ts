// Who is on the other end of a request, for rate limits. X-Forwarded-For is
// written by whoever sends the request: only the hops our own proxies appended
// (the rightmost `trustedHops` entries) can be believed, so with no trusted
// proxy the socket's peer is the client and the header is ignored.

/** The client's address: the socket peer, or the entry the nearest untrusted hop wrote. */
export function clientAddressFrom({
  socketAddress,
  forwardedFor,
  trustedHops,
}: {
  socketAddress: string | undefined;
  forwardedFor: string | null;
  trustedHops: number;
}): string {
  // Each proxy appends the peer it saw, so the chain reads client, proxy 1, …,
  // and the socket's peer is the last proxy.
  const chain = [...(trustedHops > 0 && forwardedFor ? forwardedFor.split(",") : []), socketAddress ?? ""].map((hop) => hop.trim()).filter(Boolean);
  if (chain.length === 0) return "unknown";
  // Fewer entries than trusted hops: the leftmost is as far back as anyone vouches for.
  const client = chain[Math.max(0, chain.length - 1 - trustedHops)]!;
  return normalizeAddress(client);
}

/**
 * One bucket per client: IPv4-mapped IPv6 as plain IPv4, and an IPv6 address
 * as its /64, since a single subscriber is usually handed a whole /64.
 */
export function normalizeAddress(address: string): string {
  const bare = address.replace(/^\[|\](:\d+)?$/g, "").toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (mapped) return mapped[1]!;
  if (!bare.includes(":")) return bare.replace(/:\d+$/, "");
  return `${ipv6Prefix64(bare)}::/64`;
}

function ipv6Prefix64(address: string): string {
  const [head = "", tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const missing = address.includes("::") ? 8 - left.length - right.length : 0;
  const groups = [...left, ...Array<string>(Math.max(0, missing)).fill("0"), ...right];
  return groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+/, "") || "0")
    .join(":");
}
