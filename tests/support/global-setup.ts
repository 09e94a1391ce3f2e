// Starts the test PostgreSQL once per run and builds a migrated template
// database; every test file clones it (tests/support/database.ts), so files
// run in parallel without seeing each other's rows.
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrate } from "../../supabase/migrate.ts";
import { REPO_ROOT, runBootstrap } from "../../supabase/local/database.ts";
import { startLocalPostgres, type LocalPostgres } from "../../supabase/local/postgres.ts";

export const TEMPLATE_DATABASE = "rawjournal_test_template";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the cluster's `postgres` database (for CREATE DATABASE). */
    testClusterUrl: string;
    templateDatabase: string;
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

let embedded: LocalPostgres | null = null;

export async function setup(project: TestProject): Promise<void> {
  let clusterUrl = process.env.TEST_DATABASE_URL;
  if (!clusterUrl) {
    embedded = await startLocalPostgres({
      dataDir: path.join(REPO_ROOT, ".data/test-postgres"),
      port: Number(process.env.TEST_DB_PORT ?? 54330),
      fast: true,
    });
    clusterUrl = embedded.url;
  }
  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
    await admin.query(`create database ${TEMPLATE_DATABASE}`);
    // Left-over clones of an interrupted run.
    const { rows } = await admin.query<{ datname: string }>(
      "select datname from pg_database where datname like 'rj_test_%'",
    );
    for (const row of rows) await admin.query(`drop database if exists "${row.datname}" with (force)`);
  } finally {
    await admin.end();
  }
  const templateUrl = withDatabase(clusterUrl, TEMPLATE_DATABASE);
  await runBootstrap(templateUrl);
  await migrate(templateUrl);
  project.provide("testClusterUrl", clusterUrl);
  project.provide("templateDatabase", TEMPLATE_DATABASE);
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
}
