// The migration runner and DATABASE_URL mode of prepareDatabase().
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { prepareDatabase } from "../../supabase/local/database.ts";
import { migrate, MIGRATIONS_DIR, readMigrations } from "../../supabase/migrate.ts";
import { createTestDatabase } from "../support/database.ts";

async function emptyDatabase(): Promise<string> {
  const clusterUrl = inject("testClusterUrl");
  const name = `rj_test_empty_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "rj-migrations-"));
  for (const [name, sql] of Object.entries(files)) await writeFile(path.join(dir, name), sql);
  return dir;
}

describe("migrate()", () => {
  it("applies pending files in order once, recording them where the Supabase CLI does", async () => {
    const url = await emptyDatabase();
    const dir = await migrationsDir({
      "20260101000000_first.sql": "create table t (x int);",
      "20260102000000_second.sql": "insert into t values (1);",
    });
    expect((await migrate(url, { dir })).applied).toEqual(["20260101000000_first.sql", "20260102000000_second.sql"]);
    expect((await migrate(url, { dir })).skipped).toHaveLength(2);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query("select version, name from supabase_migrations.schema_migrations order by version");
    const count = await client.query("select count(*)::int as n from t");
    await client.end();
    expect(rows).toEqual([
      { version: "20260101000000", name: "first" },
      { version: "20260102000000", name: "second" },
    ]);
    expect(count.rows[0].n).toBe(1);
  });

  it("rolls a failing migration back whole and names it", async () => {
    const url = await emptyDatabase();
    const dir = await migrationsDir({
      "20260101000000_ok.sql": "create table a (x int);",
      "20260102000000_broken.sql": "create table b (x int); select * from missing_table;",
    });
    await expect(migrate(url, { dir })).rejects.toThrow(/20260102000000_broken\.sql failed and was rolled back: .*missing_table/);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query("select to_regclass('a') is not null as a, to_regclass('b') is not null as b");
    await client.end();
    expect(rows[0]).toEqual({ a: true, b: false });
  });

  it("refuses a migration edited after it was applied, and badly named files", async () => {
    const url = await emptyDatabase();
    const dir = await migrationsDir({ "20260101000000_first.sql": "create table t (x int);" });
    await migrate(url, { dir });
    await writeFile(path.join(dir, "20260101000000_first.sql"), "create table t (x bigint);");
    await expect(migrate(url, { dir })).rejects.toThrow(/was edited after it was applied/);
    const badDir = await migrationsDir({ "add_things.sql": "select 1;" });
    await expect(readMigrations(badDir)).rejects.toThrow(/must be named <14-digit timestamp>_<snake_case_name>\.sql/);
  });

  it("the project's migrations need nothing beyond the bootstrap (a fresh clone of the template has them all)", async () => {
    const db = await createTestDatabase();
    const files = await readMigrations(MIGRATIONS_DIR);
    const { rows } = await db.pool.query("select version from supabase_migrations.schema_migrations order by 1");
    expect(rows.map((r) => r.version)).toEqual(files.map((f) => f.version));
    // Recorded statements are the files' exact text.
    const first = await db.pool.query("select statements from supabase_migrations.schema_migrations order by version limit 1");
    expect(first.rows[0].statements[0]).toBe(await readFile(path.join(MIGRATIONS_DIR, files[0]!.file), "utf8"));
  });
});

describe("prepareDatabase() with DATABASE_URL", () => {
  it("bootstraps a plain PostgreSQL database that lacks the Supabase schemas, then migrates it", async () => {
    const url = await emptyDatabase();
    const prepared = await prepareDatabase({ databaseUrl: url });
    expect(prepared.embedded).toBeNull();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query("select to_regclass('auth.users') is not null as auth, to_regclass('public.trades') is not null as trades");
    await client.end();
    expect(rows[0]).toEqual({ auth: true, trades: true });
    // Idempotent: a second start applies nothing.
    await prepareDatabase({ databaseUrl: url });
  });
});
