// What the structured logs add to every request, in process (no network, so
// the machine's load barely moves it): the request-logging middleware (id,
// X-Request-Id header, one JSON line written synchronously to /dev/null, as
// stdout would be), naming the route over this app's route manifest, and the
// timing wrapper every database statement goes through. Each is measured
// against the same work without it, in one run.
//
//   npx tsx bench/request-logging.ts
import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { pino } from "pino";
import { createLogger } from "../app/lib/logger.server.ts";
import { timeClientQueries } from "../app/lib/query-timing.server.ts";
import { requestLogFactsOf, requestLogging } from "../app/lib/request-logging.server.ts";
import { routeNamer, slowRouteNamer, type ManifestRoute } from "../app/lib/route-names.ts";
import type pg from "pg";

const N = 200_000;
const logger = createLogger({ service: "web", destination: pino.destination({ dest: "/dev/null", sync: true }) });

// The app's routes, as the build's manifest lists them (paths of app/routes, 55 routes).
const PATHS = [
  "accounts",
  "accounts/:accountId",
  "accounts/connect",
  "accounts/new",
  "admin/sync",
  "analytics",
  "auth/callback",
  "billing",
  "billing/cancel",
  "billing/success",
  "charts",
  "charts/:symbol",
  "dashboard",
  "forgot-password",
  "healthz",
  "journal",
  "journal/:date",
  "journal/:date/review",
  "login",
  "logout",
  "metrics",
  "more",
  "playbooks",
  "playbooks/:playbookId",
  "preferences/sidebar",
  "pricing",
  "profile",
  "readyz",
  "realtime/token",
  "reset-password",
  "screenshots/:screenshotId",
  "settings",
  "signup",
  "tags",
  "trades",
  "trades/:tradeId",
  "trades/:tradeId/edit",
  "trades/:tradeId/journal",
  "trades/:tradeId/playbook",
  "trades/export",
  "trades/import",
  "trades/import/:uploadId",
  "trades/import/:uploadId/progress",
  "trades/imports",
  "trades/imports/:batchId",
  "trades/imports/:batchId/rejected.csv",
  "trades/new",
  "webhooks/stripe",
  "*",
];
const manifest: Record<string, ManifestRoute> = {
  root: { id: "root", path: "" },
  "routes/_index": { id: "routes/_index", parentId: "root", index: true },
};
for (const path of PATHS) manifest[`routes/${path}`] = { id: `routes/${path}`, parentId: "root", path };

function fakeExchange(url: string): { req: IncomingMessage; res: ServerResponse } {
  const req = { url, method: "GET", headers: { "x-request-id": "bench-request-id-0001" } } as unknown as IncomingMessage;
  const res = Object.assign(new EventEmitter(), { statusCode: 200, writableFinished: true, setHeader() {} }) as unknown as ServerResponse;
  return { req, res };
}

function perCallUs(work: (i: number) => void): number {
  for (let i = 0; i < 20_000; i++) work(i);
  const started = performance.now();
  for (let i = 0; i < N; i++) work(i);
  return ((performance.now() - started) * 1000) / N;
}

const middleware = requestLogging({ logger });
const fast = routeNamer(manifest);
const slow = slowRouteNamer(manifest);
const bare = perCallUs((i) => {
  const { res } = fakeExchange(`/trades/${i}`);
  res.emit("finish");
});
const logged = perCallUs((i) => {
  const { req, res } = fakeExchange(`/trades/${i}?page=2`);
  middleware(req, res, () => {
    requestLogFactsOf(req, fast);
  });
  res.emit("finish");
});
const fastNaming = perCallUs((i) => fast(`/trades/${i}/edit`));
const matchRoutesNaming = perCallUs((i) => slow(`/trades/${i}/edit`));

// The statement wrapper around a client whose query resolves at once.
const client = { query: () => Promise.resolve({ rows: [] }) } as unknown as pg.ClientBase;
const timed = { query: () => Promise.resolve({ rows: [] }) } as unknown as pg.ClientBase;
timeClientQueries(timed, { logger });
async function perQueryUs(target: pg.ClientBase): Promise<number> {
  for (let i = 0; i < 20_000; i++) await target.query("select 1 from public.trades where id = $1", [i]);
  const started = performance.now();
  for (let i = 0; i < N; i++) await target.query("select 1 from public.trades where id = $1", [i]);
  return ((performance.now() - started) * 1000) / N;
}
const queryBare = await perQueryUs(client);
const queryTimed = await perQueryUs(timed);

const round = (us: number) => +us.toFixed(2);
console.log(
  JSON.stringify(
    {
      perRequestUs: { withoutLogging: round(bare), withLogging: round(logged), added: round(logged - bare) },
      routeNameUs: { compiled: round(fastNaming), matchRoutes: round(matchRoutesNaming) },
      perStatementUs: { bare: round(queryBare), timed: round(queryTimed), added: round(queryTimed - queryBare) },
      load: (await import("node:os")).loadavg().map((l) => +l.toFixed(2)),
    },
    null,
    2,
  ),
);
