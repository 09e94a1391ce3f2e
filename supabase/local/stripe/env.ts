// The Stripe lines of the local `.env`: a generated test key and webhook secret
// and the plans' price ids, appended on first start (like supabase/local/keys.ts
// does for the Supabase keys) so the app, the jobs and the stand-in agree.
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { parseEnvFile } from "../keys.ts";
import { DEFAULT_PRICE_IDS, type PriceIds } from "./prices.ts";

export const LOCAL_KEY_PREFIX = "sk_test_local_";

export function ensureLocalStripeEnv(envFile: string): void {
  const text = existsSync(envFile) ? readFileSync(envFile, "utf8") : "";
  const env = parseEnvFile(text);
  const defaults: Record<string, string> = {
    STRIPE_SECRET_KEY: `${LOCAL_KEY_PREFIX}${randomBytes(24).toString("hex")}`,
    STRIPE_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString("hex")}`,
    STRIPE_PRICE_PRO_MONTHLY: DEFAULT_PRICE_IDS.proMonthly,
    STRIPE_PRICE_PRO_YEARLY: DEFAULT_PRICE_IDS.proYearly,
    STRIPE_PRICE_ELITE_MONTHLY: DEFAULT_PRICE_IDS.eliteMonthly,
    STRIPE_PRICE_ELITE_YEARLY: DEFAULT_PRICE_IDS.eliteYearly,
  };
  const missing = Object.entries(defaults).filter(([name]) => !env[name]);
  const lines = missing.map(([name, value]) => `${name}=${value}`).join("\n");
  if (missing.length) appendFileSync(envFile, `${text && !text.endsWith("\n") ? "\n" : ""}${lines}\n`, { mode: 0o600 });
}

/** Local unless a real sk_test_/sk_live_ key is set: then the app talks to Stripe and nothing local starts. */
export function usesLocalStripe(env: Record<string, string | undefined>): boolean {
  return !env.STRIPE_SECRET_KEY || env.STRIPE_SECRET_KEY.startsWith(LOCAL_KEY_PREFIX);
}

export function priceIdsFrom(env: Record<string, string | undefined>): PriceIds {
  return {
    proMonthly: env.STRIPE_PRICE_PRO_MONTHLY ?? DEFAULT_PRICE_IDS.proMonthly,
    proYearly: env.STRIPE_PRICE_PRO_YEARLY ?? DEFAULT_PRICE_IDS.proYearly,
    eliteMonthly: env.STRIPE_PRICE_ELITE_MONTHLY ?? DEFAULT_PRICE_IDS.eliteMonthly,
    eliteYearly: env.STRIPE_PRICE_ELITE_YEARLY ?? DEFAULT_PRICE_IDS.eliteYearly,
  };
}
