// Resource route: GET /readyz -> 200 when this instance can serve users, 503
// with the failing check otherwise (JSON either way): the database answers,
// the migrations are current, a jobs process holds the leader lock and a
// market-data terminal is alive. For load balancers and the deploy script;
// /healthz only says the process is up.
import { pool } from "~/lib/pool.server.ts";
import { checkReadiness } from "~/models/readiness.server.ts";

export async function loader() {
  const readiness = await checkReadiness(pool);
  return Response.json(readiness, { status: readiness.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
