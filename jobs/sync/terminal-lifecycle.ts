// When a worker's MT5 terminal (and its bridge) must restart. Terminals leak
// memory and wedge over long runs, so each restarts after 5 hours of uptime —
// between jobs, never in the middle of one. One that stops answering (N
// consecutive timeouts) restarts at once; one that crashed restarts after a
// backoff that doubles with each crash in a row, so a broken install or a
// broker outage does not turn into a restart loop. A job that succeeds proves
// the terminal healthy and clears both counts.

export const DEFAULT_LIFECYCLE = {
  maxUptimeMs: 5 * 60 * 60_000,
  maxConsecutiveTimeouts: 3,
  crashBackoffBaseMs: 5_000,
  crashBackoffMaxMs: 5 * 60_000,
};

export type LifecycleOptions = typeof DEFAULT_LIFECYCLE;

export interface TerminalHealth {
  /** When the current terminal process started; null when none is running. */
  startedAt: Date | null;
  consecutiveTimeouts: number;
  /** Crashes since the last successful job. */
  consecutiveCrashes: number;
  lastCrashAt: Date | null;
}

export type TerminalEvent =
  | { kind: "started"; at: Date }
  | { kind: "job_succeeded"; at: Date }
  /** A request (or a ping while idle) got no answer in time. */
  | { kind: "timed_out"; at: Date }
  /** The bridge or terminal process exited. */
  | { kind: "crashed"; at: Date };

export type RestartDecision =
  | { action: "none" }
  /** Take no new job; restart as soon as the running one ends. */
  | { action: "restart_when_idle"; reason: "uptime" }
  | { action: "restart"; reason: "uptime" | "unresponsive" | "crashed" | "not_running"; notBefore: Date };

export const NEW_TERMINAL: TerminalHealth = { startedAt: null, consecutiveTimeouts: 0, consecutiveCrashes: 0, lastCrashAt: null };

export function recordTerminalEvent(health: TerminalHealth, event: TerminalEvent): TerminalHealth {
  switch (event.kind) {
    case "started":
      return { ...health, startedAt: event.at, consecutiveTimeouts: 0 };
    case "job_succeeded":
      return { ...health, consecutiveTimeouts: 0, consecutiveCrashes: 0 };
    case "timed_out":
      return { ...health, consecutiveTimeouts: health.consecutiveTimeouts + 1 };
    case "crashed":
      return { ...health, startedAt: null, consecutiveTimeouts: 0, consecutiveCrashes: health.consecutiveCrashes + 1, lastCrashAt: event.at };
  }
}

/** The wait before restarting after the n-th crash in a row: base, 2×base, 4×base … capped. */
export function crashBackoffMs(consecutiveCrashes: number, options: LifecycleOptions = DEFAULT_LIFECYCLE): number {
  if (consecutiveCrashes <= 0) return 0;
  return Math.min(options.crashBackoffMaxMs, options.crashBackoffBaseMs * 2 ** Math.min(consecutiveCrashes - 1, 30));
}

export function decideRestart(
  health: TerminalHealth,
  context: { at: Date; busy: boolean },
  options: LifecycleOptions = DEFAULT_LIFECYCLE,
): RestartDecision {
  const { at, busy } = context;
  if (!health.startedAt) {
    if (health.consecutiveCrashes > 0 && health.lastCrashAt) {
      const notBefore = new Date(health.lastCrashAt.getTime() + crashBackoffMs(health.consecutiveCrashes, options));
      return { action: "restart", reason: "crashed", notBefore };
    }
    return { action: "restart", reason: "not_running", notBefore: at };
  }
  if (health.consecutiveTimeouts >= options.maxConsecutiveTimeouts) {
    // Whatever it is running will not finish: restart now, busy or not.
    return { action: "restart", reason: "unresponsive", notBefore: at };
  }
  if (at.getTime() - health.startedAt.getTime() >= options.maxUptimeMs) {
    return busy ? { action: "restart_when_idle", reason: "uptime" } : { action: "restart", reason: "uptime", notBefore: at };
  }
  return { action: "none" };
}
