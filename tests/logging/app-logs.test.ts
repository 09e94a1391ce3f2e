// The structured logs of the real app server (scripts/serve.ts on the built
// app), read from its stdout: one JSON line per request with id, route,
// status, duration and user id; no password, investor password, cookie,
// Authorization header or e-mail in any line, even at LOG_LEVEL=debug; and an
// unhandled loader error reaching the error-tracking hook (SENTRY_DSN pointed
// at a local receiver).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createConfirmedUser, startAppForTests, type AppUnderTest } from "../support/app-server.ts";
import { cookiesOf, send } from "../support/http-client.ts";
import { startSentryReceiver, type SentryReceiver } from "../support/sentry-receiver.ts";

vi.setConfig({ testTimeout: 60_000 });

let app: AppUnderTest;
let receiver: SentryReceiver;

beforeAll(async () => {
  receiver = await startSentryReceiver();
  app = await startAppForTests({ env: { LOG_LEVEL: "debug", SENTRY_DSN: receiver.dsnFor("7") } });
}, 90_000);

afterAll(async () => {
  await receiver?.close();
});

type Line = Record<string, unknown>;

function logLines(): Line[] {
  return app
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Line);
}

/** The request line with this id, once the server has written it (it writes when the answer is done). */
async function requestLine(requestId: string): Promise<Line> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const line = logLines().find((entry) => entry.requestId === requestId && "status" in entry);
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`no request line for ${requestId} in:\n${app.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function signIn(user: { email: string; password: string }, requestId: string): Promise<string> {
  const answer = await send(`${app.url}/login?index`, { method: "POST", form: user, headers: { origin: app.url, "x-request-id": requestId } });
  expect(answer.status).toBe(302);
  return cookiesOf(answer);
}

describe("app server logs", () => {
  it("one JSON line per request: the request id (a sane incoming one kept and echoed), route, status, duration and user id", async () => {
    const user = await createConfirmedUser(app);
    const cookie = await signIn(user, "sign-in-request-0001");
    const page = await send(`${app.url}/dashboard`, { headers: { cookie, "x-request-id": "dashboard-request-0001" } });
    expect(page.status).toBe(200);
    expect(page.headers["x-request-id"]).toBe("dashboard-request-0001");
    expect(await requestLine("dashboard-request-0001")).toMatchObject({
      level: "info",
      service: "web",
      method: "GET",
      path: "/dashboard",
      route: "routes/_app.dashboard",
      status: 200,
      durationMs: expect.any(Number),
      userId: user.id,
      msg: "request",
    });
    const data = await send(`${app.url}/trades.data`, { headers: { cookie } });
    const dataId = data.headers["x-request-id"] as string;
    expect(await requestLine(dataId)).toMatchObject({ route: "routes/_app.trades._index", path: "/trades.data", userId: user.id });

    const refused = await send(`${app.url}/login`, { headers: { "x-request-id": "not a sane id <script>" } });
    const generated = refused.headers["x-request-id"] as string;
    expect(generated).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await requestLine(generated)).toMatchObject({ route: "routes/_auth.login", status: 200, userId: null });
    expect(app.output()).not.toContain("not a sane id");
  });

  it("no password form field, investor password, cookie, Authorization header or e-mail appears in any line", async () => {
    const user = await createConfirmedUser(app, { password: "login-password-Zq81-unique" });
    const cookie = await signIn(user, "redaction-sign-in-0001");
    const authorization = "Bearer authorization-token-Xy72-unique";
    const investorPassword = "investor-password-Qp33-unique";
    const connect = await send(`${app.url}/accounts/connect`, {
      method: "POST",
      form: { server: "ICMarketsSC-Demo", login: "51234567", investorPassword, name: "Logged account", serverTimeZone: "" },
      headers: { origin: app.url, cookie, authorization, "x-request-id": "redaction-connect-0001" },
    });
    expect(connect.status).toBeLessThan(500);
    const page = await send(`${app.url}/dashboard`, { headers: { cookie, authorization, "x-request-id": "redaction-page-0001" } });
    expect(page.status).toBe(200);
    expect(await requestLine("redaction-sign-in-0001")).toMatchObject({ method: "POST", route: "routes/_auth.login", status: 302 });
    expect(await requestLine("redaction-connect-0001")).toMatchObject({ method: "POST", route: "routes/_app.accounts.connect", userId: user.id });
    expect(await requestLine("redaction-page-0001")).toMatchObject({ userId: user.id });

    const output = app.output();
    const cookieValues = cookie.split("; ").map((pair) => pair.slice(pair.indexOf("=") + 1));
    for (const secret of [user.password, investorPassword, "authorization-token-Xy72-unique", user.email, ...cookieValues]) {
      expect(output).not.toContain(secret);
    }
    expect(output).not.toMatch(/"(cookie|authorization|password|investorPassword|email)":"(?!\[redacted\])/i);
  });

  it("an unhandled loader error is an error line and reaches the error-tracking hook, named by request, route and user", async () => {
    const user = await createConfirmedUser(app);
    const cookie = await signIn(user, "hook-sign-in-0001");
    // A real failure the dashboard's loader does not expect: its table is gone.
    await app.db.pool.query("alter table public.accounts rename to accounts_hidden_by_test");
    try {
      const page = await send(`${app.url}/dashboard`, { headers: { cookie, "x-request-id": "hook-request-0001" } });
      expect(page.status).toBe(500);
    } finally {
      await app.db.pool.query("alter table public.accounts_hidden_by_test rename to accounts");
    }
    expect(await requestLine("hook-request-0001")).toMatchObject({ level: "error", status: 500, route: "routes/_app.dashboard", userId: user.id });
    expect(logLines()).toContainEqual(
      expect.objectContaining({
        level: "error",
        msg: "unhandled error",
        requestId: "hook-request-0001",
        err: expect.objectContaining({ message: expect.stringMatching(/accounts/) }),
      }),
    );

    const deadline = Date.now() + 5_000;
    while (!receiver.events().some((event) => (event.tags as Record<string, string> | undefined)?.request_id === "hook-request-0001")) {
      if (Date.now() > deadline) throw new Error(`no event reached the receiver; received ${receiver.received.length}:\n${app.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const event = receiver.events().find((e) => (e.tags as Record<string, string>).request_id === "hook-request-0001")!;
    expect(event).toMatchObject({
      level: "error",
      exception: { values: [expect.objectContaining({ value: expect.stringMatching(/accounts/) })] },
      tags: { route: "routes/_app.dashboard", request_id: "hook-request-0001" },
      user: { id: user.id },
      request: { method: "GET", url: "/dashboard" },
    });
    expect(receiver.received[0]!.url).toBe("/api/7/envelope/");
    const sent = receiver.received.map((envelope) => envelope.body).join("\n");
    expect(sent).not.toContain(user.email);
    for (const value of cookie.split("; ").map((pair) => pair.slice(pair.indexOf("=") + 1))) expect(sent).not.toContain(value);
  });
});
