// One terminal worker: an MT5 terminal (through its bridge process) that holds
// one logged-in account at a time. It starts the bridge on demand, keeps the
// session when the next job is for the same account, and restarts by the rules
// of jobs/sync/terminal-lifecycle.ts (5 h uptime between jobs, at once when it
// stops answering, after a crash with a growing backoff).
import { BridgeClient, BridgeError, type BridgeOptions } from "../mt5/bridge-client.ts";
import type { BridgeLogin } from "../mt5/bridge-types.ts";
import type { Clock } from "../clock.ts";
import {
  decideRestart,
  DEFAULT_LIFECYCLE,
  NEW_TERMINAL,
  recordTerminalEvent,
  type LifecycleOptions,
  type TerminalHealth,
} from "../sync/terminal-lifecycle.ts";
import { loginKind, type LoginKind, type TerminalWorker, type WorkerKind } from "../sync/worker-assignment.ts";

export interface TerminalOptions {
  id: string;
  kind: WorkerKind;
  bridge: BridgeOptions;
  clock: Clock;
  lifecycle?: LifecycleOptions;
  /** Login deadline handed to MT5 (`timeout_ms`); the request waits a little longer. */
  loginTimeoutMs: number;
  log: (line: string) => void;
}

export interface TerminalStatus {
  status: "starting" | "idle" | "busy" | "restarting" | "stopped" | "error";
  currentJob: string | null;
  lastError: string | null;
  jobsCompleted: number;
  terminalStartedAt: Date | null;
  /** Logins done (or saved) by kind since the process started: what broker grouping is measured by. */
  logins: Record<LoginKind, number>;
  restarts: number;
}

export class Terminal {
  readonly id: string;
  readonly kind: WorkerKind;
  #bridge: BridgeClient | null = null;
  #health: TerminalHealth = NEW_TERMINAL;
  #loggedIn: { server: string; login: string } | null = null;
  #busyWith: { accountId: string | null; label: string } | null = null;
  /** Runs started and not yet finished (one works, the rest wait in order). */
  #runs = 0;
  #lastRun: Promise<void> = Promise.resolve();
  #draining = false;
  #stopped = false;
  #status: TerminalStatus = {
    status: "stopped",
    currentJob: null,
    lastError: null,
    jobsCompleted: 0,
    terminalStartedAt: null,
    logins: { already_logged_in: 0, same_server: 0, server_switch: 0 },
    restarts: 0,
  };

  constructor(private readonly options: TerminalOptions) {
    this.id = options.id;
    this.kind = options.kind;
  }

  /** The pure view worker assignment works on. */
  get view(): TerminalWorker {
    return {
      id: this.id,
      kind: this.kind,
      busy: this.#busyWith !== null,
      loggedIn: this.#loggedIn,
      runningAccountId: this.#busyWith?.accountId ?? null,
      draining: this.#draining || !this.canStartNow(),
    };
  }

  get status(): TerminalStatus {
    return { ...this.#status, logins: { ...this.#status.logins } };
  }

  get loggedIn(): { server: string; login: string } | null {
    return this.#loggedIn;
  }

  /** False while a crashed terminal waits out its restart backoff. */
  canStartNow(): boolean {
    if (this.#stopped) return false;
    if (this.#bridge?.alive) return true;
    const decision = decideRestart(this.#health, { at: this.options.clock.now(), busy: false }, this.lifecycle);
    return decision.action !== "restart" || decision.notBefore <= this.options.clock.now();
  }

  /** When a terminal in crash backoff may start again (null when it may now). */
  restartNotBefore(): Date | null {
    if (this.#bridge?.alive) return null;
    const decision = decideRestart(this.#health, { at: this.options.clock.now(), busy: false }, this.lifecycle);
    return decision.action === "restart" && decision.notBefore > this.options.clock.now() ? decision.notBefore : null;
  }

  private get lifecycle(): LifecycleOptions {
    return this.options.lifecycle ?? DEFAULT_LIFECYCLE;
  }

  /**
   * Reserves the terminal for a job about to start (synchronously, so the next
   * dispatch pass cannot hand it a second one). False when it is taken.
   */
  claim(accountId: string | null, label = "reserved"): boolean {
    if (this.#busyWith) return false;
    this.#busyWith = { accountId, label };
    return true;
  }

  /** Ends a claim whose job never ran (`run` releases its own). */
  release(): void {
    this.#busyWith = null;
  }

  /**
   * Runs `work` with this terminal marked busy (claiming it unless the caller
   * already did for the same account). Errors from the bridge update
   * the terminal's health (a timeout or crash counts toward a restart); the
   * error is re-thrown for the job to handle.
   */
  async run<T>(label: string, accountId: string | null, work: (bridge: BridgeClient) => Promise<T>): Promise<T> {
    if (this.#busyWith && this.#busyWith.accountId !== accountId) throw new Error(`terminal ${this.id} is busy with ${this.#busyWith.label}`);
    // A second run for the same account — or a second account-less one (market data, connection checks) — waits for
    // the first: the bridge answers one request stream, and the terminal holds one login. The terminal stays marked
    // busy from the first run's start to the last queued run's end, so no dispatch pass claims it in between.
    this.#busyWith = { accountId, label };
    this.#runs++;
    const previous = this.#lastRun;
    let finished!: () => void;
    this.#lastRun = new Promise<void>((resolve) => (finished = resolve));
    try {
      await previous;
      return await this.runAlone(label, work);
    } finally {
      if (--this.#runs === 0) this.#busyWith = null;
      this.#status = {
        ...this.#status,
        status: this.#bridge?.alive ? "idle" : this.#status.status === "busy" ? "idle" : this.#status.status,
        currentJob: null,
      };
      await this.restartIfDue();
      finished();
    }
  }

  private async runAlone<T>(label: string, work: (bridge: BridgeClient) => Promise<T>): Promise<T> {
    this.#status = { ...this.#status, status: "busy", currentJob: label };
    try {
      const bridge = await this.ensureBridge();
      const result = await work(bridge);
      this.#health = recordTerminalEvent(this.#health, { kind: "job_succeeded", at: this.options.clock.now() });
      this.#status = { ...this.#status, jobsCompleted: this.#status.jobsCompleted + 1, lastError: null };
      return result;
    } catch (error) {
      await this.noteFailure(error);
      throw error;
    }
  }

  /**
   * Logs the terminal in to an account unless it already holds it.
   * `password` is read from the credentials just before and dropped after.
   */
  async login(
    bridge: BridgeClient,
    account: { server: string; login: string },
    password: string,
    { force = false }: { force?: boolean } = {},
  ): Promise<{ kind: LoginKind; result: BridgeLogin | null }> {
    const kind = loginKind({ loggedIn: this.#loggedIn }, { mt5Server: account.server, mt5Login: account.login });
    // A connection check must prove the password, so it never reuses a session.
    if (kind === "already_logged_in" && !force) {
      this.#status.logins.already_logged_in++;
      return { kind, result: null };
    }
    this.#loggedIn = null;
    const result = await bridge.request(
      "login",
      { login: Number(account.login), password, server: account.server, timeout_ms: this.options.loginTimeoutMs },
      this.options.loginTimeoutMs + 10_000,
    );
    this.#loggedIn = { server: account.server, login: account.login };
    // What the terminal reports is the truth: a fresh terminal's first login is a server switch.
    const actual: LoginKind = result.switched_server || result.initialized ? "server_switch" : kind === "already_logged_in" ? "same_server" : kind;
    this.#status.logins[actual]++;
    return { kind: actual, result };
  }

  private async ensureBridge(): Promise<BridgeClient> {
    if (this.#bridge?.alive) return this.#bridge;
    const notBefore = this.restartNotBefore();
    if (notBefore) throw new BridgeError("terminal_crashed", `terminal ${this.id} restarts after ${notBefore.toISOString()}`);
    await this.#bridge?.stop(1_000);
    this.#status = { ...this.#status, status: "starting" };
    this.#loggedIn = null;
    this.#bridge = await BridgeClient.start(this.options.bridge);
    const at = this.options.clock.now();
    this.#health = recordTerminalEvent(this.#health, { kind: "started", at });
    this.#status = { ...this.#status, status: "idle", terminalStartedAt: at };
    this.options.log(`${this.id}: terminal started (bridge pid ${this.#bridge.pid})`);
    return this.#bridge;
  }

  private async noteFailure(error: unknown): Promise<void> {
    const at = this.options.clock.now();
    const message = error instanceof Error ? error.message : String(error);
    this.#status = { ...this.#status, lastError: message.slice(0, 300) };
    if (!(error instanceof BridgeError)) return;
    if (error.code === "timeout") {
      this.#health = recordTerminalEvent(this.#health, { kind: "timed_out", at });
    } else if (error.code === "terminal_crashed" || !this.#bridge?.alive) {
      if (this.#health.startedAt) {
        this.#health = recordTerminalEvent(this.#health, { kind: "crashed", at });
        this.options.log(`${this.id}: terminal crashed (${message})`);
      }
      this.#loggedIn = null;
      this.#bridge?.kill();
      this.#bridge = null;
      this.#status = { ...this.#status, status: "error", restarts: this.#status.restarts + 1 };
    } else if (error.code === "auth_failed" || error.code === "trade_allowed") {
      // The failed login dropped the session.
      this.#loggedIn = null;
    }
  }

  /** Restarts now when the lifecycle says so and nothing runs; takes no new job while an uptime restart waits. */
  async restartIfDue(): Promise<void> {
    if (!this.#bridge?.alive || this.#stopped) return;
    const decision = decideRestart(this.#health, { at: this.options.clock.now(), busy: this.#busyWith !== null }, this.lifecycle);
    if (decision.action === "restart_when_idle") {
      this.#draining = true;
      return;
    }
    if (decision.action !== "restart" || this.#busyWith) return;
    this.options.log(`${this.id}: restarting the terminal (${decision.reason})`);
    this.#status = { ...this.#status, status: "restarting", restarts: this.#status.restarts + 1 };
    const bridge = this.#bridge;
    this.#bridge = null;
    this.#loggedIn = null;
    this.#draining = false;
    // Unanswered timeouts mean a hung terminal: no graceful shutdown to wait for.
    if (decision.reason === "unresponsive") bridge.kill();
    else await bridge.stop(5_000);
    this.#health = { ...this.#health, startedAt: null, consecutiveTimeouts: 0 };
    this.#status = { ...this.#status, status: "idle", terminalStartedAt: null };
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    const bridge = this.#bridge;
    this.#bridge = null;
    this.#loggedIn = null;
    await bridge?.stop(3_000);
    this.#status = { ...this.#status, status: "stopped", currentJob: null };
  }
}
