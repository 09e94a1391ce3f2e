// What happens to an error nobody answered for (Remix's handleError, in
// app/entry.server.tsx): a loader, action or render that threw something other
// than a Response or an AppError (those are answers, made in
// ./route-handler.server.ts). It becomes one error line in the log, with the
// request's id, route and user, and an event for the error-tracking hook
// when one is configured. A 4xx Remix raises itself (no such route, no
// action) is routine and only noted.
import { isRouteErrorResponse } from "@remix-run/router";
import { processErrorTracker, type ErrorTracker } from "./error-tracking.server.ts";
import { processLogger, type Logger } from "./logger.server.ts";
import { requestLogFactsIn } from "./request-logging.server.ts";

export interface UnexpectedErrorOptions {
  logger?: Logger;
  tracker?: ErrorTracker | null;
}

/** Logs the error and hands it to the tracker; the promise settles when the tracker is done (tests wait for it). */
export function reportUnexpectedError(
  thrown: unknown,
  { request, context }: { request: Request; context: unknown },
  { logger = processLogger(), tracker = processErrorTracker(logger) }: UnexpectedErrorOptions = {},
): Promise<void> {
  // The client went away mid-request: its loaders were aborted, nothing failed.
  if (request.signal.aborted) return Promise.resolve();
  const facts = requestLogFactsIn(context);
  const url = new URL(request.url);
  const where = {
    requestId: facts?.requestId,
    method: request.method,
    path: url.pathname,
    route: facts?.route ?? null,
    userId: facts?.userId ?? null,
  };
  if (isRouteErrorResponse(thrown) && thrown.status < 500) {
    logger.info({ ...where, status: thrown.status }, `refused: ${thrown.statusText || thrown.status}`);
    return Promise.resolve();
  }
  const error = isRouteErrorResponse(thrown) ? ((thrown as { error?: unknown }).error ?? new Error(`${thrown.status} ${thrown.statusText}`)) : thrown;
  logger.error({ ...where, err: error }, "unhandled error");
  return tracker ? tracker.capture({ error, ...where }) : Promise.resolve();
}
