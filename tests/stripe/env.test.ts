import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stripeClientFor } from "../../app/lib/stripe-client.server.ts";
import { parseEnvFile } from "../../supabase/local/keys.ts";
import { ensureLocalStripeEnv, usesLocalStripe } from "../../supabase/local/stripe/env.ts";

const dir = await mkdtemp(path.join(os.tmpdir(), "rj-stripe-env-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the local .env's Stripe lines", () => {
  it("are added once, after the lines already there, and never replace a value that is set", async () => {
    const file = path.join(dir, ".env");
    await writeFile(file, "SUPABASE_JWT_SECRET=abc\nSTRIPE_PRICE_PRO_MONTHLY=price_mine");
    ensureLocalStripeEnv(file);
    const first = await readFile(file, "utf8");
    const env = parseEnvFile(first);
    expect(env).toMatchObject({
      SUPABASE_JWT_SECRET: "abc",
      STRIPE_PRICE_PRO_MONTHLY: "price_mine",
      STRIPE_PRICE_ELITE_YEARLY: "price_elite_yearly",
    });
    expect(env.STRIPE_SECRET_KEY).toMatch(/^sk_test_local_[0-9a-f]{48}$/);
    expect(env.STRIPE_WEBHOOK_SECRET).toMatch(/^whsec_[0-9a-f]{48}$/);
    ensureLocalStripeEnv(file);
    expect(await readFile(file, "utf8")).toBe(first);
  });

  it("start the stand-in for a local or missing key, never for a real one", () => {
    expect(usesLocalStripe({})).toBe(true);
    expect(usesLocalStripe({ STRIPE_SECRET_KEY: "sk_test_local_abc" })).toBe(true);
    expect(usesLocalStripe({ STRIPE_SECRET_KEY: "sk_test_51Habc" })).toBe(false);
    expect(usesLocalStripe({ STRIPE_SECRET_KEY: "sk_live_51Habc" })).toBe(false);
  });
});

describe("stripeClientFor", () => {
  it("refuses a missing key, and a local key without STRIPE_API_URL (it would only reach api.stripe.com)", () => {
    expect(() => stripeClientFor({ secretKey: undefined })).toThrow(/STRIPE_SECRET_KEY is not set/);
    expect(() => stripeClientFor({ secretKey: "sk_test_local_abc" })).toThrow(/STRIPE_API_URL is not set/);
    expect(stripeClientFor({ secretKey: "sk_test_51Habc" })).toBeDefined();
  });
});
