// Takes one backup copy (layout: ./layout.ts) and applies the retention rule
// (app/domain/backups/retention.ts) to the copies in the folder. The database
// goes through pg_dump (custom format: compressed, restorable table by table);
// the screenshots go through the Storage API with the service key — the one
// way that works on the local stand-in and on Supabase Storage (file system or
// S3 behind it) alike.
import { createHash } from "node:crypto";
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { createClient } from "@supabase/supabase-js";
import { execa } from "execa";
import pg from "pg";
import { planRetention, type RetentionPolicy } from "~/domain/backups/retention.ts";
import {
  BACKUP_SCHEMAS,
  copyName,
  DUMP_FILE,
  MANIFEST_FILE,
  objectFile,
  SCREENSHOT_BUCKETS,
  splitPassword,
  takenAtOf,
  type BackupManifest,
} from "./layout.ts";
import { describeTarget, pruneRemoteCopies, uploadCopy, type S3Target } from "./s3-target.ts";

export interface BackupContext {
  /** Owner-level URL (the migrations' role): pg_dump must read every row. */
  databaseUrl: string;
  backupDir: string;
  /** pg_dump binary: PG_DUMP_PATH, else `pg_dump` from PATH. Its major must be ≥ the server's. */
  pgDumpPath?: string;
  supabaseUrl: string;
  serviceRoleKey: string;
  retention: RetentionPolicy;
  /** Off-site copies (BACKUP_S3_*); absent or null: local copies only. */
  s3?: S3Target | null;
  now?: () => Date;
  log: (line: string) => void;
}

export interface BackupResult {
  copyDir: string;
  dumpBytes: number;
  objects: number;
  removed: string[];
  /** What went to the S3 target, when there is one. */
  remote?: { files: number; bytes: number; removed: string[] };
}

async function dumpDatabase(context: BackupContext, file: string): Promise<void> {
  const { url, password } = splitPassword(context.databaseUrl);
  await execa(
    context.pgDumpPath ?? "pg_dump",
    ["--format=custom", "--no-password", ...BACKUP_SCHEMAS.map((schema) => `--schema=${schema}`), `--file=${file}`, `--dbname=${url}`],
    { env: { PGPASSWORD: password }, stdout: "ignore" },
  );
}

async function copyScreenshots(context: BackupContext, copyDir: string): Promise<Pick<BackupManifest, "buckets" | "objects" | "extensions">> {
  const db = new pg.Client({ connectionString: context.databaseUrl });
  await db.connect();
  let extensions: BackupManifest["extensions"];
  let buckets: BackupManifest["buckets"];
  let names: { bucket: string; name: string }[];
  try {
    extensions = (
      await db.query<BackupManifest["extensions"][number]>(
        "select e.extname as name, n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname <> 'plpgsql' order by 1",
      )
    ).rows;
    buckets = (
      await db.query<BackupManifest["buckets"][number]>(
        `select id, name, coalesce(public, false) as public, file_size_limit::float8 as file_size_limit, allowed_mime_types
           from storage.buckets where id = any($1::text[]) order by id`,
        [SCREENSHOT_BUCKETS],
      )
    ).rows;
    names = (
      await db.query<{ bucket: string; name: string }>(
        "select bucket_id as bucket, name from storage.objects where bucket_id = any($1::text[]) order by bucket_id, name",
        [SCREENSHOT_BUCKETS],
      )
    ).rows;
  } finally {
    await db.end();
  }
  const storage = createClient(context.supabaseUrl, context.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  }).storage;
  const objects: BackupManifest["objects"] = [];
  for (const { bucket, name } of names) {
    const { data, error } = await storage.from(bucket).download(name);
    if (error || !data) throw new Error(`screenshot ${bucket}/${name} could not be downloaded: ${error?.message ?? "no body"}`);
    const bytes = Buffer.from(await data.arrayBuffer());
    const file = objectFile(copyDir, bucket, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, bytes);
    objects.push({ bucket, name, bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex"), contentType: data.type });
  }
  return { buckets, objects, extensions };
}

/** Deletes the copies the retention rule no longer keeps; returns their names. */
export async function pruneCopies(backupDir: string, retention: RetentionPolicy): Promise<string[]> {
  const copies = new Map<number, string>();
  for (const entry of await readdir(backupDir)) {
    const takenAt = takenAtOf(entry);
    if (takenAt) copies.set(takenAt.getTime(), entry);
  }
  const { remove } = planRetention(
    [...copies.keys()].map((t) => new Date(t)),
    retention,
  );
  const removed: string[] = [];
  for (const at of remove) {
    const name = copies.get(at.getTime())!;
    await rm(path.join(backupDir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

export async function takeBackup(context: BackupContext): Promise<BackupResult> {
  const takenAt = context.now?.() ?? new Date();
  const name = copyName(takenAt);
  const partial = path.join(context.backupDir, `${name}.partial`);
  const copyDir = path.join(context.backupDir, name);
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  let objectCount = 0;
  try {
    const dumpFile = path.join(partial, DUMP_FILE);
    await dumpDatabase(context, dumpFile);
    const { buckets, objects, extensions } = await copyScreenshots(context, partial);
    const manifest: BackupManifest = { takenAt: takenAt.toISOString(), schemas: [...BACKUP_SCHEMAS], extensions, buckets, objects };
    await writeFile(path.join(partial, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
    await rename(partial, copyDir);
    objectCount = objects.length;
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
  const { size: dumpBytes } = await stat(path.join(copyDir, DUMP_FILE));
  const removed = await pruneCopies(context.backupDir, context.retention);
  context.log(`backup: ${name} written (${dumpBytes} bytes of database, ${objectCount} screenshot(s)); ${removed.length} old copy(ies) removed`);
  if (!context.s3) return { copyDir, dumpBytes, objects: objectCount, removed };
  // The local copy is complete and stays whatever happens below; a failed
  // upload fails the job (its logged outcome) so nobody mistakes it for off-site.
  const where = describeTarget(context.s3);
  try {
    const sent = await uploadCopy(context.s3, copyDir);
    const remoteRemoved = await pruneRemoteCopies(context.s3, context.retention, name);
    context.log(
      `backup: ${name} copied to ${where} (${sent.files} file(s), ${sent.bytes} bytes); ${remoteRemoved.length} old remote copy(ies) removed`,
    );
    return { copyDir, dumpBytes, objects: objectCount, removed, remote: { ...sent, removed: remoteRemoved } };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`backup ${name} is kept locally in ${copyDir}, but copying it to ${where} failed: ${reason}`, { cause: error });
  }
}
