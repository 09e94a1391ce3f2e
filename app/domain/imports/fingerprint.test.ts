import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { cashFingerprint, cashFingerprintCanonical, tradeFingerprint, tradeFingerprintCanonical } from "./fingerprint.ts";

describe("tradeFingerprint", () => {
  const trade = {
    symbol: "xauusd",
    direction: "sell" as const,
    openedAt: new Date("2025-05-02T06:00:00.750Z"),
    volume: "0.50",
    entryPrice: "3250.50",
  };

  it("hashes the documented canonical string", () => {
    expect(tradeFingerprintCanonical(trade)).toBe("trade|XAUUSD|sell|2025-05-02T06:00:00Z|0.5|3250.5");
    // Same value as `printf '%s' 'trade|XAUUSD|sell|2025-05-02T06:00:00Z|0.5|3250.5' | sha256sum`.
    expect(tradeFingerprint(trade)).toBe("fp:ecc77c1980d42904bcf065f656af718c5b9172608399f16d5af62b2348540f6a");
  });

  it("changes with any identifying field and fits position_id (≤ 100 chars)", () => {
    const base = tradeFingerprint(trade);
    expect(tradeFingerprint({ ...trade, direction: "buy" })).not.toBe(base);
    expect(tradeFingerprint({ ...trade, openedAt: new Date("2025-05-02T06:00:01Z") })).not.toBe(base);
    expect(tradeFingerprint({ ...trade, volume: "0.51" })).not.toBe(base);
    expect(base.length).toBeLessThanOrEqual(100);
  });
});

describe("cashFingerprint", () => {
  it("hashes kind, time, amount and comment", () => {
    const movement = { kind: "deposit", occurredAt: new Date("2025-04-23T07:00:00Z"), amount: "500.00", comment: "Deposit" };
    const canonical = "cash|deposit|2025-04-23T07:00:00Z|500|Deposit";
    expect(cashFingerprintCanonical(movement)).toBe(canonical);
    expect(cashFingerprint(movement)).toBe("fp:" + createHash("sha256").update(canonical).digest("hex"));
  });
});
