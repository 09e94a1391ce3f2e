// The jobs process assembled: pg-boss, the scheduler (presence + cadence),
// the dispatcher over the trade terminals, connection checks, the market data
// terminal and the health reports. `npm run jobs` (jobs/index.ts) starts it
// with the environment's settings; integration tests start it with their own
// clock, database and simulator.
import pg from "pg";
import type { PgBoss } from "pg-boss";
import { createLogger, lineDestination, type Logger } from "~/lib/logger.server.ts";
import { timePoolQueries } from "~/lib/query-timing.server.ts";
import type { CredentialKeyring } from "./credentials/credential-keys.ts";
import type { Clock } from "./clock.ts";
import { ConnectionChecks } from "./connection-checks.ts";
import { startCredentialUpkeep, type CredentialUpkeep } from "./credentials/credential-upkeep.ts";
import { Dispatcher } from "./dispatcher.ts";
import { reportHealth, reportStopped } from "./health.ts";
import { MarketData, type MarketDataAccount } from "./market-data.ts";
import type { BridgeOptions } from "./mt5/bridge-client.ts";
import { PresenceListener } from "./presence-listener.ts";
import { startBoss, syncQueue } from "./queue.ts";
import { Scheduler } from "./scheduler.ts";
import { startStorageCleanup } from "./storage-cleanup.ts";
import { startBillingGrace } from "./billing-grace.ts";
import { startBackups } from "./backup/nightly.ts";
import type { S3Target } from "./backup/s3-target.ts";
import type { RetentionPolicy } from "~/domain/backups/retention.ts";
import { createSmtpTransport, startOutgoingEmail } from "./mail/send-outgoing-emails.ts";
import type { SmtpSettings } from "./mail/smtp-settings.ts";
import { startCandleWindows, type CandleWindowsRunner } from "./candles/start-candle-windows.ts";
import { startTradeExcursions, type TradeExcursionsRunner } from "./excursions/start-trade-excursions.ts";
import type { SyncJob } from "./sync/cadence.ts";
import type { SyncJobResult } from "./sync/run-sync-job.ts";
import type { LifecycleOptions } from "./sync/terminal-lifecycle.ts";
import { Terminal } from "./terminals/terminal.ts";

export interface JobsRuntimeOptions {
  /** Owner login: pg-boss creates and maintains its schema with it. */
  databaseUrl: string;
  /** The `authenticator` login; every data statement runs as service_role through withServiceRole. */
  appDatabaseUrl: string;
  supabaseUrl: string;
  serviceRoleKey: string;
  keyring: CredentialKeyring;
  bridge: Omit<BridgeOptions, "onLog">;
  tradeWorkers: number;
  /** The market data terminal's account; null runs without one. */
  marketData: MarketDataAccount | null;
  clock: Clock;
  log: (line: string) => void;
  /** JSON lines (job runs, slow statements); absent, they go through `log` (tests, benchmarks). */
  logger?: Logger;
  /** Nightly backups (jobs/definitions/backup.ts); absent: none. */
  backup?: { dir: string; hourUtc: number; pgDumpPath?: string; retention: RetentionPolicy; s3?: S3Target | null } | null;
  /** The SMTP server for the app's queued emails; null/absent: they stay queued (the local mail catcher shows them). */
  smtp?: SmtpSettings | null;
  graceMs?: number;
  accountsRefreshMs?: number;
  dispatchPollMs?: number;
  healthIntervalMs?: number;
  marketDataIntervalMs?: number;
  loginTimeoutMs?: number;
  /** Between two credential upkeep passes (a minute by default). */
  credentialUpkeepMs?: number;
  lifecycle?: LifecycleOptions;
  /** Worker grouping by broker server (on by default; the capacity benchmark turns it off). */
  grouping?: boolean;
  onJobDone?: (job: SyncJob, result: SyncJobResult, workerId: string) => void;
}

export interface JobsRuntime {
  scheduler: Scheduler;
  dispatcher: Dispatcher;
  terminals: Terminal[];
  marketData: MarketData | null;
  /** Candle windows pages ask for, fetched by the market data terminal; null without one. */
  candleWindows: CandleWindowsRunner | null;
  /** MAE/MFE of closed trades, on the market data terminal; null without one. */
  excursions: TradeExcursionsRunner | null;
  checks: ConnectionChecks;
  /** Re-sealing to the current key and wiping old ciphertexts (docs/decisions/021). */
  credentials: CredentialUpkeep;
  boss: PgBoss;
  pool: pg.Pool;
  /** Writes the health rows now (the loop does it every 10 s). */
  reportHealth(): Promise<void>;
  stop(): Promise<void>;
}

export async function startJobsRuntime(options: JobsRuntimeOptions): Promise<JobsRuntime> {
  const { clock, log } = options;
  const logger = options.logger ?? createLogger({ destination: lineDestination(log) });
  const pool = new pg.Pool({ connectionString: options.appDatabaseUrl, max: options.tradeWorkers + 6 });
  pool.on("error", (error) => log(`db: idle client error: ${error.message}`));
  timePoolQueries(pool, { logger, pool: "jobs" });
  // One listening connection each: connection checks, candle windows.
  const listenPool = new pg.Pool({ connectionString: options.appDatabaseUrl, max: 2 });
  listenPool.on("error", (error) => log(`db: listener error: ${error.message}`));
  const boss = await startBoss(options.databaseUrl, log, logger);
  // A refused job never runs: its account is free to be scheduled again (the scheduler is made below).
  const queue = syncQueue(boss, log, logger, (accountId) => scheduler.jobFinished(accountId));
  const loginTimeoutMs = options.loginTimeoutMs ?? 30_000;

  // Routine call lines ("positions ok in 0 ms") would be a dozen a second; logins, refusals and errors are kept.
  const routine = /^mt5-bridge: (?!login)\w+ ok in \d+ ms( \(\d+ rows\))?$/;
  const bridge = (id: string): BridgeOptions => ({
    ...options.bridge,
    onLog: (line) => {
      if (!routine.test(line)) log(`${id} ${line}`);
    },
  });
  const terminals = Array.from({ length: options.tradeWorkers }, (_, i) => `trade-${i + 1}`).map(
    (id) => new Terminal({ id, kind: "trade", bridge: bridge(id), clock, lifecycle: options.lifecycle, loginTimeoutMs, log }),
  );
  const marketTerminal = options.marketData
    ? new Terminal({
        id: "market-data-1",
        kind: "market_data",
        bridge: bridge("market-data-1"),
        clock,
        lifecycle: options.lifecycle,
        loginTimeoutMs,
        log,
      })
    : null;
  const allTerminals = marketTerminal ? [...terminals, marketTerminal] : terminals;

  const presence = new PresenceListener({
    supabaseUrl: options.supabaseUrl,
    serviceRoleKey: options.serviceRoleKey,
    onRoster: (userId, tabs) => void scheduler.onRoster(userId, tabs).catch((error: unknown) => log(`presence: ${String(error)}`)),
    log,
  });
  const scheduler = new Scheduler({
    pool,
    clock,
    // A job just queued: the dispatcher looks at once instead of at its next poll.
    queue: {
      enqueue: async (job) => {
        const id = await queue.enqueue(job);
        dispatcher?.poke();
        return id;
      },
    },
    accountsRefreshMs: options.accountsRefreshMs ?? 5_000,
    graceMs: options.graceMs,
    onWatchedUsers: (users) => presence.watch(users),
    log,
  });
  // The dispatcher is created below; a check arriving before then is picked up by its first pass.
  let dispatcher: Dispatcher | null = null;
  let excursions: TradeExcursionsRunner | null = null;
  const checks = new ConnectionChecks({ pool, keyring: options.keyring, clock, loginTimeoutMs, onArrival: () => dispatcher?.poke(), log });
  await checks.listen(listenPool);
  dispatcher = new Dispatcher({
    terminals,
    queue,
    scheduler,
    checks,
    context: { pool, keyring: options.keyring, clock, log },
    clock,
    pollMs: options.dispatchPollMs ?? 1_000,
    grouping: options.grouping,
    onJobDone: (job, result, workerId) => {
      // A first sync just finished: the account list may have new state (e.g. its zone).
      excursions?.afterSync(job, result);
      options.onJobDone?.(job, result, workerId);
    },
    log,
  });
  const marketData =
    marketTerminal && options.marketData
      ? new MarketData({
          pool,
          terminal: marketTerminal,
          account: options.marketData,
          clock,
          intervalMs: options.marketDataIntervalMs ?? 30_000,
          log,
        })
      : null;

  const startedAt = clock.now();
  const health = () => reportHealth(pool, boss, allTerminals, clock, startedAt);
  await scheduler.start();
  dispatcher.start();
  marketData?.start();
  const candleWindows = marketData ? await startCandleWindows(boss, { pool, listenPool, marketData, clock, log }) : null;
  await health().catch((error: unknown) => log(`health: ${String(error)}`));
  // Screenshot objects whose rows are gone (docs in jobs/storage-cleanup.ts).
  await startStorageCleanup(boss, { pool, supabaseUrl: options.supabaseUrl, serviceRoleKey: options.serviceRoleKey, log });
  // Past-due subscriptions whose grace has ended move to Free (docs in jobs/definitions/billing-grace.ts).
  await startBillingGrace(boss, { pool, log });
  // The nightly database and screenshots copy (docs/operations/backups.md).
  if (options.backup) {
    const { dir, hourUtc, pgDumpPath, retention, s3 } = options.backup;
    const { databaseUrl, supabaseUrl, serviceRoleKey } = options;
    await startBackups(boss, { databaseUrl, backupDir: dir, pgDumpPath, supabaseUrl, serviceRoleKey, retention, s3, log }, { hour: hourUtc });
  }
  // The app's queued emails over SMTP, when configured (docs in jobs/mail/send-outgoing-emails.ts).
  if (options.smtp) await startOutgoingEmail(boss, { pool, transport: createSmtpTransport(options.smtp), from: options.smtp.from, log });
  if (marketTerminal && options.marketData) {
    const exclusive = marketData ? marketData.exclusive.bind(marketData) : undefined;
    excursions = await startTradeExcursions(boss, { pool, terminal: marketTerminal, exclusive, account: options.marketData, clock, log });
  }
  const credentials = startCredentialUpkeep({
    pool,
    ownerUrl: options.databaseUrl,
    keyring: options.keyring,
    intervalMs: options.credentialUpkeepMs,
    log,
  });
  const healthTimer = setInterval(() => void health().catch((error: unknown) => log(`health: ${String(error)}`)), options.healthIntervalMs ?? 10_000);

  const activeDispatcher = dispatcher;
  return {
    scheduler,
    dispatcher: activeDispatcher,
    terminals: allTerminals,
    marketData,
    candleWindows,
    excursions,
    checks,
    credentials,
    boss,
    pool,
    reportHealth: health,
    async stop() {
      clearInterval(healthTimer);
      await credentials.stop();
      await scheduler.stop();
      await activeDispatcher.stop();
      await candleWindows?.stop();
      await marketData?.stop();
      await excursions?.stop();
      await presence.close();
      await checks.close();
      await Promise.all(allTerminals.map((terminal) => terminal.stop()));
      await reportStopped(pool, allTerminals, clock).catch(() => {});
      await boss.stop({ graceful: true, timeout: 5_000 }).catch(() => {});
      await pool.end();
      await listenPool.end();
    },
  };
}
