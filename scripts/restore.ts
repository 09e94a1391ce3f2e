// `npm run restore -- <backup copy folder or its database.dump>`: restores a
// backup (docs/operations/backups.md) into an EMPTY database, then puts the
// screenshots back through the Storage API when SUPABASE_URL and
// SUPABASE_SERVICE_ROLE_KEY are set.
//   RESTORE_DATABASE_URL  superuser URL of the empty target database (required;
//                         never DATABASE_URL, so a restore cannot land on the
//                         live database by accident — it refuses a non-empty one anyway)
//   PG_RESTORE_PATH       pg_restore of PostgreSQL 15 or later (default: from PATH)
// `npm run restore -- s3:<copy name>` first downloads that copy from the S3
// target the BACKUP_S3_* variables describe, into a temporary folder it names.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { restoreBackup } from "../jobs/backup/restore-backup.ts";
import { describeTarget, downloadCopy, s3TargetFromEnvironment } from "../jobs/backup/s3-target.ts";

async function localCopy(argument: string): Promise<string> {
  if (!argument.startsWith("s3:")) return path.resolve(argument);
  const target = s3TargetFromEnvironment(process.env);
  if (!target) throw new Error("s3:<copy> needs the BACKUP_S3_* variables of the bucket the copy is in (docs/operations/backups.md).");
  const name = argument.slice("s3:".length);
  const copyDir = await downloadCopy(target, name, await mkdtemp(path.join(os.tmpdir(), "rawjournal-restore-")));
  console.log(`[restore] downloaded ${name} from ${describeTarget(target)} to ${copyDir}`);
  return copyDir;
}

async function main(): Promise<void> {
  const backupPath = process.argv[2];
  const databaseUrl = process.env.RESTORE_DATABASE_URL;
  if (!backupPath || backupPath.startsWith("-")) {
    throw new Error("Say which backup to restore: npm run restore -- .data/backups/2026-12-07T030000Z (or s3:2026-12-07T030000Z)");
  }
  if (!databaseUrl) throw new Error("RESTORE_DATABASE_URL is not set: the superuser URL of the empty database to restore into.");
  const supabaseUrl = process.env.SUPABASE_URL;
  const serviceRoleKey = process.env.SUPABASE_SERVICE_ROLE_KEY;
  const result = await restoreBackup({
    backupPath: await localCopy(backupPath),
    databaseUrl,
    pgRestorePath: process.env.PG_RESTORE_PATH,
    storage: supabaseUrl && serviceRoleKey ? { supabaseUrl, serviceRoleKey } : undefined,
    log: (line) => console.log(`[restore] ${line}`),
  });
  console.log(`[restore] done: ${result.objectsRestored} screenshot(s) restored, ${result.objectsSkipped} left in the backup folder`);
}

main().catch((error: unknown) => {
  console.error(`[restore] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
