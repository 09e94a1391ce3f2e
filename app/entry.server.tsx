// Server rendering, plus what every HTML and data response carries: security
// headers with a fresh CSP nonce for Remix's inline scripts.
import { randomBytes } from "node:crypto";
import type { EntryContext, HandleDataRequestFunction, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { createCoalescedStream } from "~/lib/coalesced-stream.server.ts";
import { env } from "~/lib/env.server.ts";
import { processLogger } from "~/lib/logger.server.ts";
import { NonceProvider } from "~/lib/nonce.tsx";
import { applySecurityHeaders } from "~/lib/security-headers.ts";
import { reportUnexpectedError } from "~/lib/unexpected-errors.server.ts";

const ABORT_DELAY = 5_000;
// @supabase/ssr's session cookie, whole or in chunks (sb-<ref>-auth-token.0, .1, …).
const SESSION_COOKIE = /(?:^|;\s*)sb-[^=;]+-auth-token(?:\.\d+)?=/;

/** A page or data answer for someone signed in is theirs alone: no browser or proxy keeps a copy. */
function keepPrivate(request: Request, headers: Headers): void {
  if (SESSION_COOKIE.test(request.headers.get("Cookie") ?? "")) headers.set("Cache-Control", "private, no-store");
}
const development = env.NODE_ENV === "development";

/**
 * Remix passes only Set-Cookie from loader and action answers on to the page;
 * a refused request's Retry-After (app/lib/rate-limit.ts) must reach it too.
 */
function carryRetryAfter(context: EntryContext, headers: Headers): void {
  const { actionHeaders, loaderHeaders } = context.staticHandlerContext;
  for (const answer of [...Object.values(actionHeaders ?? {}), ...Object.values(loaderHeaders ?? {})]) {
    const retryAfter = answer.get("Retry-After");
    if (retryAfter) headers.set("Retry-After", retryAfter);
  }
}

export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  const nonce = randomBytes(16).toString("base64");
  // Bots get the whole document at once; people get it streamed.
  const bot = isbot(request.headers.get("user-agent") ?? "");
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const onReady = () => {
      shellRendered = true;
      const body = createCoalescedStream();
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      applySecurityHeaders(responseHeaders, { request, nonce, supabaseUrl: env.SUPABASE_URL, development });
      keepPrivate(request, responseHeaders);
      carryRetryAfter(remixContext, responseHeaders);
      resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onShellReady: bot ? undefined : onReady,
        onAllReady: bot ? onReady : undefined,
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors before the shell is ready reject above; later ones are logged here.
          if (shellRendered) processLogger().error({ err: error, path: new URL(request.url).pathname }, "render failed after the shell was sent");
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

export const handleDataRequest: HandleDataRequestFunction = (response, { request }) => {
  applySecurityHeaders(response.headers, { request, supabaseUrl: env.SUPABASE_URL, development });
  keepPrivate(request, response.headers);
  return response;
};

/** Errors no loader, action or render answered for: logged, and sent to error tracking when configured. */
export const handleError: HandleErrorFunction = (error, args) => {
  void reportUnexpectedError(error, args);
};
