// The production web server (`npm run serve`): Remix's Express adapter, as
// remix-serve runs it, plus what remix-serve cannot do:
//  - every request carries the socket's peer address, the only client address
//    nobody can forge, in a header it overwrites (app/lib/socket-address-header.ts);
//    the rate limits read it through app/lib/client-address.server.ts;
//  - a cross-site form post reaches the app's own origin check and its 403
//    page, instead of Remix's built-in check answering an empty HTTP 500;
//  - every request gets an id (X-Request-Id) and one JSON log line
//    (app/lib/request-logging.server.ts), its facts on the load context.
//
//   npm run serve    (node WEB_NODE_ARGS scripts/serve.ts build/index.js; PORT, HOST as for remix-serve)
//
// WEB_CONCURRENCY (1 when unset) above 1 runs that many of these processes on
// the one port under a node:cluster primary (scripts/web-cluster.ts,
// docs/decisions/022); each worker's log lines carry its `workerId`.
import cluster from "node:cluster";
import path from "node:path";
import zlib from "node:zlib";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { installGlobals, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type Request as ExpressRequest } from "express";
import { processLogger } from "../app/lib/logger.server.ts";
import { requestLogFactsOf, requestLogging } from "../app/lib/request-logging.server.ts";
import { routeNamer } from "../app/lib/route-names.ts";
import { markServedByServerEntry, SOCKET_ADDRESS_HEADER } from "../app/lib/socket-address-header.ts";
import { runPrimary, workerCountFrom } from "./web-cluster.ts";

const WORKER_EXIT_GRACE_MS = 2_000;

const MUTATIONS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Fast settings, not the library's defaults (gzip level 6, brotli quality 4):
 * answers are compressed on every request, and a large one is a real share of
 * its time. Measured on a 456 kB loader answer (the /charts/$symbol data of
 * 5,000 trades): gzip 6 took 17.9 ms for 196 kB, gzip 1 5.6 ms for 207 kB;
 * brotli 4 8.2 ms for 195 kB, brotli 1 2.9 ms for 198 kB (docs/benchmarks.md).
 */
const FAST_COMPRESSION = { level: 1, brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } } };

/**
 * Remix 2 refuses an action whose Origin names another host than Host (or
 * X-Forwarded-Host) by answering 500 with no body, before any app code runs.
 * Such a request loses its Origin and Referer here instead: the app's origin
 * check (app/lib/origin-check.ts, in every action's handleAction) refuses a
 * mutation that names no origin at all, and answers with its 403 page.
 */
export function isCrossSiteMutation(method: string, headers: Record<string, string | string[] | undefined>): boolean {
  if (!MUTATIONS.has(method.toUpperCase())) return false;
  const origin = headers.origin;
  if (typeof origin !== "string") return false;
  const forwardedHost = typeof headers["x-forwarded-host"] === "string" ? headers["x-forwarded-host"].split(",")[0]?.trim() : "";
  const host = forwardedHost || headers.host;
  if (origin === "null" || !host) return true;
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

function stripForeignOrigin(req: ExpressRequest): void {
  if (!isCrossSiteMutation(req.method, req.headers)) return;
  delete req.headers.origin;
  delete req.headers.referer;
}

async function main(): Promise<void> {
  const buildArg = process.argv[2];
  if (!buildArg) {
    console.error("Usage: node scripts/serve.ts <server-build-path>, e.g. build/index.js");
    process.exit(1);
  }
  process.env.NODE_ENV ??= "production";
  const workers = workerCountFrom(process.env.WEB_CONCURRENCY);
  if (cluster.isPrimary && workers > 1) return runPrimary(workers, processLogger("web").child({ workerId: 0 }));
  // A worker's lines say which worker wrote them; the app bundle takes this logger too (processLogger, through globalThis).
  if (cluster.worker) globalThis.__rawjournalLogger = processLogger("web").child({ workerId: cluster.worker.id });
  markServedByServerEntry();
  const build = (await import(pathToFileURL(path.resolve(buildArg)).href)) as ServerBuild;
  installGlobals({ nativeFetch: build.future.v3_singleFetch });

  const logger = processLogger("web");
  const app = express();
  app.disable("x-powered-by");
  app.use(requestLogging({ logger }));
  const routeOf = routeNamer(build.routes);
  app.use(compression(FAST_COMPRESSION));
  app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));
  app.all(
    "*",
    (req, _res, next) => {
      stripForeignOrigin(req);
      // Whatever the client sent under this name is replaced by the peer nobody can forge.
      req.headers[SOCKET_ADDRESS_HEADER] = req.socket.remoteAddress ?? "";
      next();
    },
    createRequestHandler({
      build,
      mode: process.env.NODE_ENV,
      getLoadContext: (req) => ({ requestLog: requestLogFactsOf(req, routeOf) }),
    }),
  );

  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST;
  const onListen = () => logger.info({ url: `http://${host ?? "localhost"}:${port}`, pid: process.pid }, "listening");
  const server = host ? app.listen(port, host, onListen) : app.listen(port, onListen);
  let closing = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      if (closing) return;
      closing = true;
      server.close((error) => {
        if (error) logger.error({ err: error }, "closing the server failed");
        if (!cluster.worker) return;
        // A worker's channel to the primary would keep it alive; a planned disconnect is not a death to replace.
        cluster.worker.disconnect();
        // Idle database connections (30 s idle timeout) would too: every request has been answered, so a
        // moment for work a request left running, then out, well inside a container's stop grace (10 s).
        setTimeout(() => process.exit(0), WORKER_EXIT_GRACE_MS).unref();
      });
    });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
