// The error-tracking hook: an unexpected error (a loader, action or render
// that threw something other than an answer) goes to a Sentry-compatible
// service (Sentry, GlitchTip, Bugsink…) when SENTRY_DSN is set, as one event
// in Sentry's envelope format over plain HTTP. Off by default: with no DSN no
// tracker exists, so nothing is ever sent anywhere. An event names the
// request (id, method, path, route) and the user's id, and carries the
// error's type, message and stack: never headers, cookies, bodies or e-mail.
import { randomUUID } from "node:crypto";
import type { Logger } from "./logger.server.ts";

export interface ErrorReport {
  error: unknown;
  requestId?: string;
  method?: string;
  /** Path only, without the query string. */
  path?: string;
  route?: string | null;
  userId?: string | null;
}

export interface ErrorTracker {
  /** Sends one event; resolves when the service answered or gave up (never rejects). */
  capture(report: ErrorReport): Promise<void>;
}

export interface ParsedDsn {
  envelopeUrl: string;
  publicKey: string;
}

/** Sentry's DSN: PROTOCOL://PUBLIC_KEY@HOST[:PORT][/PATH]/PROJECT_ID. */
export function parseDsn(dsn: string): ParsedDsn {
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    throw new Error("SENTRY_DSN is not a URL; it looks like https://PUBLIC_KEY@HOST/PROJECT_ID");
  }
  const segments = url.pathname.split("/").filter(Boolean);
  const projectId = segments.pop();
  if ((url.protocol !== "https:" && url.protocol !== "http:") || !url.username || !projectId) {
    throw new Error("SENTRY_DSN must look like https://PUBLIC_KEY@HOST/PROJECT_ID");
  }
  const prefix = segments.length ? `/${segments.join("/")}` : "";
  return { envelopeUrl: `${url.protocol}//${url.host}${prefix}/api/${projectId}/envelope/`, publicKey: decodeURIComponent(url.username) };
}

interface Frame {
  function?: string;
  filename?: string;
  lineno?: number;
  colno?: number;
}

/** V8 stack lines as Sentry frames, oldest call first (Sentry's order). */
function framesOf(stack: string | undefined): Frame[] {
  if (!stack) return [];
  const frames: Frame[] = [];
  for (const line of stack.split("\n").slice(1)) {
    const match = /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/.exec(line);
    if (match) frames.push({ function: match[1] ?? "<anonymous>", filename: match[2], lineno: Number(match[3]), colno: Number(match[4]) });
  }
  return frames.reverse();
}

export interface ErrorTrackerOptions {
  dsn: string;
  logger?: Logger;
  fetch?: typeof globalThis.fetch;
  /** Epoch milliseconds. */
  now?: () => number;
  environment?: string;
  timeoutMs?: number;
}

export function createErrorTracker({
  dsn,
  logger,
  fetch = globalThis.fetch,
  now = Date.now,
  environment,
  timeoutMs = 3_000,
}: ErrorTrackerOptions): ErrorTracker {
  const { envelopeUrl, publicKey } = parseDsn(dsn);
  return {
    async capture(report) {
      const error = report.error instanceof Error ? report.error : new Error(String(report.error));
      const eventId = randomUUID().replaceAll("-", "");
      const sentAt = new Date(now()).toISOString();
      const event = {
        event_id: eventId,
        timestamp: now() / 1000,
        platform: "node",
        level: "error",
        logger: "rawjournal",
        ...(environment ? { environment } : {}),
        exception: { values: [{ type: error.name, value: error.message, stacktrace: { frames: framesOf(error.stack) } }] },
        tags: { ...(report.route ? { route: report.route } : {}), ...(report.requestId ? { request_id: report.requestId } : {}) },
        ...(report.userId ? { user: { id: report.userId } } : {}),
        ...(report.method || report.path ? { request: { method: report.method, url: report.path } } : {}),
      };
      const body = `${JSON.stringify({ event_id: eventId, sent_at: sentAt })}\n${JSON.stringify({ type: "event" })}\n${JSON.stringify(event)}\n`;
      try {
        const response = await fetch(envelopeUrl, {
          method: "POST",
          headers: {
            "Content-Type": "application/x-sentry-envelope",
            "X-Sentry-Auth": `Sentry sentry_version=7, sentry_client=rawjournal/1, sentry_key=${publicKey}`,
          },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.arrayBuffer().catch(() => {});
        if (!response.ok) logger?.warn({ status: response.status, eventId }, "error tracking refused an event");
      } catch (failure) {
        logger?.warn({ err: failure, eventId }, "error tracking could not be reached");
      }
    },
  };
}

/** The tracker SENTRY_DSN configures, or null (the default): then nothing is sent. */
export function errorTrackerFrom(environment: Record<string, string | undefined>, logger?: Logger): ErrorTracker | null {
  const dsn = environment.SENTRY_DSN?.trim();
  if (!dsn) return null;
  return createErrorTracker({ dsn, logger, environment: environment.NODE_ENV });
}

declare global {
  var __rawjournalErrorTracker: ErrorTracker | null | undefined;
}

/** The process's tracker, read from the environment once. */
export function processErrorTracker(logger?: Logger): ErrorTracker | null {
  if (globalThis.__rawjournalErrorTracker === undefined) globalThis.__rawjournalErrorTracker = errorTrackerFrom(process.env, logger);
  return globalThis.__rawjournalErrorTracker;
}
