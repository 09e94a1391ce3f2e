// `npm run jobs`: the sync engine (docs/decisions/009, 011). Reads the
// environment (jobs/config.ts), starts the runtime and stops it cleanly on
// SIGINT/SIGTERM so terminals shut down and pg-boss releases its jobs.
import { parseEncryptionKeys } from "~/lib/credential-crypto.server.ts";
import { systemClock } from "./clock.ts";
import { bridgeEnvironment, parseJobsEnv } from "./config.ts";
import { startJobsRuntime } from "./runtime.ts";

function log(line: string): void {
  console.log(`[jobs] ${line}`);
}

async function main(): Promise<void> {
  const env = parseJobsEnv(process.env);
  const keyring = parseEncryptionKeys(env.ENCRYPTION_KEYS);
  const runtime = await startJobsRuntime({
    databaseUrl: env.DATABASE_URL,
    appDatabaseUrl: env.APP_DATABASE_URL,
    supabaseUrl: env.SUPABASE_URL,
    serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY,
    keyring,
    bridge: { python: env.MT5_PYTHON, env: { ...bridgeEnvironment(process.env), RAWJOURNAL_MT5_MODULE: env.RAWJOURNAL_MT5_MODULE }, defaultTimeoutMs: 60_000 },
    tradeWorkers: env.SYNC_TRADE_WORKERS,
    marketData:
      env.SYNC_MARKET_DATA_WORKERS > 0
        ? { server: env.MARKET_DATA_SERVER!, login: env.MARKET_DATA_LOGIN!, password: env.MARKET_DATA_PASSWORD!, serverTimeZone: env.MARKET_DATA_SERVER_TIME_ZONE ?? null }
        : null,
    clock: systemClock,
    log,
    loginTimeoutMs: env.MT5_LOGIN_TIMEOUT_MS,
    lifecycle: {
      maxUptimeMs: env.TERMINAL_RESTART_HOURS * 3600_000,
      maxConsecutiveTimeouts: 3,
      crashBackoffBaseMs: 5_000,
      crashBackoffMaxMs: 5 * 60_000,
    },
  });
  log(`running: ${env.SYNC_TRADE_WORKERS} trade terminal(s)${runtime.marketData ? " + 1 market data" : ""}, MT5 module ${env.RAWJOURNAL_MT5_MODULE}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log("stopping");
    await runtime.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  console.error(`[jobs] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
