#!/usr/bin/env node
// The jobs container's healthcheck: exit 0 when a terminal of this container
// (worker_health.host is os.hostname(), written every 10 s by jobs/health.ts)
// beat in the last 60 s. A process that lost the leader lock, or whose loop is
// stuck, stops beating and the container turns unhealthy.
import os from "node:os";
import pg from "pg";

const client = new pg.Client({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 3_000 });
try {
  await client.connect();
  const { rows } = await client.query(
    "select 1 from public.worker_health where host = $1 and last_heartbeat_at > now() - interval '60 seconds' limit 1",
    [os.hostname()],
  );
  process.exitCode = rows.length > 0 ? 0 : 1;
  if (rows.length === 0) console.error(`no worker_health heartbeat from ${os.hostname()} in the last 60 s`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await client.end().catch(() => {});
}
