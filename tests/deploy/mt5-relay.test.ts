// The MT5 worker's split across containers, run here without Docker or Wine:
// deploy/mt5-worker/bridge_server.py serves the real mt5/bridge (on the
// simulator instead of `wine python.exe`) over TCP, and the jobs process's
// BridgeClient spawns deploy/mt5-worker/remote-bridge.mjs as its "python", as
// the jobs container does in production (MT5_PYTHON).
import path from "node:path";
import net from "node:net";
import { execa, type ResultPromise } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BridgeClient, BridgeError } from "../../jobs/mt5/bridge-client.ts";
import { freePort } from "../../supabase/local/free-port.ts";
import { REPO_ROOT } from "./env-readers.ts";

const PYTHON = process.env.PYTHON ?? "python3";
const SERVER = path.join(REPO_ROOT, "deploy/mt5-worker/bridge_server.py");
const RELAY = path.join(REPO_ROOT, "deploy/mt5-worker/remote-bridge.mjs");
const MAX_BRIDGES = 2;

let server: ResultPromise;
let port: number;
let healthPort: number;
const serverLog: string[] = [];

async function listening(onPort: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: "127.0.0.1", port: onPort }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`bridge_server.py did not listen on ${onPort}:\n${serverLog.join("\n")}`);
}

beforeAll(async () => {
  port = await freePort();
  healthPort = await freePort();
  server = execa(PYTHON, [SERVER], {
    cwd: REPO_ROOT,
    env: {
      MT5_WORKER_HOST: "127.0.0.1",
      MT5_WORKER_PORT: String(port),
      MT5_WORKER_HEALTH_PORT: String(healthPort),
      MT5_WORKER_MAX_BRIDGES: String(MAX_BRIDGES),
      MT5_BRIDGE_COMMAND: `${PYTHON} ${path.join(REPO_ROOT, "mt5/bridge")}`,
      // Each slot gets its own terminal path (the simulator accepts and ignores it).
      MT5_TERMINAL_PATH_TEMPLATE: "C:\\mt5-{slot}\\terminal64.exe",
      RAWJOURNAL_MT5_MODULE: "simulator",
      RAWJOURNAL_SIM_SCENARIO: "default",
      RAWJOURNAL_SIM_SPEED: "0",
      RAWJOURNAL_SIM_LATENCY_SCALE: "0",
      PYTHONDONTWRITEBYTECODE: "1",
    },
    reject: false,
  });
  server.stderr?.on("data", (chunk: Buffer) => serverLog.push(chunk.toString()));
  await listening(port);
  await listening(healthPort);
});

afterAll(async () => {
  server.kill("SIGTERM");
  await server;
});

function remoteBridge(): Promise<BridgeClient> {
  return BridgeClient.start({
    python: RELAY,
    env: { RAWJOURNAL_MT5_WORKER_ADDRESS: `127.0.0.1:${port}` },
    defaultTimeoutMs: 10_000,
  });
}

async function health(): Promise<string> {
  const result = await execa(PYTHON, [SERVER, "--check"], { env: { MT5_WORKER_HEALTH_PORT: String(healthPort) }, reject: false });
  return `${result.exitCode} ${result.stdout.trim()}`;
}

describe("MT5 worker over TCP", () => {
  it("carries the bridge protocol: hello, login with the investor password, reads, shutdown", async () => {
    const client = await remoteBridge();
    try {
      expect(client.isSimulator).toBe(true);
      const login = await client.request("login", { login: 51000001, password: "inv-51000001!", server: "RawBroker-Demo" });
      expect(login).toMatchObject({ login: 51000001, trade_allowed: false });
      const deals = await client.request("deals", { from: 0, to: 4_000_000_000 });
      expect(Array.isArray(deals)).toBe(true);
      expect(await health()).toBe("0 ok 1/2");
    } finally {
      await client.stop(5_000);
    }
    // The bridge exited with the connection: its slot is free again.
    for (let attempt = 0; attempt < 50 && (await health()) !== "0 ok 0/2"; attempt++) await new Promise((r) => setTimeout(r, 100));
    expect(await health()).toBe("0 ok 0/2");
  });

  it("refuses a connection beyond MT5_WORKER_MAX_BRIDGES, which the jobs side sees as a bridge that did not start", async () => {
    const first = await remoteBridge();
    const second = await remoteBridge();
    try {
      const refused = await remoteBridge().then(
        async (unexpected) => {
          await unexpected.stop(1_000);
          return null;
        },
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(BridgeError);
      expect(serverLog.join("")).toMatch(/refused a connection, all 2 bridges busy/);
    } finally {
      await Promise.all([first.stop(5_000), second.stop(5_000)]);
    }
  });

  it("ends the worker's bridge when the jobs side kills its relay (a hung terminal)", async () => {
    const client = await remoteBridge();
    expect(await health()).toMatch(/^0 ok [12]\/2$/);
    client.kill();
    for (let attempt = 0; attempt < 100 && (await health()) !== "0 ok 0/2"; attempt++) await new Promise((r) => setTimeout(r, 100));
    expect(await health()).toBe("0 ok 0/2");
  });

  it("fails its healthcheck when nothing listens", async () => {
    const result = await execa(PYTHON, [SERVER, "--check"], { env: { MT5_WORKER_HEALTH_PORT: String(await freePort()) }, reject: false });
    expect(result.exitCode).toBe(1);
  });
});
