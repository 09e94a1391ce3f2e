// A private database per test file, cloned from the migrated template that
// global-setup.ts builds. Cloning takes tens of milliseconds.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";

export interface TestDatabase {
  /** Superuser URL of this file's database. */
  url: string;
  /** Superuser pool on it: for arranging rows, as a migration or the service owner would. */
  pool: pg.Pool;
  /** URL of the same database logged in as `authenticator`, the role the app uses. */
  authenticatorUrl: string;
  /** Pool on authenticatorUrl, ended before the database is dropped. */
  appPool: pg.Pool;
  /** URL of the same database as `rawjournal_web`, the web process's login (anon and authenticated only, ADR 021). */
  webUrl: string;
  /** Pool on webUrl. */
  webPool: pg.Pool;
}

function withDatabase(url: string, database: string, user?: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (user) {
    u.username = user;
    u.password = "postgres";
  }
  return u.toString();
}

/** Creates the database; it is dropped after the file's tests. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const clusterUrl = inject("testClusterUrl");
  const template = inject("templateDatabase");
  const name = `rj_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database ${name} template ${template}`);
        break;
      } catch (error) {
        // Two clones started at the same instant can collide on the template lock.
        if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
      }
    }
  } finally {
    await admin.end();
  }
  const url = withDatabase(clusterUrl, name);
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  const authenticatorUrl = withDatabase(clusterUrl, name, "authenticator");
  const appPool = new pg.Pool({ connectionString: authenticatorUrl, max: 5 });
  const webUrl = withDatabase(clusterUrl, name, "rawjournal_web");
  const webPool = new pg.Pool({ connectionString: webUrl, max: 5 });
  // An idle pooled connection that the server drops (a busy CI machine, the
  // cluster restarting a backend) is not a test result: without a listener,
  // pg turns it into an uncaught exception charged to whichever file runs.
  // It is logged; a query that needed the connection still fails its test.
  for (const [label, p] of [
    ["superuser", pool],
    ["authenticator", appPool],
    ["web", webPool],
  ] as const)
    p.on("error", (error) => console.warn(`[test database ${name}] idle ${label} connection dropped: ${error.message}`));
  afterAll(async () => {
    await appPool.end();
    await webPool.end();
    await pool.end();
    const dropper = new pg.Client({ connectionString: clusterUrl });
    await dropper.connect();
    await dropper.query(`drop database if exists ${name} with (force)`);
    await dropper.end();
  });
  return { url, pool, authenticatorUrl, appPool, webUrl, webPool };
}
