import { describe, expect, it } from "vitest";
import { clientAddressFrom, normalizeAddress } from "./client-address.ts";

describe("clientAddressFrom", () => {
  it("with no trusted proxy, is the socket's peer whatever X-Forwarded-For claims", () => {
    for (const forwardedFor of [null, "203.0.113.9", "198.51.100.1, 203.0.113.9"]) {
      expect(clientAddressFrom({ socketAddress: "192.0.2.7", forwardedFor, trustedHops: 0 })).toBe("192.0.2.7");
    }
  });

  it("behind one proxy, is the entry that proxy appended, not what the client wrote before it", () => {
    // The client forged "1.1.1.1"; our proxy appended the address it saw.
    expect(clientAddressFrom({ socketAddress: "10.0.0.2", forwardedFor: "1.1.1.1, 203.0.113.9", trustedHops: 1 })).toBe("203.0.113.9");
    expect(clientAddressFrom({ socketAddress: "10.0.0.3", forwardedFor: "1.1.1.1, 203.0.113.9, 10.0.0.2", trustedHops: 2 })).toBe("203.0.113.9");
  });

  it("behind a proxy that added no header, falls back as far as anyone vouches", () => {
    expect(clientAddressFrom({ socketAddress: "10.0.0.2", forwardedFor: null, trustedHops: 1 })).toBe("10.0.0.2");
    expect(clientAddressFrom({ socketAddress: undefined, forwardedFor: null, trustedHops: 0 })).toBe("unknown");
  });
});

describe("normalizeAddress", () => {
  it("reads IPv4-mapped IPv6 as IPv4 and puts an IPv6 subscriber's whole /64 in one bucket", () => {
    expect(normalizeAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normalizeAddress("2001:db8:aa:bb:1:2:3:4")).toBe("2001:db8:aa:bb::/64");
    expect(normalizeAddress("2001:db8:aa:bb::9")).toBe("2001:db8:aa:bb::/64");
    expect(normalizeAddress("2001:DB8::1")).toBe("2001:db8:0:0::/64");
    expect(normalizeAddress("::1")).toBe("0:0:0:0::/64");
  });
});
