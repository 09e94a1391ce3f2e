// The MT5 bridge (mt5/): runs its Python test suite (stdlib unittest, the real
// bridge driving the simulator) and drives the bridge from TypeScript the way
// the jobs process will: spawn with execa, JSON lines on stdin/stdout.
import { fileURLToPath } from "node:url";
import readline from "node:readline";
import { execa } from "execa";
import { describe, expect, it } from "vitest";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PYTHON = process.env.PYTHON ?? "python3";

interface BridgeResponse {
  id: number | string | null;
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string; mt5_code: number | null };
}

describe("mt5 bridge", () => {
  it("passes its Python unittest suite", async () => {
    const run = await execa(PYTHON, ["-m", "unittest", "discover", "-s", "mt5/tests", "-v"], {
      cwd: REPO_ROOT,
      env: { PYTHONDONTWRITEBYTECODE: "1" },
      reject: false,
      all: true,
      timeout: 280_000,
    });
    if (run.exitCode !== 0) {
      throw new Error(`python3 -m unittest discover -s mt5/tests failed (exit ${run.exitCode}):\n${run.all}`);
    }
    expect(run.all).toMatch(/\nOK/);
  }, 300_000);

  it("answers login, account_info and deals as JSON lines when spawned with the simulator", async () => {
    const child = execa(PYTHON, ["mt5/bridge"], {
      cwd: REPO_ROOT,
      env: {
        RAWJOURNAL_MT5_MODULE: "simulator",
        RAWJOURNAL_SIM_SCENARIO: "default",
        RAWJOURNAL_SIM_SPEED: "0",
        PYTHONDONTWRITEBYTECODE: "1",
      },
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
      buffer: { stdout: false, stderr: true },
      reject: false,
      timeout: 60_000,
    });
    const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const next = async (): Promise<BridgeResponse> => {
      const { value, done } = await lines.next();
      if (done) throw new Error("bridge closed stdout");
      return JSON.parse(value as string) as BridgeResponse;
    };
    const password = "inv-51000001!";
    const send = (id: number, method: string, params?: object) =>
      child.stdin!.write(`${JSON.stringify({ id, method, params })}\n`);

    const hello = await next();
    expect(hello).toMatchObject({ id: null, ok: true, result: { event: "hello", protocol: 1, simulator: true } });

    send(1, "login", { login: 51000001, password, server: "RawBroker-Demo", timeout_ms: 10_000 });
    send(2, "account_info");
    send(3, "deals", { from: 0, to: 4_000_000_000 });
    send(4, "order_send", { symbol: "EURUSD", volume: 1 });
    const [login, account, deals, trade] = [await next(), await next(), await next(), await next()];

    expect(login).toMatchObject({ id: 1, ok: true, result: { login: 51000001, server: "RawBroker-Demo", trade_allowed: false } });
    expect(account).toMatchObject({ id: 2, ok: true, result: { login: 51000001, currency: "USD", margin_mode_name: "retail_hedging" } });
    expect(deals.id).toBe(3);
    const rows = deals.result as Array<Record<string, unknown>>;
    expect(rows.length).toBeGreaterThan(10);
    expect(rows[0]).toMatchObject({ type_name: "balance", entry_name: "in", profit: "10000.0" });
    const partial = rows.find((d) => d.entry_name === "out" && d.symbol === "EURUSD");
    expect(partial).toMatchObject({ volume: "0.05", price: "1.087", profit: "10.0", type_name: "sell" });
    expect(rows.some((d) => d.entry_name === "out_by")).toBe(true);
    expect(trade).toMatchObject({ id: 4, ok: false, error: { code: "unknown_method" } });

    send(5, "shutdown");
    expect(await next()).toMatchObject({ id: 5, ok: true, result: { bye: true } });
    const exit = await child;
    expect(exit.exitCode).toBe(0);
    expect(String(exit.stderr)).toContain("login 51000001@RawBroker-Demo ok");
    expect(String(exit.stderr)).not.toContain(password);
  }, 60_000);
});
