// Restores a backup copy (layout: ./layout.ts) into an EMPTY database: the
// Supabase bootstrap is applied when the database lacks it (a fresh cluster;
// the Supabase image already has it), then pg_restore replaces the bootstrap's
// empty auth/storage/realtime tables with the dumped ones (--clean) and brings
// back every public table, the migration history and the Realtime publication
// in one transaction; finally the screenshots go back through the Storage API
// (upsert: the restored storage.objects rows already name them). Run as the
// database's superuser (supabase_admin on the Supabase image): the auth and
// storage tables belong to the services' roles.
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { createClient } from "@supabase/supabase-js";
import { execa } from "execa";
import pg from "pg";
import { runBootstrap } from "../../supabase/local/database.ts";
import { DUMP_FILE, MANIFEST_FILE, objectFile, splitPassword, type BackupManifest } from "./layout.ts";

export interface RestoreOptions {
  /** A copy's folder, or its database.dump. */
  backupPath: string;
  /** Superuser URL of the empty target database. */
  databaseUrl: string;
  pgRestorePath?: string;
  /** Storage API of the target stack; without it the screenshots are not restored (and the result says so). */
  storage?: { supabaseUrl: string; serviceRoleKey: string };
  log: (line: string) => void;
}

export interface RestoreResult {
  objectsRestored: number;
  objectsSkipped: number;
}

async function copyFolderOf(backupPath: string): Promise<string> {
  return (await stat(backupPath)).isDirectory() ? backupPath : path.dirname(backupPath);
}

async function assertEmpty(databaseUrl: string): Promise<boolean> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ tables: number; bootstrapped: boolean }>(`
      select (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
               where n.nspname = 'public' and c.relkind in ('r', 'p')) as tables,
             to_regclass('auth.users') is not null as bootstrapped`);
    const { tables, bootstrapped } = rows[0]!;
    if (tables > 0) {
      throw new Error(`The target database already has ${tables} table(s) in public: restore only into an empty database (create a new one).`);
    }
    if (bootstrapped) {
      const { rows: users } = await db.query<{ n: number }>("select count(*)::int as n from auth.users");
      if (users[0]!.n > 0) throw new Error("The target database already has users in auth.users: restore only into an empty database.");
    }
    return bootstrapped;
  } finally {
    await db.end();
  }
}

async function createExtensions(databaseUrl: string, manifest: BackupManifest): Promise<void> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    // What the Supabase image sets for its database (the bootstrap does it for
    // one named postgres): a restore into another name resolves the same way.
    await db.query(`do $$ begin execute format('alter database %I set search_path to "$user", public, extensions', current_database()); end $$`);
    for (const { name, schema } of manifest.extensions) {
      await db.query(`create schema if not exists "${schema.replace(/"/g, '""')}"`);
      await db.query(`create extension if not exists "${name.replace(/"/g, '""')}" with schema "${schema.replace(/"/g, '""')}"`);
    }
  } finally {
    await db.end();
  }
}

async function restoreBuckets(databaseUrl: string, manifest: BackupManifest): Promise<void> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    for (const b of manifest.buckets) {
      await db.query(
        `insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types) values ($1, $2, $3, $4, $5)
         on conflict (id) do nothing`,
        [b.id, b.name, b.public, b.file_size_limit, b.allowed_mime_types],
      );
    }
  } finally {
    await db.end();
  }
}

export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const copyDir = await copyFolderOf(options.backupPath);
  const dumpFile = path.join(copyDir, DUMP_FILE);
  const manifest = JSON.parse(await readFile(path.join(copyDir, MANIFEST_FILE), "utf8")) as BackupManifest;
  if (!(await assertEmpty(options.databaseUrl))) {
    options.log("the target has no Supabase schemas yet; applying the local bootstrap first");
    await runBootstrap(options.databaseUrl);
  }
  await createExtensions(options.databaseUrl, manifest);
  const { url, password } = splitPassword(options.databaseUrl);
  await execa(
    options.pgRestorePath ?? "pg_restore",
    ["--clean", "--if-exists", "--exit-on-error", "--single-transaction", "--no-password", `--dbname=${url}`, dumpFile],
    { env: { PGPASSWORD: password }, stdout: "ignore" },
  );
  await restoreBuckets(options.databaseUrl, manifest);
  options.log(`database restored from ${dumpFile} (taken ${manifest.takenAt})`);

  if (!options.storage) {
    if (manifest.objects.length) options.log(`${manifest.objects.length} screenshot(s) NOT restored: no Storage API given`);
    return { objectsRestored: 0, objectsSkipped: manifest.objects.length };
  }
  return { objectsRestored: await uploadObjects(copyDir, options.storage, options.log), objectsSkipped: 0 };
}

/** Puts a copy's screenshots back through a Storage API (upsert); returns how many. */
export async function uploadObjects(
  copyDir: string,
  target: { supabaseUrl: string; serviceRoleKey: string },
  log: (line: string) => void,
): Promise<number> {
  const manifest = JSON.parse(await readFile(path.join(copyDir, MANIFEST_FILE), "utf8")) as BackupManifest;
  const storage = createClient(target.supabaseUrl, target.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  }).storage;
  for (const object of manifest.objects) {
    const bytes = await readFile(objectFile(copyDir, object.bucket, object.name));
    const { error } = await storage.from(object.bucket).upload(object.name, bytes, { contentType: object.contentType, upsert: true });
    if (error) throw new Error(`screenshot ${object.bucket}/${object.name} could not be restored: ${error.message}`);
  }
  log(`${manifest.objects.length} screenshot(s) restored`);
  return manifest.objects.length;
}
