// One MT5 bridge process (mt5/bridge, PROTOCOL.md) driven over stdio: JSON
// lines out on stdin, one answer per request back on stdout, in order. The
// investor password travels only inside a `login` request on stdin — never in
// argv, the environment or a log line.
//
// A bridge that exits, or stops answering within a request's deadline, fails
// every pending request with `terminal_crashed` / `timeout`; the terminal
// worker then decides whether to restart it (jobs/sync/terminal-lifecycle.ts).
// Every answer is parsed against its method's schema (bridge-answers.ts): one
// that does not match fails its request with `malformed_answer`.
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { execa, type ResultPromise } from "execa";
import type { z } from "zod";
import { bridgeHelloSchema, bridgeLineSchema, describeMalformed, parseAnswer } from "./bridge-answers.ts";
import type { BridgeErrorCode, BridgeMethod, BridgeMethods } from "./bridge-types.ts";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

export class BridgeError extends Error {
  constructor(
    readonly code: BridgeErrorCode,
    message: string,
    readonly mt5Code: number | null = null,
  ) {
    super(message);
    this.name = "BridgeError";
  }
}

export interface BridgeOptions {
  /** The Python to run (`python3` here; a Windows python under Wine in production). */
  python: string;
  /** Extra environment for the bridge: RAWJOURNAL_MT5_MODULE, the simulator's RAWJOURNAL_SIM_* knobs. Never a password. */
  env: Record<string, string>;
  /** Deadline for a request without one of its own. */
  defaultTimeoutMs: number;
  /** Bridge stderr lines (they never contain a password: the bridge scrubs them). */
  onLog?: (line: string) => void;
}

interface Pending {
  method: BridgeMethod;
  resolve: (value: unknown) => void;
  reject: (error: BridgeError) => void;
  timer: NodeJS.Timeout;
}

export class BridgeClient {
  private child: ResultPromise | null = null;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private exited: BridgeError | null = null;
  private helloInfo: z.output<typeof bridgeHelloSchema> | null = null;

  private constructor(private readonly options: BridgeOptions) {}

  /** Spawns a bridge and waits for its hello line. */
  static async start(options: BridgeOptions, helloTimeoutMs = 30_000): Promise<BridgeClient> {
    const client = new BridgeClient(options);
    await client.spawn(helloTimeoutMs);
    return client;
  }

  get pid(): number | null {
    return this.helloInfo?.pid ?? null;
  }

  get isSimulator(): boolean {
    return this.helloInfo?.simulator ?? false;
  }

  get alive(): boolean {
    return this.child !== null && this.exited === null;
  }

  private spawn(helloTimeoutMs: number): Promise<void> {
    const child = execa(this.options.python, [path.join(REPO_ROOT, "mt5/bridge")], {
      cwd: REPO_ROOT,
      // Not the jobs process's environment: it holds the encryption keys and database URLs.
      env: { ...inheritedEnvironment(), PYTHONDONTWRITEBYTECODE: "1", PYTHONUNBUFFERED: "1", ...this.options.env },
      extendEnv: false,
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
      buffer: false,
      reject: false,
    });
    this.child = child;
    const lines = readline.createInterface({ input: child.stdout! });
    readline.createInterface({ input: child.stderr! }).on("line", (line) => this.options.onLog?.(line));

    return new Promise<void>((resolve, reject) => {
      const helloTimer = setTimeout(() => {
        reject(new BridgeError("timeout", `the MT5 bridge did not start within ${helloTimeoutMs} ms`));
        child.kill("SIGKILL");
      }, helloTimeoutMs);
      let greeted = false;
      lines.on("line", (line) => {
        if (!greeted) {
          greeted = true;
          clearTimeout(helloTimer);
          const first = bridgeLineSchema.safeParse(parseLine(line));
          const hello = first.success && first.data.ok ? bridgeHelloSchema.safeParse(first.data.result) : null;
          if (hello?.success) {
            this.helloInfo = hello.data;
            resolve();
          } else {
            const message = first.success && !first.data.ok ? first.data.error.message : `unexpected first line from the bridge: ${line.slice(0, 200)}`;
            reject(new BridgeError("internal", message));
          }
          return;
        }
        this.onResponse(line);
      });
      child.stdin!.on("error", () => {
        // A write to a bridge that just died: its exit handler fails the pending requests.
      });
      void child.then((result) => {
        clearTimeout(helloTimer);
        const how = result.signal ? `signal ${result.signal}` : `exit code ${result.exitCode}`;
        this.exited = new BridgeError("terminal_crashed", `the MT5 bridge stopped (${how})`);
        if (!greeted) reject(this.exited);
        for (const [id, pending] of this.pending) {
          clearTimeout(pending.timer);
          pending.reject(this.exited);
          this.pending.delete(id);
        }
      });
    });
  }

  private onResponse(line: string): void {
    const value = parseLine(line);
    // A line we cannot match to a request is dropped; that request then times out.
    const id = (value as { id?: unknown } | null)?.id;
    if (typeof id !== "number") return;
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    const message = bridgeLineSchema.safeParse(value);
    if (!message.success) {
      pending.reject(new BridgeError("malformed_answer", describeMalformed(`the MT5 bridge's response line to ${pending.method}`, value, message.error.issues)));
    } else if (message.data.ok) {
      const answer = parseAnswer(pending.method, message.data.result);
      if (answer.ok) pending.resolve(answer.value);
      else pending.reject(new BridgeError("malformed_answer", answer.message));
    } else {
      const { code, message: text, mt5_code } = message.data.error;
      pending.reject(new BridgeError(PROTOCOL_ERROR_CODES.has(code) ? (code as BridgeErrorCode) : "internal", text, mt5_code ?? null));
    }
  }

  /** One request; rejects with BridgeError (its `code` from PROTOCOL.md, or `timeout` / `terminal_crashed` from here). */
  request<M extends BridgeMethod>(method: M, params: BridgeMethods[M][0], timeoutMs = this.options.defaultTimeoutMs): Promise<BridgeMethods[M][1]> {
    if (this.exited) return Promise.reject(this.exited);
    if (!this.child) return Promise.reject(new BridgeError("terminal_crashed", "the MT5 bridge is not running"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new BridgeError("timeout", `the MT5 bridge did not answer ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject, timer });
      this.child!.stdin!.write(`${JSON.stringify({ id, method, params })}\n`);
    });
  }

  /** Asks the bridge to shut the terminal down and exit; kills it if it does not within the grace time. */
  async stop(graceMs = 5_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (this.alive) {
      await this.request("shutdown", {}, graceMs).catch(() => {});
    }
    const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await child.catch(() => {});
    clearTimeout(killer);
    this.child = null;
  }

  /** Ends the process at once (a hung terminal). */
  kill(): void {
    this.child?.kill("SIGKILL");
  }
}

/** What a Python (or Wine) process needs from our environment to start; nothing secret. */
const INHERITED = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "SYSTEMROOT", "WINEPREFIX", "WINEDEBUG", "WINEARCH", "DISPLAY", "PYTHONPATH", "PYTHONHOME"];

function inheritedEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of INHERITED) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

/** The codes PROTOCOL.md lets the bridge answer with; any other becomes `internal`, keeping its message. */
const PROTOCOL_ERROR_CODES: ReadonlySet<string> = new Set<BridgeErrorCode>([
  "auth_failed", "timeout", "terminal_crashed", "trade_allowed", "not_logged_in", "invalid_params", "not_found", "unknown_method", "internal",
]);

function parseLine(line: string): unknown {
  try {
    const value = JSON.parse(line) as unknown;
    return value && typeof value === "object" ? value : null;
  } catch {
    return null;
  }
}
