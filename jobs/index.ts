// `npm run jobs`: the sync engine (docs/decisions/009, 011). Reads the
// environment (jobs/config.ts), waits to be the only jobs process driving the
// sync (jobs/leader-lock.ts), starts the runtime and stops it cleanly on
// SIGINT/SIGTERM so terminals shut down and pg-boss releases its jobs.
import { processLogger } from "~/lib/logger.server.ts";
import { loadCredentialKeyring } from "./credentials/credential-keys.ts";
import { systemClock } from "./clock.ts";
import { bridgeEnvironment, parseJobsEnv } from "./config.ts";
import { s3TargetFromEnvironment } from "./backup/s3-target.ts";
import { smtpSettingsFrom } from "./mail/smtp-settings.ts";
import { acquireLeadership } from "./leader-lock.ts";
import { startJobsRuntime } from "./runtime.ts";

// JSON lines on stdout (LOG_LEVEL), as the web process writes them.
const logger = processLogger("jobs");

function log(line: string): void {
  logger.info(line);
}

async function main(): Promise<void> {
  const env = parseJobsEnv(process.env);
  const keyring = loadCredentialKeyring(env.CREDENTIALS_PRIVATE_KEYS, env.ENCRYPTION_KEYS);
  const standby = new AbortController();
  const leaveStandby = () => standby.abort();
  process.once("SIGINT", leaveStandby);
  process.once("SIGTERM", leaveStandby);
  const leadership = await acquireLeadership({ databaseUrl: env.DATABASE_URL, log, signal: standby.signal });
  process.off("SIGINT", leaveStandby);
  process.off("SIGTERM", leaveStandby);
  if (!leadership) {
    log("stopped while standing by");
    process.exit(0);
  }
  const runtime = await startJobsRuntime({
    databaseUrl: env.DATABASE_URL,
    appDatabaseUrl: env.APP_DATABASE_URL,
    supabaseUrl: env.SUPABASE_URL,
    serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY,
    keyring,
    bridge: {
      python: env.MT5_PYTHON,
      env: { ...bridgeEnvironment(process.env), RAWJOURNAL_MT5_MODULE: env.RAWJOURNAL_MT5_MODULE },
      defaultTimeoutMs: 60_000,
    },
    tradeWorkers: env.SYNC_TRADE_WORKERS,
    marketData:
      env.SYNC_MARKET_DATA_WORKERS > 0
        ? {
            server: env.MARKET_DATA_SERVER!,
            login: env.MARKET_DATA_LOGIN!,
            password: env.MARKET_DATA_PASSWORD!,
            serverTimeZone: env.MARKET_DATA_SERVER_TIME_ZONE ?? null,
          }
        : null,
    clock: systemClock,
    log,
    logger,
    backup:
      env.BACKUPS_ENABLED === "1"
        ? {
            dir: env.BACKUP_DIR,
            hourUtc: env.BACKUP_HOUR,
            pgDumpPath: env.PG_DUMP_PATH,
            retention: { daily: env.BACKUP_KEEP_DAILY, weekly: env.BACKUP_KEEP_WEEKLY, monthly: env.BACKUP_KEEP_MONTHLY },
            s3: s3TargetFromEnvironment(process.env),
          }
        : null,
    smtp: smtpSettingsFrom(env),
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
    await leadership.release();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  // Without the lock another process may take over at any moment: stop, and let the supervisor start us as a standby.
  void leadership.lost.then(async (reason) => {
    if (stopping) return;
    stopping = true;
    log(`lost the leader lock (${reason.message}); stopping`);
    await runtime.stop().catch(() => {});
    process.exit(1);
  });
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, "the jobs process stopped");
  process.exit(1);
});
