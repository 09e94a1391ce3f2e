// What the server's environment must contain, and the message naming every
// missing or malformed variable (env.server.ts applies it at boot).
import { z } from "zod";

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL");
const stripePriceId = z
  .string()
  .regex(/^price_\w+$/, "must be a Stripe price id (price_…)")
  .optional();

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  SITE_URL: z.url("must be a URL"),
  SUPABASE_URL: z.url("must be a URL"),
  SUPABASE_ANON_KEY: z.string().min(20, "must be the anon API key"),
  SUPABASE_JWT_SECRET: z.string().min(32, "must be at least 32 characters"),
  /** The web's own login, which can become anon and authenticated only (docs/decisions/021). */
  APP_DATABASE_URL: postgresUrl,
  /**
   * Reverse proxies in front of the app that append the client's address to
   * X-Forwarded-For. 0: the socket's peer is the client and the header is
   * ignored (a client reaching the app directly could write anything there).
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  // Billing. Optional so the app boots without billing configured; stripeClient() names what is missing.
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^sk_(test|live)_\w+$/, "must be a Stripe secret key (sk_test_… or sk_live_…)")
    .optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_\w+$/, "must be a webhook signing secret (whsec_…)")
    .optional(),
  /** Set: the Stripe client talks to this base URL (the local stand-in). Unset: api.stripe.com. */
  STRIPE_API_URL: z.url("must be a URL").optional(),
  STRIPE_PRICE_PRO_MONTHLY: stripePriceId,
  STRIPE_PRICE_PRO_YEARLY: stripePriceId,
  STRIPE_PRICE_ELITE_MONTHLY: stripePriceId,
  STRIPE_PRICE_ELITE_YEARLY: stripePriceId,
  /** Days a past_due subscription keeps its plan before the account falls back to Free. */
  BILLING_GRACE_DAYS: z.coerce.number().int().min(0).max(60).default(7),
});

export type Env = z.infer<typeof envSchema>;

const HINTS: Partial<Record<keyof Env, string>> = {
  SITE_URL: "the app's public URL, e.g. http://localhost:3000",
  SUPABASE_URL: "the Supabase project URL, e.g. http://127.0.0.1:54321",
  SUPABASE_JWT_SECRET: "the project's JWT secret, used to verify access tokens locally",
  APP_DATABASE_URL: "the web's database login (rawjournal_web: anon and authenticated only, never an owner or service login)",
  STRIPE_SECRET_KEY: "`npm start` writes a local sk_test_local_… key; set a real test or live key to use Stripe",
  STRIPE_API_URL: "the local Stripe stand-in's base URL, e.g. http://127.0.0.1:12111; unset for api.stripe.com",
};

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const key = String(issue.path[0]) as keyof Env;
    const problem = source[key] === undefined || source[key] === "" ? "is not set" : issue.message;
    return `  - ${key} ${problem}${HINTS[key] ? ` (${HINTS[key]})` : ""}`;
  });
  throw new Error(
    `RawJournal cannot start: the environment is incomplete.\n${lines.join("\n")}\n` +
      "Set these variables (see .env.example), or run `npm start`, which provides them locally.",
  );
}
