// One log line per request, written when its answer has gone (or the client
// left): request id, method, path (never the query string, which can carry a
// reset code), the route's name, status, duration and the signed-in user's id
// (never an e-mail, a header or a body). A request slower than SLOW_REQUEST_MS
// is a warning naming its route; an answer of 500 or more is an error.
//
// The server entry (scripts/serve.ts) mounts this first; the request's facts
// ride on Remix's load context, so the route handler
// (./route-handler.server.ts) can add the user it signed in and the error
// report (./error-tracking.server.ts) can name the request.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "./logger.server.ts";
import { requestIdFrom } from "./request-id.ts";

export const SLOW_REQUEST_MS = 500;

/** What a request's log line says beyond method, path, status and duration; filled in while it is handled. */
export interface RequestLogFacts {
  requestId: string;
  route: string | null;
  userId: string | null;
}

const factsByRequest = new WeakMap<IncomingMessage, RequestLogFacts>();

/**
 * The facts of a request on its way into Remix (the load context), named by
 * its route: a static file never gets this far, so it names none.
 */
export function requestLogFactsOf(req: IncomingMessage, routeOf?: (pathname: string) => string | null): RequestLogFacts | undefined {
  const facts = factsByRequest.get(req);
  if (facts && routeOf) facts.route = routeOf(pathnameOf(req.url));
  return facts;
}

/** The facts on a loader's or action's load context, if the server entry put them there. */
export function requestLogFactsIn(context: unknown): RequestLogFacts | undefined {
  const facts = (context as { requestLog?: RequestLogFacts } | null | undefined)?.requestLog;
  return facts && typeof facts.requestId === "string" ? facts : undefined;
}

export interface RequestLoggingOptions {
  logger: Logger;
  /** Milliseconds, monotonic; tests pass their own clock. */
  now?: () => number;
  slowMs?: number;
  generateId?: () => string;
}

function pathnameOf(url: string | undefined): string {
  const path = url ?? "/";
  const query = path.indexOf("?");
  return query === -1 ? path : path.slice(0, query);
}

export function requestLogging({ logger, now = () => performance.now(), slowMs = SLOW_REQUEST_MS, generateId }: RequestLoggingOptions) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const started = now();
    const path = pathnameOf(req.url);
    const facts: RequestLogFacts = { requestId: requestIdFrom(req.headers["x-request-id"], generateId), route: null, userId: null };
    factsByRequest.set(req, facts);
    res.setHeader("X-Request-Id", facts.requestId);
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const durationMs = Math.round((now() - started) * 10) / 10;
      const line = {
        requestId: facts.requestId,
        method: req.method,
        path,
        route: facts.route,
        status: res.statusCode,
        durationMs,
        userId: facts.userId,
        ...(res.writableFinished ? {} : { aborted: true }),
      };
      if (res.statusCode >= 500) logger.error(line, `request failed: ${facts.route ?? path}`);
      else if (durationMs > slowMs) logger.warn({ ...line, slow: true }, `slow request: ${facts.route ?? path}`);
      else logger.info(line, "request");
    };
    res.once("finish", done);
    res.once("close", done);
    next();
  };
}
