// deploy/jobs-heartbeat.mjs, the jobs container's healthcheck (docker-compose.yml
// and the Dockerfile's jobs target): healthy only while a terminal of this
// host wrote its worker_health heartbeat in the last minute.
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { REPO_ROOT } from "./env-readers.ts";

const SCRIPT = path.join(REPO_ROOT, "deploy/jobs-heartbeat.mjs");
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

function check(databaseUrl: string) {
  return execa(process.execPath, [SCRIPT], { cwd: REPO_ROOT, env: { DATABASE_URL: databaseUrl }, reject: false });
}

async function beat(host: string, secondsAgo: number): Promise<void> {
  await db.pool.query(
    `insert into public.worker_health (worker_id, kind, host, status, last_heartbeat_at)
     values ($1, 'trade', $2, 'idle', now() - make_interval(secs => $3))
     on conflict (worker_id) do update set host = excluded.host, last_heartbeat_at = excluded.last_heartbeat_at`,
    [`trade-${host}`, host, secondsAgo],
  );
}

describe("jobs container healthcheck", () => {
  it("fails with no heartbeat, with a stale one, or one from another host; passes with a fresh one of its own", async () => {
    expect((await check(db.url)).exitCode).toBe(1);
    await beat(os.hostname(), 90);
    const stale = await check(db.url);
    expect(stale.exitCode).toBe(1);
    expect(stale.stderr).toMatch(/no worker_health heartbeat/);
    await beat("another-container", 1);
    expect((await check(db.url)).exitCode).toBe(1);
    await beat(os.hostname(), 5);
    expect((await check(db.url)).exitCode).toBe(0);
  });

  it("fails when the database cannot be reached", async () => {
    const result = await check("postgres://postgres:postgres@127.0.0.1:1/postgres");
    expect(result.exitCode).toBe(1);
  });
});
