// Starts a PostgreSQL cluster of this run's own (a throwaway data directory on a
// free port, so concurrent runs never meet) and builds a migrated template
// database; every test file clones it (tests/support/database.ts).
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrate } from "../../supabase/migrate.ts";
import { REPO_ROOT, runBootstrap } from "../../supabase/local/database.ts";
import { startLocalPostgres, type LocalPostgres } from "../../supabase/local/postgres.ts";
import { freePort } from "../../supabase/local/free-port.ts";

export const TEMPLATE_DATABASE = "rj_template";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the cluster's `postgres` database (for CREATE DATABASE). */
    testClusterUrl: string;
    templateDatabase: string;
    /** This run's app build (server bundle at <dir>/index.js), relative to the repo root. */
    appBuildDir: string;
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

let embedded: LocalPostgres | null = null;
const dataDir = path.join(REPO_ROOT, `.data/test-postgres-${process.pid}`);
// Each run builds into its own directory so concurrent runs never serve each
// other's half-written bundles.
export const APP_BUILD_DIR = process.env.RAWJOURNAL_BUILD_DIR ?? `.data/test-build-${process.pid}`;

/** Data directories left by runs that were killed before their teardown. */
async function removeAbandonedClusters(): Promise<void> {
  const entries = await readdir(path.join(REPO_ROOT, ".data")).catch(() => [] as string[]);
  for (const entry of entries) {
    const pid = Number(/^test-(?:postgres|build)-(\d+)$/.exec(entry)?.[1]);
    if (!pid) continue;
    try {
      process.kill(pid, 0);
    } catch {
      await rm(path.join(REPO_ROOT, ".data", entry), { recursive: true, force: true });
    }
  }
}

/** Browser tests serve the built app; build it once per run, before any test starts. */
async function buildApp(): Promise<void> {
  if (process.env.RAWJOURNAL_SKIP_BUILD === "1") return;
  // Vitest sets NODE_ENV=test; remix-serve runs production, so build for it.
  await execa(path.join(REPO_ROOT, "node_modules/.bin/remix"), ["build"], {
    cwd: REPO_ROOT,
    stdout: "ignore",
    env: { NODE_ENV: "production", RAWJOURNAL_BUILD_DIR: APP_BUILD_DIR },
  });
}

export async function setup(project: TestProject): Promise<void> {
  const build = buildApp();
  let clusterUrl = process.env.TEST_DATABASE_URL;
  if (!clusterUrl) {
    await removeAbandonedClusters();
    await rm(dataDir, { recursive: true, force: true });
    embedded = await startLocalPostgres({ dataDir, port: await freePort(), fast: true });
    clusterUrl = embedded.url;
  }
  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
    await admin.query(`create database ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const templateUrl = withDatabase(clusterUrl, TEMPLATE_DATABASE);
  await runBootstrap(templateUrl);
  await migrate(templateUrl);
  await build;
  project.provide("testClusterUrl", clusterUrl);
  project.provide("templateDatabase", TEMPLATE_DATABASE);
  project.provide("appBuildDir", APP_BUILD_DIR);
}

export async function teardown(): Promise<void> {
  if (!process.env.RAWJOURNAL_BUILD_DIR) await rm(path.join(REPO_ROOT, APP_BUILD_DIR), { recursive: true, force: true });
  if (!embedded) return;
  await embedded.stop();
  await rm(dataDir, { recursive: true, force: true });
}
