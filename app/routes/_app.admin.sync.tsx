// The sync engine for admins: who is online, how deep the queues are, and
// what each terminal worker is doing. Everyone else gets a 404. The jobs
// process writes these rows every 10 s; the page reloads them as often while
// it is visible.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { PageHeader } from "~/components/page-header.tsx";
import { formatDuration } from "~/lib/format.ts";
import { requireUserDb } from "~/lib/request-db.server.ts";
import { handleLoader } from "~/lib/route-handler.server.ts";
import { pool } from "~/lib/pool.server.ts";
import { checkReadiness, type Readiness } from "~/models/readiness.server.ts";
import { loadSyncAdmin, type WorkerRow } from "~/models/sync-admin.server.ts";

export const meta: MetaFunction = () => [{ title: "Sync engine — RawJournal" }];

export const loader = (args: LoaderFunctionArgs) =>
  handleLoader(args, async ({ request }) => {
    const user = await requireUserDb(request);
    const sync = await loadSyncAdmin(user.db); // 404 for anyone but an admin
    return { ...sync, readiness: await checkReadiness(pool) };
  });

/** A heartbeat older than this means the worker (or the whole jobs process) has stopped reporting. */
const STALE_HEARTBEAT_MS = 30_000;
const REFRESH_MS = 10_000;

function since(now: string, at: string | null): number | null {
  return at ? Date.parse(now) - Date.parse(at) : null;
}

function ago(now: string, at: string | null): string {
  const age = since(now, at);
  return age === null ? "—" : `${formatDuration(Math.max(0, age))} ago`;
}

const th = "whitespace-nowrap px-3 py-2.5 text-left text-xs font-medium text-fg-muted";
const td = "whitespace-nowrap px-3 py-2 tabular-nums";

function Table({ caption, head, children }: { caption: string; head: string[]; children: ReactNode }) {
  return (
    <div className="card overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-border">
          <tr>
            {head.map((label) => (
              <th key={label} scope="col" className={th}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-border">{children}</tbody>
      </table>
    </div>
  );
}

function Empty({ children }: { children: ReactNode }) {
  return <p className="card px-4 py-6 text-sm text-fg-muted">{children}</p>;
}

const STATUS_CLASS: Record<string, string> = {
  idle: "text-green-300",
  busy: "text-indigo-200",
  starting: "text-fg-muted",
  restarting: "text-amber-300",
  stopped: "text-fg-subtle",
  error: "text-red-300",
};

function WorkerStatus({ worker, now }: { worker: WorkerRow; now: string }) {
  const stale = (since(now, worker.lastHeartbeatAt) ?? 0) > STALE_HEARTBEAT_MS;
  return (
    <span className={STATUS_CLASS[worker.status] ?? "text-fg"}>
      {worker.status}
      {stale ? <span className="ml-2 rounded-full border border-amber-500/40 px-2 py-0.5 text-xs text-amber-300">no heartbeat</span> : null}
    </span>
  );
}

/** The same checks as /readyz, for a person. */
function ReadinessSection({ readiness }: { readiness: Readiness }) {
  const { database, migrations, jobsLeader, marketData } = readiness.checks;
  const rows: [string, boolean, string][] = [
    ["Database", database.ok, database.ok ? `answered in ${database.ms} ms` : (database.error ?? "unreachable")],
    [
      "Migrations",
      migrations.ok,
      migrations.ok ? `all ${migrations.expected} applied` : `${migrations.missing.length} not applied: ${migrations.missing.join(", ") || "—"}`,
    ],
    [
      "Jobs leader",
      jobsLeader.ok,
      `${jobsLeader.ok ? "a jobs process holds the leader lock" : "no jobs process holds the leader lock"}; newest worker heartbeat ${jobsLeader.workerHeartbeatAt ? new Date(jobsLeader.workerHeartbeatAt).toISOString().replace("T", " ").slice(0, 19) + " UTC" : "never"}`,
    ],
    ["Market-data terminal", marketData.ok, marketData.ok ? "beat in the last minute" : "no heartbeat in the last minute"],
  ];
  return (
    <section aria-labelledby="readiness-heading" className="space-y-3">
      <h2 id="readiness-heading" className="text-base font-semibold text-fg">
        Readiness <span className={readiness.ok ? "text-profit" : "text-loss"}>{readiness.ok ? "— ready" : "— not ready"}</span>
      </h2>
      <Table caption="Readiness checks, as /readyz reports them" head={["Check", "State", "Detail"]}>
        {rows.map(([name, ok, detail]) => (
          <tr key={name}>
            <td className={td}>{name}</td>
            <td className={`${td} ${ok ? "text-profit" : "text-loss"}`}>{ok ? "OK" : "Failing"}</td>
            <td className="px-3 py-2 text-fg-muted">{detail}</td>
          </tr>
        ))}
      </Table>
    </section>
  );
}

export default function SyncAdmin() {
  const { now, presence, queues, workers, readiness } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") revalidate.current();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const online = presence.filter((p) => p.state === "online").length;
  const grace = presence.length - online;

  return (
    <>
      <PageHeader title="Sync engine" description={`As the jobs process last reported it. ${online} online, ${grace} in the grace period.`} />
      <div className="space-y-8">
        <ReadinessSection readiness={readiness} />
        <section aria-labelledby="presence-heading" className="space-y-3">
          <h2 id="presence-heading" className="text-base font-semibold text-fg">
            Online users
          </h2>
          {presence.length === 0 ? (
            <Empty>Nobody is online.</Empty>
          ) : (
            <Table caption="Users online or in their grace period" head={["User", "State", "Online since", "Last seen", "Sync stops"]}>
              {presence.map((p) => (
                <tr key={p.userId}>
                  <td className={td}>
                    {p.email ?? "deleted user"}
                    <span className="block font-mono text-xs text-fg-subtle">{p.userId}</span>
                  </td>
                  <td className={td}>
                    {p.state === "online" ? <span className="text-green-300">online</span> : <span className="text-amber-300">grace</span>}
                  </td>
                  <td className={td}>{ago(now, p.onlineSince)}</td>
                  <td className={td}>{ago(now, p.lastSeenAt)}</td>
                  <td className={td}>
                    {p.state === "grace" && p.graceUntil ? `in ${formatDuration(Math.max(0, -(since(now, p.graceUntil) ?? 0)))}` : "—"}
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </section>

        <section aria-labelledby="queues-heading" className="space-y-3">
          <h2 id="queues-heading" className="text-base font-semibold text-fg">
            Queues
          </h2>
          {queues.length === 0 ? (
            <Empty>No queue statistics yet: the jobs process reports them every 10 seconds while it runs.</Empty>
          ) : (
            <Table caption="Queue depths" head={["Queue", "Queued", "Active", "Deferred", "Failed (1 h)", "Reported"]}>
              {queues.map((q) => (
                <tr key={q.queue}>
                  <td className={`${td} font-medium text-fg`}>{q.queue}</td>
                  <td className={td}>{q.queued}</td>
                  <td className={td}>{q.active}</td>
                  <td className={td}>{q.deferred}</td>
                  <td className={`${td} ${q.failedLastHour > 0 ? "text-red-300" : ""}`}>{q.failedLastHour}</td>
                  <td className={`${td} text-fg-muted`}>{ago(now, q.updatedAt)}</td>
                </tr>
              ))}
            </Table>
          )}
        </section>

        <section aria-labelledby="workers-heading" className="space-y-3">
          <h2 id="workers-heading" className="text-base font-semibold text-fg">
            Workers
          </h2>
          {workers.length === 0 ? (
            <Empty>
              No worker has reported. Start the jobs process with <code className="font-mono">npm run jobs</code>.
            </Empty>
          ) : (
            <Table
              caption="Terminal workers"
              head={["Worker", "Status", "Current job", "Server", "Uptime", "Terminal up", "Jobs done", "Heartbeat", "Last error"]}
            >
              {workers.map((w) => (
                <tr key={w.workerId} data-worker-id={w.workerId}>
                  <td className={td}>
                    <span className="font-medium text-fg">{w.workerId}</span>
                    <span className="block text-xs text-fg-subtle">
                      {w.kind === "trade" ? "trade" : "market data"}
                      {w.host ? ` · ${w.host}` : ""}
                      {w.pid ? ` · pid ${w.pid}` : ""}
                    </span>
                  </td>
                  <td className={td}>
                    <WorkerStatus worker={w} now={now} />
                  </td>
                  <td className={`${td} max-w-[16rem] truncate`} title={w.currentJob ?? undefined}>
                    {w.currentJob ?? "—"}
                  </td>
                  <td className={td}>{w.currentServer ?? "—"}</td>
                  <td className={td}>{formatDuration(since(now, w.startedAt))}</td>
                  <td className={td}>{formatDuration(since(now, w.terminalStartedAt))}</td>
                  <td className={td}>{w.jobsCompleted}</td>
                  <td className={td}>{ago(now, w.lastHeartbeatAt)}</td>
                  <td className={`${td} max-w-[20rem] truncate text-red-300`} title={w.lastError ?? undefined}>
                    {w.lastError ?? <span className="text-fg-subtle">—</span>}
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </section>
      </div>
    </>
  );
}
