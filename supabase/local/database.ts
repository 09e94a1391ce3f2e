// Brings up the database the app runs on: the embedded PostgreSQL (default) or
// the one DATABASE_URL names, with the Supabase bootstrap and our migrations.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { migrate } from "../migrate.ts";
import { startLocalPostgres, type LocalPostgres } from "./postgres.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, "../..");
export const BOOTSTRAP_SQL = path.join(here, "bootstrap.sql");

export async function runBootstrap(databaseUrl: string): Promise<void> {
  const sql = await readFile(BOOTSTRAP_SQL, "utf8");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock(hashtext('rawjournal:bootstrap'))");
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** True when the database already has what the Supabase image provides. */
async function hasSupabaseBootstrap(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query("select to_regclass('auth.users') is not null and to_regclass('storage.objects') is not null as ok");
    return rows[0]?.ok === true;
  } finally {
    await client.end();
  }
}

export interface PreparedDatabase {
  /** Superuser / owner URL used for migrations and admin tasks. */
  url: string;
  embedded: LocalPostgres | null;
  stop: () => Promise<void>;
}

export async function prepareDatabase({
  dataDir = path.join(REPO_ROOT, ".data/postgres"),
  port = Number(process.env.LOCAL_DB_PORT ?? 54322),
  databaseUrl = process.env.DATABASE_URL,
  fast = false,
  log = (_: string) => {},
}: {
  dataDir?: string;
  port?: number;
  databaseUrl?: string;
  fast?: boolean;
  log?: (line: string) => void;
} = {}): Promise<PreparedDatabase> {
  let embedded: LocalPostgres | null = null;
  let url = databaseUrl;
  if (!url) {
    embedded = await startLocalPostgres({ dataDir, port, fast, log });
    url = embedded.url;
    await runBootstrap(url);
  } else if (!(await hasSupabaseBootstrap(url))) {
    log("DATABASE_URL has no Supabase schemas yet; applying the local bootstrap");
    await runBootstrap(url);
  }
  const { applied } = await migrate(url, { log });
  if (applied.length) log(`${applied.length} migration(s) applied`);
  return { url, embedded, stop: async () => embedded?.stop() };
}
