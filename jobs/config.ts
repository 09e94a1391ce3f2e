// The jobs process's environment, validated at start with a message naming
// every missing or malformed variable (the app does the same in env-schema.ts).
import { z } from "zod";
import { s3EnvSchema, s3TargetFromEnvironment } from "./backup/s3-target.ts";
import { smtpEnvSchema } from "./mail/smtp-settings.ts";

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL");
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const jobsEnvSchema = z.object({
  DATABASE_URL: postgresUrl,
  APP_DATABASE_URL: postgresUrl,
  SUPABASE_URL: z.url("must be a URL"),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(20, "must be the service_role API key"),
  /** X25519 private keys that open investor passwords, first current (docs/decisions/021); only this process holds them. */
  CREDENTIALS_PRIVATE_KEYS: z.string().min(1, "must hold keyId:base64key entries (docs/decisions/021; `npm run credentials:keygen`)"),
  /** ADR 010's symmetric keys: only while rows of that format remain (the jobs re-seal them at start). */
  ENCRYPTION_KEYS: z.string().optional(),
  /** The Python that runs mt5/bridge: python3 here, a Windows Python under Wine in production. */
  MT5_PYTHON: z.string().min(1).default("python3"),
  /** MetaTrader5 (the official package) or simulator. */
  RAWJOURNAL_MT5_MODULE: z.enum(["MetaTrader5", "simulator"]).default("MetaTrader5"),
  SYNC_TRADE_WORKERS: positiveInt(3),
  /** 1 runs the market data terminal (needs MARKET_DATA_*), 0 runs without candles. */
  SYNC_MARKET_DATA_WORKERS: z.coerce.number().int().min(0).max(1).default(1),
  MARKET_DATA_SERVER: z.string().optional(),
  MARKET_DATA_LOGIN: z.string().regex(/^\d+$/, "must be an MT5 account number").optional(),
  MARKET_DATA_PASSWORD: z.string().optional(),
  /** The market data broker's clock ('NY+7' or an IANA zone); measured at login when unset. */
  MARKET_DATA_SERVER_TIME_ZONE: z.string().optional(),
  TERMINAL_RESTART_HOURS: z.coerce.number().positive().default(5),
  MT5_LOGIN_TIMEOUT_MS: positiveInt(30_000),
  /** Nightly backups (docs/operations/backups.md): 0 turns them off. */
  BACKUPS_ENABLED: z.enum(["0", "1"]).default("1"),
  BACKUP_DIR: z.string().min(1).default(".data/backups"),
  /** The UTC hour the nightly copy is taken. */
  BACKUP_HOUR: z.coerce.number().int().min(0).max(23).default(3),
  /** pg_dump of PostgreSQL 15 or later; unset: `pg_dump` from PATH. */
  PG_DUMP_PATH: z.string().min(1).optional(),
  BACKUP_KEEP_DAILY: z.coerce.number().int().min(0).default(7),
  BACKUP_KEEP_WEEKLY: z.coerce.number().int().min(0).default(4),
  BACKUP_KEEP_MONTHLY: z.coerce.number().int().min(0).default(12),
  /** The optional S3-compatible copy of each backup (BACKUP_S3_*; jobs/backup/s3-target.ts). */
  ...s3EnvSchema.shape,
  /** Where the app's emails go (Supabase Auth's SMTP_* names); unset: they wait for the local mail catcher. */
  ...smtpEnvSchema.shape,
});

export type JobsEnv = z.infer<typeof jobsEnvSchema>;

export function parseJobsEnv(source: Record<string, string | undefined>): JobsEnv {
  const result = jobsEnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = String(issue.path[0]);
      return `  - ${key} ${source[key] === undefined || source[key] === "" ? "is not set" : issue.message}`;
    });
    throw new Error(`The jobs process cannot start: the environment is incomplete.\n${lines.join("\n")}\nSee .env.example.`);
  }
  const env = result.data;
  if (env.SYNC_MARKET_DATA_WORKERS > 0 && !(env.MARKET_DATA_SERVER && env.MARKET_DATA_LOGIN && env.MARKET_DATA_PASSWORD)) {
    throw new Error(
      "The jobs process cannot start: the market data terminal needs MARKET_DATA_SERVER, MARKET_DATA_LOGIN and MARKET_DATA_PASSWORD " +
        "(a demo account of your own), or set SYNC_MARKET_DATA_WORKERS=0 to run without candles.",
    );
  }
  try {
    s3TargetFromEnvironment(source);
  } catch (error) {
    throw new Error(`The jobs process cannot start: ${(error as Error).message}`);
  }
  return env;
}

/** What the bridge process gets: its module choice and the simulator's knobs, never a password. */
export function bridgeEnvironment(source: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    if (
      value !== undefined &&
      (key.startsWith("RAWJOURNAL_SIM_") ||
        key === "RAWJOURNAL_CLOCK_OFFSET_MS" ||
        key === "RAWJOURNAL_MT5_MODULE" ||
        key === "RAWJOURNAL_MT5_TERMINAL_PATH")
    )
      env[key] = value;
  }
  return env;
}
