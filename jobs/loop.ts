// A loop that runs one pass, sleeps until the moment the pass names (on the
// injected clock), and can be woken early: the shape of the scheduler, the
// dispatcher and the market data terminal. A failing pass is logged and the
// loop goes on a second later; stopping waits for the pass in progress.
import type { Clock } from "./clock.ts";

export class WakeableLoop {
  #running = false;
  #done: Promise<void> | null = null;
  #wake = new AbortController();

  constructor(
    private readonly clock: Clock,
    /** One pass; resolves to when the next one is due. */
    private readonly pass: () => Promise<Date>,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.#running = true;
    this.#done = this.run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.poke();
    await this.#done;
  }

  /** Runs the next pass now instead of at its time. */
  poke(): void {
    this.#wake.abort();
  }

  private async run(): Promise<void> {
    while (this.#running) {
      let next: Date;
      try {
        next = await this.pass();
      } catch (error) {
        this.onError(error);
        next = new Date(this.clock.now().getTime() + 1_000);
      }
      if (!this.#running) break;
      const signal = this.#wake.signal;
      await this.clock.sleepUntil(next, signal);
      if (signal.aborted) this.#wake = new AbortController();
    }
  }
}
