// Hands queued work to idle trade terminals. It takes due sync jobs from
// pg-boss, holds them while it chooses, and gives each idle terminal the job
// that is cheapest for it — the account it is logged in to, then one on the
// same broker server — without letting any job wait much longer than one that
// is cheaper to run (jobs/sync/worker-assignment.ts). Connection checks (a
// user waiting on the connect form) go first, to whichever terminal is free.
import type { Clock } from "./clock.ts";
import { WakeableLoop } from "./loop.ts";
import type { ConnectionChecks } from "./connection-checks.ts";
import { mt5SyncJob } from "./definitions/mt5-sync.ts";
import type { SyncQueueClient } from "./queue.ts";
import type { Scheduler } from "./scheduler.ts";
import { syncModeAt } from "./sync/cadence.ts";
import type { SyncJob } from "./sync/cadence.ts";
import type { SyncJobContext, SyncJobResult } from "./sync/run-sync-job.ts";
import { assignJobs } from "./sync/worker-assignment.ts";
import type { Terminal } from "./terminals/terminal.ts";

export interface DispatcherOptions {
  terminals: Terminal[];
  queue: SyncQueueClient;
  scheduler: Scheduler;
  checks: ConnectionChecks | null;
  context: SyncJobContext;
  clock: Clock;
  /** How often the queue is polled when nothing woke the loop. */
  pollMs: number;
  /** Grouping on/off (the capacity benchmark compares both). */
  grouping?: boolean;
  onJobDone?: (job: SyncJob, result: SyncJobResult, workerId: string) => void;
  log: (line: string) => void;
}

/**
 * Due jobs held at once. They stay `active` in pg-boss while held (15 min
 * expiry); assignJobs lets none wait more than ~30 s past a cheaper one.
 */
const HOLD_WINDOW = 25;

/**
 * pg-boss's stately fetch skips a job whose account its cached queue counts last saw `active`
 * (re-read every QUEUE_STATS_SECONDS, jobs/queue.ts), e.g. one sent right after the account's
 * previous job settled. The loop's poll sleeps on the injected clock, so such a job is asked for
 * again on this real-time timer instead, whatever that clock does.
 */
const UNFETCHED_RETRY_MS = 250;

interface HeldJob {
  id: string;
  job: SyncJob;
}

export class Dispatcher {
  #held: HeldJob[] = [];
  readonly #loop: WakeableLoop;
  readonly #active = new Set<Promise<void>>();
  #running = 0;
  #retry: NodeJS.Timeout | null = null;

  constructor(private readonly options: DispatcherOptions) {
    this.#loop = new WakeableLoop(
      options.clock,
      async () => {
        await this.dispatch();
        return new Date(options.clock.now().getTime() + options.pollMs);
      },
      (error) => options.log(`dispatcher: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  start(): void {
    this.#loop.start();
  }

  async stop(): Promise<void> {
    await this.#loop.stop();
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    await Promise.allSettled([...this.#active]);
  }

  poke(): void {
    this.#loop.poke();
  }

  get held(): number {
    return this.#held.length;
  }

  private trade(): Terminal[] {
    return this.options.terminals.filter((terminal) => terminal.kind === "trade");
  }

  /** One pass: connection checks first, then sync jobs, on every idle terminal that may start. */
  async dispatch(): Promise<void> {
    const now = this.options.clock.now();
    for (const terminal of this.trade()) {
      if (!terminal.view.busy) await terminal.restartIfDue();
    }
    const idle = () => this.trade().filter((terminal) => !terminal.view.busy && !terminal.view.draining);

    if (this.options.checks) {
      for (const terminal of idle()) {
        if (!terminal.claim(null, "connection check")) continue;
        const check = await this.options.checks.claim().catch((error: unknown) => {
          terminal.release();
          throw error;
        });
        if (!check) {
          terminal.release();
          break;
        }
        this.track(
          this.options.checks.run(terminal, check).finally(() => {
            terminal.release();
            this.poke();
          }),
        );
      }
    }

    const free = idle();
    if (free.length === 0) return;
    // Grouping can only choose among jobs it can see: hold up to a window of them.
    if (this.#held.length < HOLD_WINDOW) {
      this.#held.push(...(await this.options.queue.fetch(HOLD_WINDOW - this.#held.length)));
    }
    this.retryUnfetched();
    if (this.#held.length === 0) return;
    const mode = syncModeAt(now);
    const assignments = assignJobs(
      this.#held.map((held) => held.job),
      this.trade().map((terminal) => terminal.view),
      { at: now, tradeWorkers: mode.tradeWorkers, grouping: this.options.grouping },
    );
    for (const assignment of assignments) {
      const index = this.#held.findIndex((held) => held.job === assignment.job);
      const [held] = this.#held.splice(index, 1);
      const terminal = this.options.terminals.find((t) => t.id === assignment.workerId)!;
      if (!terminal.claim(held!.job.accountId)) {
        this.#held.push(held!);
        continue;
      }
      this.#running++;
      this.track(
        this.execute(terminal, held!).finally(() => {
          this.#running--;
          terminal.release();
        }),
      );
    }
  }

  /** Sent jobs that are neither held nor running are still in pg-boss: ask again shortly. */
  private retryUnfetched(): void {
    const unfetched = this.options.scheduler.inFlight.size - this.#held.length - this.#running;
    if (unfetched <= 0 || this.#retry) return;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      this.poke();
    }, UNFETCHED_RETRY_MS);
    this.#retry.unref();
  }

  private async execute(terminal: Terminal, held: HeldJob): Promise<void> {
    const { job } = held;
    let result: SyncJobResult;
    try {
      const runSyncJob = await mt5SyncJob.handler();
      result = await runSyncJob(this.options.context, terminal, { accountId: job.accountId, kind: job.kind, reason: job.reason });
    } catch (error) {
      result = { status: "failed", code: "internal", message: error instanceof Error ? error.message : String(error) };
    }
    const summary = { status: result.status, ...(result.status === "failed" ? { code: result.code } : {}) };
    await (result.status === "failed" ? this.options.queue.fail(held.id, summary) : this.options.queue.complete(held.id, summary)).catch(
      (error: unknown) => this.options.log(`dispatcher: could not settle job ${held.id}: ${error instanceof Error ? error.message : String(error)}`),
    );
    this.options.onJobDone?.(job, result, terminal.id);
    this.options.scheduler.jobFinished(job.accountId);
    this.poke();
  }

  private track(work: Promise<void>): void {
    const tracked = work
      .catch((error: unknown) => this.options.log(`dispatcher: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => this.#active.delete(tracked));
    this.#active.add(tracked);
  }
}
