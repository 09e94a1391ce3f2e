// Runs the trade-excursions queue in the jobs process and decides when an
// account's trades are measured:
//  - a sync that stored closed trades (a close, or a first sync's history):
//    the runtime calls afterSync, at once;
//  - an import that completed: seen by a poll of recent import batches
//    (the app cannot send pg-boss jobs; ADR 012), every IMPORT_POLL_MS;
//  - anything left unmeasured when the process starts (a crash, a deploy).
// Jobs run one at a time: they share the single market data terminal.
import type { PgBoss } from "pg-boss";
import { decodePayload, sendJob } from "../definitions/define-job.ts";
import { tradeExcursionsJob } from "../definitions/trade-excursions.ts";
import type { SyncJob } from "../sync/cadence.ts";
import type { SyncJobResult } from "../sync/run-sync-job.ts";
import { accountsWithPendingTrades, recentlyCompletedImports } from "./excursion-store.ts";
import type { ExcursionContext, ExcursionRunResult } from "./measure-account.ts";

export const IMPORT_POLL_MS = 5_000;
/** Imports looked at: longer than any import transaction, so a late commit is still seen. */
const IMPORT_LOOKBACK_MS = 3600_000;

export interface TradeExcursionsRunner {
  /** After a sync job: measures the account's new closed trades when it stored any. */
  afterSync(job: SyncJob, result: SyncJobResult): void;
  stop(): Promise<void>;
}

/** Whether a sync stored closed trades (a full or history sync that inserted or closed any). */
export function syncStoredClosedTrades(result: SyncJobResult): boolean {
  if (result.status !== "synced" || result.outcome.kind === "light") return false;
  const { saved } = result.outcome;
  return saved.closed.length > 0 || saved.store.inserted > 0;
}

export async function startTradeExcursions(
  boss: PgBoss,
  context: ExcursionContext,
  {
    pollingIntervalSeconds = 1,
    onJobDone,
  }: { pollingIntervalSeconds?: number; onJobDone?: (accountId: string, result: ExcursionRunResult) => void } = {},
): Promise<TradeExcursionsRunner> {
  const { log } = context;
  const send = (accountId: string, reason: "closed" | "import" | "startup") =>
    sendJob(boss, tradeExcursionsJob, { accountId, reason }).catch((error: unknown) => log(`trade excursions: send failed: ${String(error)}`));

  await boss.work(tradeExcursionsJob.queue, { pollingIntervalSeconds, batchSize: 1 }, async (jobs) => {
    const run = await tradeExcursionsJob.handler();
    const results: ExcursionRunResult[] = [];
    for (const job of jobs) {
      const { accountId } = decodePayload(tradeExcursionsJob, job.data);
      const result = await run(context, accountId);
      onJobDone?.(accountId, result);
      results.push(result);
    }
    return results;
  });

  for (const accountId of await accountsWithPendingTrades(context.pool)) await send(accountId, "startup");

  // Batches already seen; the first poll counts every recent import as new (the startup pass may have sent them too:
  // the queue keeps one waiting job per account).
  const seen = new Set<string>();
  let stopped = false;
  let polling: Promise<void> = Promise.resolve();
  const poll = async () => {
    const recent = await recentlyCompletedImports(context.pool, IMPORT_LOOKBACK_MS);
    const fresh = recent.filter((batch) => !seen.has(batch.batchId));
    for (const batch of fresh) seen.add(batch.batchId);
    const live = new Set(recent.map((batch) => batch.batchId));
    for (const id of seen) if (!live.has(id)) seen.delete(id);
    for (const accountId of new Set(fresh.map((batch) => batch.accountId))) await send(accountId, "import");
  };
  const timer = setInterval(() => {
    if (stopped) return;
    polling = polling.then(poll).catch((error: unknown) => log(`trade excursions: import poll failed: ${String(error)}`));
  }, IMPORT_POLL_MS);

  return {
    afterSync(job, result) {
      if (syncStoredClosedTrades(result)) void send(job.accountId, "closed");
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await polling;
      await boss.offWork(tradeExcursionsJob.queue).catch(() => {});
    },
  };
}
