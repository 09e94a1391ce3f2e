// Applies supabase/migrations/<version>_<name>.sql in version order and records
// each in supabase_migrations.schema_migrations — the table the Supabase CLI
// keeps — so `supabase db push` against a real project sees the same history.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

const FILE_PATTERN = /^(\d{14})_([a-z0-9_]+)\.sql$/;

export interface Migration {
  version: string;
  name: string;
  file: string;
  sql: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_PATTERN.exec(file);
    if (!match) {
      throw new Error(`Migration file "${file}" must be named <14-digit timestamp>_<snake_case_name>.sql`);
    }
    migrations.push({
      version: match[1]!,
      name: match[2]!,
      file,
      sql: await readFile(path.join(dir, file), "utf8"),
    });
  }
  return migrations;
}

export interface MigrateResult {
  applied: string[];
  skipped: string[];
}

/** Runs pending migrations, each in its own transaction, under an advisory lock. */
export async function migrate(
  databaseUrl: string,
  { dir = MIGRATIONS_DIR, log = (_: string) => {} }: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const migrations = await readMigrations(dir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const result: MigrateResult = { applied: [], skipped: [] };
  try {
    await client.query("select pg_advisory_lock(hashtext('rawjournal:migrate'))");
    await client.query(`
      create schema if not exists supabase_migrations;
      create table if not exists supabase_migrations.schema_migrations (
        version text primary key,
        statements text[],
        name text
      );`);
    const { rows } = await client.query<{ version: string; statements: string[] | null }>(
      "select version, statements from supabase_migrations.schema_migrations",
    );
    const recorded = new Map(rows.map((r) => [r.version, r.statements?.join("\n") ?? null]));

    for (const migration of migrations) {
      const previous = recorded.get(migration.version);
      if (previous !== undefined) {
        if (previous !== null && previous !== migration.sql) {
          throw new Error(
            `Migration ${migration.file} was edited after it was applied. ` + `Write a new migration instead of changing an applied one.`,
          );
        }
        result.skipped.push(migration.file);
        continue;
      }
      await client.query("begin");
      try {
        await client.query(migration.sql);
        await client.query("insert into supabase_migrations.schema_migrations (version, statements, name) values ($1, $2, $3)", [
          migration.version,
          [migration.sql],
          migration.name,
        ]);
        await client.query("commit");
      } catch (error) {
        await client.query("rollback");
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`Migration ${migration.file} failed and was rolled back: ${message}`);
      }
      log(`applied ${migration.file}`);
      result.applied.push(migration.file);
    }
  } finally {
    await client.query("select pg_advisory_unlock(hashtext('rawjournal:migrate'))").catch(() => {});
    await client.end();
  }
  return result;
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set: say which database to migrate.");
    process.exit(2);
  }
  migrate(url, { log: (line) => console.log(line) })
    .then((r) => console.log(`${r.applied.length} applied, ${r.skipped.length} already applied`))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
