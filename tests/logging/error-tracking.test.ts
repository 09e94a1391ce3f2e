// The error-tracking hook (app/lib/error-tracking.server.ts,
// app/lib/unexpected-errors.server.ts): off unless SENTRY_DSN is set, and then
// one Sentry envelope per unexpected error to a local receiver, naming the
// request and user but carrying no headers, cookies or e-mail.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createErrorTracker, errorTrackerFrom, parseDsn } from "~/lib/error-tracking.server.ts";
import { createLogger } from "~/lib/logger.server.ts";
import { reportUnexpectedError } from "~/lib/unexpected-errors.server.ts";
import { startSentryReceiver } from "../support/sentry-receiver.ts";

function quietLogger() {
  const lines: string[] = [];
  return { logger: createLogger({ destination: { write: (chunk: string) => void lines.push(chunk) } }), lines };
}

const request = () =>
  new Request("http://localhost/trades/abc?token=reset-secret", {
    headers: { Cookie: "sb-x-auth-token=cookie-secret", Authorization: "Bearer header-secret" },
  });
const context = { requestLog: { requestId: "req-abcdef123", route: "routes/_app.trades.$tradeId", userId: "7d1c0e4a-0000-4000-8000-000000000001" } };

afterEach(() => {
  vi.restoreAllMocks();
});

describe("error tracking", () => {
  it("is off by default: no SENTRY_DSN, no tracker, and an unexpected error is logged without any network call", async () => {
    expect(errorTrackerFrom({})).toBeNull();
    expect(errorTrackerFrom({ SENTRY_DSN: "  " })).toBeNull();
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const { logger, lines } = quietLogger();
    await reportUnexpectedError(new Error("loader broke"), { request: request(), context }, { logger, tracker: errorTrackerFrom({}, logger) });
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: "error",
      msg: "unhandled error",
      requestId: "req-abcdef123",
      err: { message: "loader broke" },
    });
  });

  it("reads a Sentry DSN, refusing a malformed one by name", () => {
    expect(parseDsn("https://abc123@o1.ingest.sentry.io/4507")).toEqual({
      envelopeUrl: "https://o1.ingest.sentry.io/api/4507/envelope/",
      publicKey: "abc123",
    });
    expect(parseDsn("http://key@127.0.0.1:9000/glitchtip/12")).toEqual({
      envelopeUrl: "http://127.0.0.1:9000/glitchtip/api/12/envelope/",
      publicKey: "key",
    });
    expect(() => parseDsn("not a url")).toThrow(/SENTRY_DSN/);
    expect(() => parseDsn("https://o1.ingest.sentry.io/4507")).toThrow(/SENTRY_DSN must look like/);
  });

  it("configured, sends one envelope per unexpected error with the request's id, route, path and user, and no secrets", async () => {
    const receiver = await startSentryReceiver();
    try {
      const { logger } = quietLogger();
      const tracker = errorTrackerFrom({ SENTRY_DSN: receiver.dsnFor("42") }, logger);
      expect(tracker).not.toBeNull();
      await reportUnexpectedError(new TypeError("cannot read the trade"), { request: request(), context }, { logger, tracker });
      expect(receiver.received).toHaveLength(1);
      const [sent] = receiver.received;
      expect(sent!.url).toBe("/api/42/envelope/");
      expect(sent!.headers["x-sentry-auth"]).toMatch(/sentry_key=public-key-1/);
      const [header, item, event] = sent!.body
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(item).toEqual({ type: "event" });
      expect(event).toMatchObject({
        event_id: (header as { event_id: string }).event_id,
        level: "error",
        platform: "node",
        exception: { values: [{ type: "TypeError", value: "cannot read the trade" }] },
        tags: { route: "routes/_app.trades.$tradeId", request_id: "req-abcdef123" },
        user: { id: "7d1c0e4a-0000-4000-8000-000000000001" },
        request: { method: "GET", url: "/trades/abc" },
      });
      expect(sent!.body).not.toMatch(/reset-secret|cookie-secret|header-secret/);
    } finally {
      await receiver.close();
    }
  });

  it("a 404 Remix raises itself is not an error event; an unreachable service is a warning, never a throw", async () => {
    const { logger, lines } = quietLogger();
    const capture = vi.fn(async () => {});
    // The shape of the ErrorResponse Remix throws for a URL no route matches.
    const notFound = { status: 404, statusText: "Not Found", internal: true, data: null, error: new Error('No route matches URL "/x"') };
    await reportUnexpectedError(notFound, { request: request(), context }, { logger, tracker: { capture } });
    expect(capture).not.toHaveBeenCalled();
    const unreachable = createErrorTracker({ dsn: "http://k@127.0.0.1:1/1", logger, timeoutMs: 1_000 });
    await expect(unreachable.capture({ error: new Error("x") })).resolves.toBeUndefined();
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toContain("error tracking could not be reached");
  });
});
