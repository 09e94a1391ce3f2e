// Where a backup copy lives and what it holds. One copy is a folder named by
// the UTC instant it was taken, in BACKUP_DIR:
//   2026-12-07T030000Z/database.dump   pg_dump custom format
//   2026-12-07T030000Z/screenshots/…   the screenshots bucket's objects, by name
//   2026-12-07T030000Z/manifest.json   schemas, buckets, objects with sha256
// A copy being written is named <stamp>.partial and renamed when complete, so a
// crash never leaves something that looks like a backup.
import path from "node:path";

/** Every schema of ours and of the Supabase services our rows live in or point at. */
export const BACKUP_SCHEMAS = ["public", "auth", "storage", "realtime", "supabase_migrations"] as const;
export const SCREENSHOT_BUCKETS = ["trade-screenshots"] as const;

export const DUMP_FILE = "database.dump";
export const MANIFEST_FILE = "manifest.json";
export const OBJECTS_DIR = "screenshots";

export interface BackupManifest {
  takenAt: string;
  schemas: string[];
  /** Extensions the schemas rely on (btree_gin, pgcrypto…): not in a per-schema dump, created before the restore. */
  extensions: { name: string; schema: string }[];
  buckets: { id: string; name: string; public: boolean; file_size_limit: number | null; allowed_mime_types: string[] | null }[];
  objects: { bucket: string; name: string; bytes: number; sha256: string; contentType: string }[];
}

const STAMP = /^(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export function copyName(takenAt: Date): string {
  return takenAt
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/:/g, "");
}

/** The instant a copy folder was taken, or null for anything else in the folder. */
export function takenAtOf(name: string): Date | null {
  const match = STAMP.exec(name);
  return match ? new Date(`${match[1]}T${match[2]}:${match[3]}:${match[4]}Z`) : null;
}

export function objectFile(copyDir: string, bucket: string, name: string): string {
  const file = path.resolve(copyDir, OBJECTS_DIR, bucket, name);
  // Object names come from the database: one with ".." must not escape the copy.
  if (!file.startsWith(path.resolve(copyDir, OBJECTS_DIR) + path.sep)) throw new Error(`object name escapes the backup folder: ${name}`);
  return file;
}

/** A pg URL without its password, and the password apart: for argv (visible in ps) vs the child's environment. */
export function splitPassword(databaseUrl: string): { url: string; password: string } {
  const u = new URL(databaseUrl);
  const password = decodeURIComponent(u.password);
  u.password = "";
  return { url: u.toString(), password };
}
