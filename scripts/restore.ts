// `npm run restore -- <backup copy folder or its database.dump>`: restores a
// backup (docs/operations/backups.md) into an EMPTY database, then puts the
// screenshots back through the Storage API when SUPABASE_URL and
// SUPABASE_SERVICE_ROLE_KEY are set.
//   RESTORE_DATABASE_URL  superuser URL of the empty target database (required;
//                         never DATABASE_URL, so a restore cannot land on the
//                         live database by accident — it refuses a non-empty one anyway)
//   PG_RESTORE_PATH       pg_restore of PostgreSQL 15 or later (default: from PATH)
import path from "node:path";
import { restoreBackup } from "../jobs/backup/restore-backup.ts";

async function main(): Promise<void> {
  const backupPath = process.argv[2];
  const databaseUrl = process.env.RESTORE_DATABASE_URL;
  if (!backupPath || backupPath.startsWith("-")) {
    throw new Error("Say which backup to restore: npm run restore -- .data/backups/2026-12-07T030000Z");
  }
  if (!databaseUrl) throw new Error("RESTORE_DATABASE_URL is not set: the superuser URL of the empty database to restore into.");
  const supabaseUrl = process.env.SUPABASE_URL;
  const serviceRoleKey = process.env.SUPABASE_SERVICE_ROLE_KEY;
  const result = await restoreBackup({
    backupPath: path.resolve(backupPath),
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
