// The TypeScript side of the bridge protocol, against the real bridge on the
// simulator: answers, refusals, a crashing and a hanging terminal.
import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BridgeClient, BridgeError } from "./bridge-client.ts";

const started: BridgeClient[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((client) => client.stop(2_000)));
});

async function bridge(env: Record<string, string> = {}, logs: string[] = []): Promise<BridgeClient> {
  const client = await BridgeClient.start({
    python: process.env.PYTHON ?? "python3",
    env: { RAWJOURNAL_MT5_MODULE: "simulator", RAWJOURNAL_SIM_SCENARIO: "default", RAWJOURNAL_SIM_SPEED: "0", RAWJOURNAL_SIM_LATENCY_SCALE: "0", ...env },
    defaultTimeoutMs: 10_000,
    onLog: (line) => logs.push(line),
  });
  started.push(client);
  return client;
}

async function failure(promise: Promise<unknown>): Promise<BridgeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BridgeError) return error;
    throw error;
  }
  throw new Error("expected the request to fail");
}

describe("BridgeClient", () => {
  it("logs in with an investor password and reads account, positions and deals", async () => {
    const logs: string[] = [];
    const client = await bridge({}, logs);
    expect(client.isSimulator).toBe(true);
    const login = await client.request("login", { login: 51000001, password: "inv-51000001!", server: "RawBroker-Demo" });
    expect(login).toMatchObject({ login: 51000001, trade_allowed: false, currency: "USD", margin_mode_name: "retail_hedging" });
    const info = await client.request("account_info", {});
    expect(info.balance).toMatch(/^-?\d+(\.\d+)?$/);
    const positions = await client.request("positions", {});
    expect(positions.length).toBeGreaterThan(0);
    const deals = await client.request("deals", { from: 0, to: 4_000_000_000 });
    expect(deals.some((deal) => deal.type_name === "balance")).toBe(true);
    expect(logs.join("\n")).not.toContain("inv-51000001!");
  });

  it("gives the bridge neither the jobs process's secrets nor the password outside stdin", async () => {
    vi.stubEnv("ENCRYPTION_KEYS", "k1:marker-of-the-jobs-secret");
    vi.stubEnv("CREDENTIALS_PRIVATE_KEYS", "k2:marker-of-the-jobs-secret");
    vi.stubEnv("DATABASE_URL", "postgres://owner:marker-of-the-jobs-secret@db/x");
    try {
      const client = await bridge();
      await client.request("login", { login: 51000001, password: "inv-51000001!", server: "RawBroker-Demo" });
      const environ = await readFile(`/proc/${client.pid}/environ`, "utf8");
      const cmdline = await readFile(`/proc/${client.pid}/cmdline`, "utf8");
      expect(environ).toContain("RAWJOURNAL_MT5_MODULE=simulator");
      expect(environ).not.toContain("marker-of-the-jobs-secret");
      expect(environ).not.toContain("inv-51000001!");
      expect(cmdline).not.toContain("inv-51000001!");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("answers many pipelined requests in order", async () => {
    const client = await bridge();
    await client.request("login", { login: 51000001, password: "inv-51000001!", server: "RawBroker-Demo" });
    const answers = await Promise.all(Array.from({ length: 20 }, () => client.request("ping", {})));
    expect(answers.every((answer) => answer.pong)).toBe(true);
  });

  it("reports a wrong password as auth_failed and a master password as trade_allowed", async () => {
    const client = await bridge();
    const wrong = await failure(client.request("login", { login: 51000001, password: "nope", server: "RawBroker-Demo" }));
    expect(wrong.code).toBe("auth_failed");
    expect(wrong.mt5Code).toBe(-6);
    const master = await failure(client.request("login", { login: 51000001, password: "master-51000001!", server: "RawBroker-Demo" }));
    expect(master.code).toBe("trade_allowed");
    expect((await failure(client.request("positions", {}))).code).toBe("not_logged_in");
  });

  it("refuses trading calls: they are not on the bridge's allow-list", async () => {
    const client = await bridge();
    const refused = await failure(client.request("order_send" as "ping", {}));
    expect(refused.code).toBe("unknown_method");
  });

  it("fails every pending request with terminal_crashed when the terminal process dies", async () => {
    const client = await bridge({ RAWJOURNAL_SIM_SCENARIO: "crash", RAWJOURNAL_SIM_CRASH: JSON.stringify({ mode: "exit", after_calls: 3 }) });
    await client.request("login", { login: 51000001, password: "inv-51000001!", server: "RawBroker-Demo" });
    const results = await Promise.allSettled([client.request("positions", {}), client.request("deals", { from: 0, to: 4_000_000_000 }), client.request("ping", {})]);
    const errors = results.filter((result): result is PromiseRejectedResult => result.status === "rejected").map((result) => (result.reason as BridgeError).code);
    expect(errors.length).toBeGreaterThan(0);
    expect(new Set(errors)).toEqual(new Set(["terminal_crashed"]));
    expect(client.alive).toBe(false);
    expect((await failure(client.request("ping", {}))).code).toBe("terminal_crashed");
  });

  it("times out a request to a terminal that stops answering", async () => {
    const client = await bridge({ RAWJOURNAL_SIM_SCENARIO: "crash", RAWJOURNAL_SIM_CRASH: JSON.stringify({ mode: "hang", after_calls: 3 }) });
    await client.request("login", { login: 51000001, password: "inv-51000001!", server: "RawBroker-Demo" });
    const hung = await failure(client.request("positions", {}, 500).then(() => client.request("deals", { from: 0, to: 4_000_000_000 }, 500)));
    expect(hung.code).toBe("timeout");
    client.kill();
  });
});
