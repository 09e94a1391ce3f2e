// Several web processes on one port (WEB_CONCURRENCY, docs/decisions/022),
// over real HTTP: the server entry (scripts/serve.ts) with 2 workers on this
// file's database and local Supabase. Which worker served a request is read
// from its request log line (each worker's lines carry its workerId), found by
// the X-Request-Id the test sends. Each request opens its own connection: the
// primary hands connections, not requests, to the workers in turn.
import path from "node:path";
import { execa, type ResultPromise } from "execa";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { REPO_ROOT } from "../../supabase/local/database.ts";
import { serverBuildPath, startAppForTests, type AppUnderTest } from "../support/app-server.ts";
import { freePort } from "../support/local-supabase.ts";
import { send, type Answer } from "../support/http-client.ts";

vi.setConfig({ testTimeout: 60_000 });

interface LogLine {
  msg?: string;
  workerId?: number;
  pid?: number;
  deadPid?: number;
  requestId?: string;
  status?: number;
}

let app: AppUnderTest;
let server: ResultPromise;
let url: string;
let output = "";
let requestCount = 0;

const logLines = (): LogLine[] =>
  output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogLine);

/** The live workers' pids by worker id, from their "listening" lines (a replaced worker's pid excluded once it is gone). */
const listening = (): LogLine[] => logLines().filter((line) => line.msg === "listening");

/** One request on a connection of its own; returns the answer and the id of the worker whose log line names it. */
async function served(pathname: string, options: Parameters<typeof send>[1] = {}): Promise<{ answer: Answer; workerId: number }> {
  const requestId = `web-workers-${process.pid}-${++requestCount}`;
  const answer = await send(`${url}${pathname}`, { ...options, headers: { ...options.headers, "x-request-id": requestId, connection: "close" } });
  for (let i = 0; i < 50; i++) {
    const line = logLines().find((l) => l.requestId === requestId);
    if (line?.workerId) return { answer, workerId: line.workerId };
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no log line with a workerId for ${requestId}:\n${output.slice(-2000)}`);
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms:\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  app = await startAppForTests();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  server = execa(process.execPath, [path.join(REPO_ROOT, "scripts/serve.ts"), serverBuildPath()], {
    cwd: REPO_ROOT,
    env: {
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      SITE_URL: app.url,
      SUPABASE_URL: app.supabase.url,
      SUPABASE_ANON_KEY: app.supabase.anonKey,
      SUPABASE_JWT_SECRET: app.supabase.jwtSecret!,
      APP_DATABASE_URL: app.db.webUrl,
      WEB_CONCURRENCY: "2",
    },
    extendEnv: true,
    reject: false,
    all: true,
  });
  server.all!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  afterAll(async () => {
    server.kill("SIGKILL");
    await server;
  });
  await waitFor(() => listening().length === 2, "both workers did not listen", 60_000);
}, 90_000);

describe("WEB_CONCURRENCY=2", () => {
  it("serves from both workers, /healthz and /readyz included", async () => {
    const workers = new Set<number>();
    for (const pathname of ["/healthz", "/readyz", "/login", "/healthz", "/readyz", "/login"]) {
      const { answer, workerId } = await served(pathname);
      workers.add(workerId);
      if (pathname !== "/readyz") {
        expect(answer.status, `${pathname}: ${answer.body}`).toBe(200);
        continue;
      }
      // No jobs process runs here, so not ready (503); but every worker reaches the database and sees the migrations.
      const ready = JSON.parse(answer.body) as { checks: { database: { ok: boolean }; migrations: { ok: boolean } } };
      expect(ready.checks.database.ok).toBe(true);
      expect(ready.checks.migrations.ok).toBe(true);
    }
    expect([...workers].sort()).toEqual([1, 2]);
  });

  it("a client keeping its connection alive stays on one worker (so an import's steps meet their kept parse)", async () => {
    const workers = new Set<number>();
    for (let i = 0; i < 4; i++) {
      const requestId = `web-workers-${process.pid}-alive-${i}`;
      // Node's fetch keeps the connection alive between requests, as a browser does.
      expect((await fetch(`${url}/healthz`, { headers: { "x-request-id": requestId } })).status).toBe(200);
      await waitFor(() => logLines().some((line) => line.requestId === requestId), "no log line for the request");
      workers.add(logLines().find((line) => line.requestId === requestId)!.workerId!);
    }
    expect(workers.size).toBe(1);
  });

  it("two workers share one rate limit: the fourth sign-in from one address is refused, whichever worker takes it", async () => {
    await app.db.pool.query("update public.rate_limit_rules set max_hits = 3, window_seconds = 3600 where name = 'sign-in-address'");
    try {
      const answers = [];
      for (let i = 0; i < 4; i++) {
        answers.push(
          await served("/login?index", {
            method: "POST",
            from: "127.0.0.21",
            form: { email: "nobody@example.test", password: "wrong-password" },
            headers: { origin: url },
          }),
        );
      }
      expect(answers.map((a) => a.answer.status)).toEqual([401, 401, 401, 429]);
      expect(new Set(answers.map((a) => a.workerId)).size).toBe(2);
      expect(Number(answers[3]!.answer.headers["retry-after"])).toBeGreaterThan(0);
    } finally {
      await app.db.pool.query("update public.rate_limit_rules set max_hits = 20, window_seconds = 60 where name = 'sign-in-address'");
    }
  });

  it("replaces a killed worker and keeps answering meanwhile", async () => {
    const before = listening();
    const victim = before.find((line) => line.workerId === 1)!;
    process.kill(victim.pid!, "SIGKILL");
    // A connection the primary hands to a worker at the instant it dies is lost with it (docs/decisions/022);
    // once the primary has seen the death, the other worker takes every connection while the replacement starts.
    await waitFor(
      () => logLines().some((line) => line.msg === "a web worker died; replacing it" && line.deadPid === victim.pid),
      "the death went unseen",
    );
    for (let i = 0; i < 3; i++) expect((await served("/healthz")).answer.status).toBe(200);
    await waitFor(() => listening().length === 3, "no replacement worker listened");
    const replacement = listening()[2]!;
    expect(replacement.workerId).toBe(3);
    expect(replacement.pid).not.toBe(victim.pid);
    const workers = new Set<number>();
    for (let i = 0; i < 4; i++) workers.add((await served("/healthz")).workerId);
    expect([...workers].sort()).toEqual([2, 3]);
  });

  it("SIGTERM lets a request in flight finish, then every process exits 0", async () => {
    const pids = listening()
      .filter((line) => line.workerId !== 1)
      .map((line) => line.pid!);
    // A sign-in form post takes the database and Auth round trips: in flight when the signal lands.
    const inFlight = send(`${url}/login?index`, {
      method: "POST",
      from: "127.0.0.22",
      form: { email: "nobody@example.test", password: "wrong-password" },
      headers: { origin: url, connection: "close" },
    });
    await new Promise((r) => setTimeout(r, 5));
    // Not execa's kill, which sends SIGKILL 5 s later.
    process.kill(server.pid!, "SIGTERM");
    expect((await inFlight).status).toBe(401);
    const started = Date.now();
    const result = await server;
    // Well inside a container's stop grace period (10 s), idle database connections notwithstanding.
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(result.exitCode, output.slice(-2000)).toBe(0);
    expect(output).toContain("every web worker has stopped");
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});

describe("a configuration no worker can start with", () => {
  it("stops the primary with exit 1 instead of forking workers in a loop", async () => {
    const started = Date.now();
    const result = await execa(process.execPath, [path.join(REPO_ROOT, "scripts/serve.ts"), serverBuildPath()], {
      cwd: REPO_ROOT,
      // No SUPABASE_URL or database: every worker dies loading the app.
      env: {
        NODE_ENV: "production",
        PORT: String(await freePort()),
        HOST: "127.0.0.1",
        WEB_CONCURRENCY: "2",
        SUPABASE_URL: "",
        APP_DATABASE_URL: "",
      },
      extendEnv: true,
      reject: false,
      all: true,
      timeout: 30_000,
    });
    expect(result.exitCode, result.all).toBe(1);
    expect(result.all).toContain("a web worker died before any listened; stopping");
    expect(result.all!.match(/"msg":"listening"/g)).toBeNull();
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
