// The sync engine as an admin sees it: who is online (sync_presence), the
// pg-boss queue depths the jobs process reports (sync_queue_stats) and the
// terminal workers' heartbeats (worker_health). RLS lets only admins read the
// last two and other users' presence; a non-admin gets "not found", so the
// page does not even admit it exists.
import { AppError } from "~/lib/app-error.ts";
import type { RequestDb } from "~/lib/db.server.ts";

export interface PresenceRow {
  userId: string;
  /** Null only if the profile was deleted since the jobs process wrote the row. */
  email: string | null;
  state: "online" | "grace" | "offline";
  onlineSince: string | null;
  lastSeenAt: string | null;
  graceUntil: string | null;
}

export interface QueueRow {
  queue: string;
  queued: number;
  active: number;
  deferred: number;
  failedLastHour: number;
  updatedAt: string;
}

export interface WorkerRow {
  workerId: string;
  kind: "trade" | "market_data";
  host: string | null;
  pid: number | null;
  status: string;
  currentJob: string | null;
  currentServer: string | null;
  jobsCompleted: string;
  lastError: string | null;
  startedAt: string;
  terminalStartedAt: string | null;
  lastHeartbeatAt: string;
}

export interface SyncAdminData {
  /** The database's clock, so ages are measured against the same time the rows were written with. */
  now: string;
  presence: PresenceRow[];
  queues: QueueRow[];
  workers: WorkerRow[];
}

const iso = (value: Date | null) => value?.toISOString() ?? null;

export async function loadSyncAdmin(db: RequestDb): Promise<SyncAdminData> {
  const admin = await db.query<{ is_admin: boolean; now: Date }>("select public.is_admin() as is_admin, now() as now");
  if (!admin.rows[0]?.is_admin) throw new AppError("not_found", "Page not found.");
  const presence = await db.query<{
    user_id: string;
    state: PresenceRow["state"];
    online_since: Date | null;
    last_seen_at: Date | null;
    grace_until: Date | null;
  }>(
    `select user_id, state, online_since, last_seen_at, grace_until from public.sync_presence
      where state <> 'offline' order by state, online_since nulls last, user_id`,
  );
  const emails = await db.query<{ user_id: string; email: string }>("select user_id, email from public.admin_user_emails($1::uuid[])", [
    presence.rows.map((p) => p.user_id),
  ]);
  const emailOf = new Map(emails.rows.map((row) => [row.user_id, row.email]));
  const queues = await db.query<{
    queue: string;
    queued: number;
    active: number;
    deferred: number;
    failed_last_hour: number;
    updated_at: Date;
  }>("select queue, queued, active, deferred, failed_last_hour, updated_at from public.sync_queue_stats order by queue");
  const workers = await db.query<{
    worker_id: string;
    kind: WorkerRow["kind"];
    host: string | null;
    pid: number | null;
    status: string;
    current_job: string | null;
    current_mt5_server: string | null;
    jobs_completed: string;
    last_error: string | null;
    started_at: Date;
    terminal_started_at: Date | null;
    last_heartbeat_at: Date;
  }>(
    `select worker_id, kind, host, pid, status, current_job, current_mt5_server, jobs_completed::text, last_error,
            started_at, terminal_started_at, last_heartbeat_at
       from public.worker_health order by kind desc, worker_id`,
  );
  return {
    now: admin.rows[0].now.toISOString(),
    presence: presence.rows.map((p) => ({
      userId: p.user_id,
      email: emailOf.get(p.user_id) ?? null,
      state: p.state,
      onlineSince: iso(p.online_since),
      lastSeenAt: iso(p.last_seen_at),
      graceUntil: iso(p.grace_until),
    })),
    queues: queues.rows.map((q) => ({
      queue: q.queue,
      queued: q.queued,
      active: q.active,
      deferred: q.deferred,
      failedLastHour: q.failed_last_hour,
      updatedAt: q.updated_at.toISOString(),
    })),
    workers: workers.rows.map((w) => ({
      workerId: w.worker_id,
      kind: w.kind,
      host: w.host,
      pid: w.pid,
      status: w.status,
      currentJob: w.current_job,
      currentServer: w.current_mt5_server,
      jobsCompleted: w.jobs_completed,
      lastError: w.last_error,
      startedAt: w.started_at.toISOString(),
      terminalStartedAt: iso(w.terminal_started_at),
      lastHeartbeatAt: w.last_heartbeat_at.toISOString(),
    })),
  };
}
