// The JSON logger (app/lib/logger.server.ts) and the per-request line
// (app/lib/request-logging.server.ts), with injected clocks: redaction, levels,
// request ids and the slow-request threshold.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { LevelWithSilent } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger, logLevelFrom, REDACTED } from "~/lib/logger.server.ts";
import { isSaneRequestId, requestIdFrom } from "~/lib/request-id.ts";
import { requestLogFactsOf, requestLogging, SLOW_REQUEST_MS } from "~/lib/request-logging.server.ts";

function capture(level: LevelWithSilent = "info") {
  const lines: string[] = [];
  const logger = createLogger({
    level,
    service: "web",
    now: () => Date.UTC(2026, 11, 7, 1, 2, 3),
    destination: { write: (chunk: string) => void lines.push(chunk) },
  });
  return { logger, lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("logger", () => {
  it("writes one JSON object per line with a text level, the service and an ISO time from its clock", () => {
    const { logger, lines, entries } = capture();
    logger.info({ requestId: "r-12345678" }, "request");
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith("\n")).toBe(true);
    expect(entries()[0]).toEqual({ level: "info", time: "2026-12-07T01:02:03.000Z", service: "web", requestId: "r-12345678", msg: "request" });
  });

  it("censors passwords, investor passwords, cookies, authorization, tokens and e-mail wherever a caller passes them", () => {
    const { logger, lines } = capture();
    const secrets = ["hunter2-password", "investor-secret-77", "sb-cookie-value", "Bearer eyJhbGciOi", "person@example.test", "refresh-abc"];
    logger.info({
      password: secrets[0],
      form: { investorPassword: secrets[1], investor_password: secrets[1] },
      req: { headers: { cookie: secrets[2], authorization: secrets[3] } },
      headers: { cookie: secrets[2], authorization: secrets[3], "set-cookie": secrets[2] },
      email: secrets[4],
      user: { email: secrets[4] },
      refresh_token: secrets[5],
    });
    const text = lines.join("");
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).toContain(REDACTED);
  });

  it("reduces an error to type, message, code and stack: a pg error's detail quotes row values", () => {
    const { logger, lines } = capture();
    const error = Object.assign(new Error("duplicate key value violates unique constraint"), {
      code: "23505",
      detail: "Key (email)=(owner@example.test) already exists.",
    });
    logger.error({ err: error }, "insert failed");
    const entry = JSON.parse(lines[0]!) as { err: Record<string, unknown> };
    expect(entry.err).toMatchObject({ type: "Error", message: "duplicate key value violates unique constraint", code: "23505" });
    expect(lines[0]).not.toContain("owner@example.test");
  });

  it("LOG_LEVEL: info by default, any pino level by name, anything else refused by name", () => {
    expect(logLevelFrom(undefined)).toBe("info");
    expect(logLevelFrom("")).toBe("info");
    expect(logLevelFrom(" Debug ")).toBe("debug");
    expect(() => logLevelFrom("verbose")).toThrow(/LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "verbose"/);
    const { logger, lines } = capture("warn");
    logger.info("hidden");
    logger.warn("shown");
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(["shown"]);
  });
});

describe("request ids", () => {
  it("takes a sane incoming id and replaces anything else with a new one", () => {
    const generate = () => "generated-id";
    expect(requestIdFrom("0f8fad5b-d9cb-469f-a165-70867728950e", generate)).toBe("0f8fad5b-d9cb-469f-a165-70867728950e");
    expect(requestIdFrom("Root=1-67891233-abcdef012345678912345678", generate)).toBe("Root=1-67891233-abcdef012345678912345678");
    for (const bad of [
      undefined,
      "",
      "short",
      "x".repeat(129),
      "id with spaces",
      "abc\ndef-ghij",
      "<script>alert(1)</script>",
      ["aaaaaaaa1", "bbbbbbbb2"],
    ]) {
      expect(requestIdFrom(bad, generate)).toBe("generated-id");
    }
    expect(isSaneRequestId(requestIdFrom(undefined))).toBe(true);
  });
});

describe("request log lines", () => {
  let server: http.Server | null = null;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    server = null;
  });

  /** A server whose handler takes `tookMs` on a fake clock and answers `status`; the route handler's facts filled in as Remix would. */
  async function serve(tookMs: number, status = 200) {
    const { logger, entries } = capture();
    let clock = 1_000;
    const log = requestLogging({ logger, now: () => clock, generateId: () => "generated-request-id" });
    server = http.createServer((req, res) => {
      log(req, res, () => {
        const facts = requestLogFactsOf(req, () => "routes/_app.trades.$tradeId")!;
        facts.userId = "7d1c0e4a-0000-4000-8000-000000000001";
        clock += tookMs;
        res.statusCode = status;
        res.end("ok");
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { url, entries };
  }

  async function settle(entries: () => unknown[]) {
    for (let i = 0; i < 50 && entries().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  }

  it("logs id, method, path without its query, route, status, duration and user; echoes a sane incoming id", async () => {
    const { url, entries } = await serve(42);
    const response = await fetch(`${url}/trades/abc?code=reset-secret`, { headers: { "X-Request-Id": "proxy-given-id-0001" } });
    expect(response.headers.get("x-request-id")).toBe("proxy-given-id-0001");
    await settle(entries);
    expect(entries()).toEqual([
      {
        level: "info",
        time: "2026-12-07T01:02:03.000Z",
        service: "web",
        requestId: "proxy-given-id-0001",
        method: "GET",
        path: "/trades/abc",
        route: "routes/_app.trades.$tradeId",
        status: 200,
        durationMs: 42,
        userId: "7d1c0e4a-0000-4000-8000-000000000001",
        msg: "request",
      },
    ]);
  });

  it("answers an insane incoming id with a new one", async () => {
    const { url, entries } = await serve(1);
    const response = await fetch(url, { headers: { "X-Request-Id": "<b>not an id</b>" } });
    expect(response.headers.get("x-request-id")).toBe("generated-request-id");
    await settle(entries);
    expect(entries()[0]).toMatchObject({ requestId: "generated-request-id" });
  });

  it(`a request over ${SLOW_REQUEST_MS} ms is a warning naming its route; one of exactly ${SLOW_REQUEST_MS} ms is not`, async () => {
    const slow = await serve(SLOW_REQUEST_MS + 1);
    await fetch(`${slow.url}/trades/abc`);
    await settle(slow.entries);
    expect(slow.entries()[0]).toMatchObject({ level: "warn", slow: true, durationMs: 501, msg: "slow request: routes/_app.trades.$tradeId" });
    await new Promise((resolve) => server?.close(resolve));
    const onTime = await serve(SLOW_REQUEST_MS);
    await fetch(`${onTime.url}/trades/abc`);
    await settle(onTime.entries);
    expect(onTime.entries()[0]).toMatchObject({ level: "info", durationMs: 500, msg: "request" });
  });

  it("an answer of 500 or more is an error line", async () => {
    const { url, entries } = await serve(3, 503);
    await fetch(url);
    await settle(entries);
    expect(entries()[0]).toMatchObject({ level: "error", status: 503, msg: "request failed: routes/_app.trades.$tradeId" });
  });
});
