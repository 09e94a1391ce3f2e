// Deletes screenshot objects that no longer have a row, through the Storage
// API with the service role (Supabase refuses direct deletes from
// storage.objects, and a trigger cannot call the API):
//  1. drain public.storage_deletions — rows the journal_screenshots trigger
//     queued when a screenshot went, directly or by cascade from its trade,
//     daily review, account or user; an object already gone counts as done;
//  2. sweep the bucket for objects older than ORPHAN_AGE with no row: an
//     upload whose row insert never happened (the process died in between).
// The queue definition and schedule: jobs/definitions/storage-cleanup.ts.
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import type pg from "pg";
import type { PgBoss } from "pg-boss";
import { withServiceRole } from "~/lib/service-role.server.ts";
import { decodePayload, encodePayload, type JobPayload } from "./definitions/define-job.ts";
import { STORAGE_CLEANUP_CRON, storageCleanupJob } from "./definitions/storage-cleanup.ts";

export const SCREENSHOT_BUCKET = "trade-screenshots";
/** An object younger than this may be an upload whose row is about to be inserted. */
export const ORPHAN_AGE_SECONDS = 3600;
const BATCH = 100;
const MAX_BATCHES = 50;

export interface StorageCleanupContext {
  /** The `authenticator` pool; statements run as service_role. */
  pool: pg.Pool;
  supabaseUrl: string;
  serviceRoleKey: string;
  log: (line: string) => void;
}

export interface StorageCleanupResult {
  /** Queue entries done (deleted now, or already gone). */
  drained: number;
  /** Queue entries whose delete failed; they stay queued with the error. */
  failed: number;
  /** Objects without a row that were deleted. */
  orphansDeleted: number;
}

function serviceStorage(context: StorageCleanupContext): SupabaseClient {
  return createClient(context.supabaseUrl, context.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
}

async function removeObjects(client: SupabaseClient, bucket: string, paths: string[]): Promise<string | null> {
  const { error } = await client.storage.from(bucket).remove(paths);
  return error ? error.message : null;
}

async function drainQueue(context: StorageCleanupContext, client: SupabaseClient): Promise<Pick<StorageCleanupResult, "drained" | "failed">> {
  let drained = 0;
  let failed = 0;
  const tried = new Set<string>();
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    // A path whose row exists again is never deleted (a defence: object paths are never reused).
    const { rows } = await withServiceRole(context.pool, null, (db) =>
      db.query<{ object_path: string; bucket_id: string }>(
        `select d.object_path, d.bucket_id from public.storage_deletions d
          where not (d.object_path = any($2::text[]))
            and not exists (select 1 from public.journal_screenshots s where s.object_path = d.object_path)
          order by d.queued_at, d.object_path limit $1`,
        [BATCH, [...tried]],
      ),
    );
    if (rows.length === 0) break;
    const byBucket = new Map<string, string[]>();
    for (const row of rows) {
      tried.add(row.object_path);
      byBucket.set(row.bucket_id, [...(byBucket.get(row.bucket_id) ?? []), row.object_path]);
    }
    for (const [bucket, paths] of byBucket) {
      const error = await removeObjects(client, bucket, paths);
      await withServiceRole(context.pool, null, (db) =>
        error
          ? db.query("update public.storage_deletions set attempts = attempts + 1, last_error = $2 where object_path = any($1::text[])", [
              paths,
              error.slice(0, 500),
            ])
          : db.query("delete from public.storage_deletions where object_path = any($1::text[])", [paths]),
      );
      if (error) {
        failed += paths.length;
        context.log(`storage-cleanup: ${paths.length} object(s) in ${bucket} not deleted: ${error}`);
      } else {
        drained += paths.length;
      }
    }
  }
  return { drained, failed };
}

async function sweepOrphans(context: StorageCleanupContext, client: SupabaseClient): Promise<number> {
  let deleted = 0;
  const tried = new Set<string>();
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const { rows } = await withServiceRole(context.pool, null, (db) =>
      db.query<{ name: string }>(
        `select o.name from storage.objects o
          where o.bucket_id = $1
            and o.created_at < now() - make_interval(secs => $2)
            and not (o.name = any($4::text[]))
            and not exists (select 1 from public.journal_screenshots s where s.object_path = o.name)
          order by o.created_at, o.name limit $3`,
        [SCREENSHOT_BUCKET, ORPHAN_AGE_SECONDS, BATCH, [...tried]],
      ),
    );
    if (rows.length === 0) break;
    const paths = rows.map((row) => row.name);
    for (const path of paths) tried.add(path);
    const error = await removeObjects(client, SCREENSHOT_BUCKET, paths);
    if (error) context.log(`storage-cleanup: ${paths.length} orphan(s) not deleted: ${error}`);
    else deleted += paths.length;
  }
  return deleted;
}

/** One cleanup run: the queue first, then the orphans. */
export async function runStorageCleanup(
  payload: JobPayload<typeof storageCleanupJob>,
  context: StorageCleanupContext,
): Promise<StorageCleanupResult> {
  const client = serviceStorage(context);
  const { drained, failed } = await drainQueue(context, client);
  const orphansDeleted = await sweepOrphans(context, client);
  if (drained || failed || orphansDeleted) {
    context.log(`storage-cleanup (${payload.reason}): ${drained} queued object(s) deleted, ${failed} failed, ${orphansDeleted} orphan(s) swept`);
  }
  return { drained, failed, orphansDeleted };
}

/** Schedules the cleanup every five minutes and works its queue in this process. */
export async function startStorageCleanup(boss: PgBoss, context: StorageCleanupContext, { pollingIntervalSeconds = 30 } = {}): Promise<void> {
  await boss.schedule(storageCleanupJob.queue, STORAGE_CLEANUP_CRON, encodePayload(storageCleanupJob, { reason: "schedule" }) as object);
  await boss.work(storageCleanupJob.queue, { pollingIntervalSeconds }, async (jobs) => {
    const run = await storageCleanupJob.handler();
    const results: StorageCleanupResult[] = [];
    for (const job of jobs) results.push(await run(decodePayload(storageCleanupJob, job.data), context));
    return results;
  });
}
