// Every 10 s: one worker_health row per terminal and one sync_queue_stats row
// per queue, for the admin page (the app never reads pg-boss's own schema).
import os from "node:os";
import type pg from "pg";
import type { PgBoss } from "pg-boss";
import { withServiceRole } from "~/lib/service-role.server.ts";
import type { Clock } from "./clock.ts";
import { SYNC_QUEUE } from "./queue.ts";
import type { Terminal } from "./terminals/terminal.ts";

export async function reportHealth(pool: pg.Pool, boss: PgBoss, terminals: readonly Terminal[], clock: Clock, startedAt: Date): Promise<void> {
  const at = clock.now();
  const queue = await boss.getQueue(SYNC_QUEUE);
  await withServiceRole(pool, null, async (db) => {
    for (const terminal of terminals) {
      const status = terminal.status;
      await db.query(
        `insert into public.worker_health (worker_id, kind, host, pid, status, current_job, current_mt5_server, jobs_completed,
           last_error, started_at, terminal_started_at, last_heartbeat_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         on conflict (worker_id) do update set kind = excluded.kind, host = excluded.host, pid = excluded.pid,
           status = excluded.status, current_job = excluded.current_job, current_mt5_server = excluded.current_mt5_server,
           jobs_completed = excluded.jobs_completed, last_error = excluded.last_error, started_at = excluded.started_at,
           terminal_started_at = excluded.terminal_started_at, last_heartbeat_at = excluded.last_heartbeat_at`,
        [
          terminal.id,
          terminal.kind,
          os.hostname(),
          process.pid,
          status.status,
          status.currentJob,
          terminal.loggedIn?.server ?? null,
          status.jobsCompleted,
          status.lastError,
          startedAt,
          status.terminalStartedAt,
          at,
        ],
      );
    }
    if (queue) {
      await db.query(
        `insert into public.sync_queue_stats (queue, queued, active, deferred, failed_last_hour, updated_at)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (queue) do update set queued = excluded.queued, active = excluded.active, deferred = excluded.deferred,
           failed_last_hour = excluded.failed_last_hour, updated_at = excluded.updated_at`,
        // Failed jobs are kept for an hour (the queue's retention), so the count is the last hour's.
        [SYNC_QUEUE, queue.readyCount, queue.activeCount, queue.deferredCount, queue.failedCount, at],
      );
    }
  });
}

/** Marks this process's terminals stopped on shutdown, so the admin page does not show them alive. */
export async function reportStopped(pool: pg.Pool, terminals: readonly Terminal[], clock: Clock): Promise<void> {
  await withServiceRole(pool, null, (db) =>
    db.query("update public.worker_health set status = 'stopped', current_job = null, last_heartbeat_at = $2 where worker_id = any($1)", [
      terminals.map((terminal) => terminal.id),
      clock.now(),
    ]),
  );
}
