// Several web processes on one port (WEB_CONCURRENCY, docs/decisions/022): a
// Node process renders on one thread, so a burst of reads queues behind it
// while the box's other core idles. With WEB_CONCURRENCY above 1 the server
// entry (scripts/serve.ts) becomes a node:cluster primary that serves nothing
// itself: it forks that many workers, each the whole app on the shared
// listening socket (the primary hands each new connection to the next worker
// in turn), replaces a worker that dies, and on SIGTERM or SIGINT lets every
// worker finish its requests before exiting.
//
// Replacing a worker never turns into a crash loop: a worker that dies young
// waits twice as long as its predecessor to be replaced (up to 30 s), and if
// no worker ever listened (a bad configuration: every worker would die the
// same way) the primary gives up and exits 1, as one process would.
import cluster, { type Worker } from "node:cluster";
import type { Logger } from "../app/lib/logger.server.ts";

export const MAX_WORKERS = 16;

/** WEB_CONCURRENCY: how many web workers; 1 (no cluster, today's one process) when unset. */
export function workerCountFrom(value: string | undefined): number {
  const text = (value ?? "").trim();
  if (!text) return 1;
  const count = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(count >= 1 && count <= MAX_WORKERS)) throw new Error(`WEB_CONCURRENCY must be a whole number from 1 to ${MAX_WORKERS}; got "${value}"`);
  return count;
}

export const RESTART = { firstDelayMs: 500, maxDelayMs: 30_000, steadyAfterMs: 60_000 } as const;

/**
 * How long to wait before replacing a worker that died after living
 * `lifetimeMs`, its slot having lost `youngDeaths` workers in a row before it:
 * at once-ish after a long life, doubling while they keep dying young.
 * Returns the delay and the slot's new count of young deaths.
 */
export function restartDelay(youngDeaths: number, lifetimeMs: number): { delayMs: number; youngDeaths: number } {
  if (lifetimeMs >= RESTART.steadyAfterMs) return { delayMs: RESTART.firstDelayMs, youngDeaths: 0 };
  return { delayMs: Math.min(RESTART.maxDelayMs, RESTART.firstDelayMs * 2 ** youngDeaths), youngDeaths: youngDeaths + 1 };
}

/** How long the workers get to finish their requests after SIGTERM before they are killed. */
const DRAIN_TIMEOUT_MS = 25_000;

interface Slot {
  worker: Worker | null;
  startedAt: number;
  youngDeaths: number;
  timer: NodeJS.Timeout | null;
}

/** The primary: forks `count` workers running this same script and keeps them alive until a signal. */
export function runPrimary(count: number, logger: Logger): void {
  const slots: Slot[] = Array.from({ length: count }, () => ({ worker: null, startedAt: 0, youngDeaths: 0, timer: null }));
  let anyListened = false;
  let stopping = false;

  const fork = (slot: Slot) => {
    slot.timer = null;
    slot.startedAt = Date.now();
    const worker = cluster.fork();
    slot.worker = worker;
    worker.once("listening", () => (anyListened = true));
    worker.once("exit", (code, signal) => {
      slot.worker = null;
      if (stopping) return stopIfDone();
      const lifetimeMs = Date.now() - slot.startedAt;
      if (!anyListened) {
        logger.fatal({ deadWorkerId: worker.id, deadPid: worker.process.pid, code, signal }, "a web worker died before any listened; stopping");
        process.exitCode = 1;
        return stop();
      }
      const next = restartDelay(slot.youngDeaths, lifetimeMs);
      slot.youngDeaths = next.youngDeaths;
      logger.error(
        { deadWorkerId: worker.id, deadPid: worker.process.pid, code, signal, lifetimeMs, restartInMs: next.delayMs },
        "a web worker died; replacing it",
      );
      slot.timer = setTimeout(() => fork(slot), next.delayMs);
    });
  };

  const stopIfDone = () => {
    if (slots.every((slot) => slot.worker === null)) {
      logger.info("every web worker has stopped");
      process.exit();
    }
  };

  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const slot of slots) {
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      // Each worker drains as the single process does on SIGTERM (scripts/serve.ts).
      slot.worker?.process.kill("SIGTERM");
    }
    setTimeout(() => {
      logger.error({ timeoutMs: DRAIN_TIMEOUT_MS }, "web workers still busy after the drain timeout; killing them");
      for (const slot of slots) slot.worker?.process.kill("SIGKILL");
      process.exitCode = 1;
    }, DRAIN_TIMEOUT_MS).unref();
    stopIfDone();
  };

  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, stop);
  for (const slot of slots) fork(slot);
  logger.info({ workers: count }, "web primary started");
}
