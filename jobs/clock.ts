// The jobs process reads the time only through a Clock, so integration tests
// can drive the whole schedule (15 s cadence, 5 min grace, weekend mode) with
// an injected one instead of waiting for real time to pass. The process's own
// clock is the run's wall clock (app/lib/wall-clock.server.ts): the system
// clock, or the one RAWJOURNAL_CLOCK shifts for the demo and the tests.
import { wallClockNow } from "~/lib/wall-clock.server.ts";

export interface Clock {
  now(): Date;
  /** Resolves at `until` (at once if past), or early when `signal` aborts. */
  sleepUntil(until: Date, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: wallClockNow,
  sleepUntil(until, signal) {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, Math.max(0, until.getTime() - wallClockNow().getTime()));
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      }
      signal?.addEventListener("abort", done, { once: true });
    });
  },
};

/** A clock that moves only when told to (tests). */
export class ManualClock implements Clock {
  #now: number;
  #sleepers = new Set<{ until: number; wake: () => void }>();
  #listeners = new Set<(now: Date) => void>();

  constructor(start: Date) {
    this.#now = start.getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  sleepUntil(until: Date, signal?: AbortSignal): Promise<void> {
    if (until.getTime() <= this.#now || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper = {
        until: until.getTime(),
        wake: () => {
          this.#sleepers.delete(sleeper);
          signal?.removeEventListener("abort", sleeper.wake);
          resolve();
        },
      };
      this.#sleepers.add(sleeper);
      signal?.addEventListener("abort", sleeper.wake, { once: true });
    });
  }

  /** Moves time forward and wakes every sleeper whose moment has come. */
  advance(ms: number): Date {
    this.#now += ms;
    for (const sleeper of [...this.#sleepers]) if (sleeper.until <= this.#now) sleeper.wake();
    for (const listener of this.#listeners) listener(this.now());
    return this.now();
  }

  /** Called after every advance (e.g. to move the MT5 simulator's clock file along). */
  onAdvance(listener: (now: Date) => void): void {
    this.#listeners.add(listener);
  }
}
