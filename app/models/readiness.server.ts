// Is this instance ready to serve (issue 19 item 4)? The database answers,
// every migration in supabase/migrations is applied, a jobs process holds the
// leader lock, and a market-data terminal is alive. /readyz answers with it
// (503 when anything is not), and the admin page shows the same checks.
import { readdir } from "node:fs/promises";
import path from "node:path";
import type pg from "pg";

export interface Readiness {
  ok: boolean;
  checkedAt: string;
  checks: {
    database: { ok: boolean; ms: number; error?: string };
    migrations: { ok: boolean; applied: number; expected: number; missing: string[] };
    jobsLeader: { ok: boolean; workerHeartbeatAt: string | null };
    marketData: { ok: boolean };
  };
}

let expectedVersions: Promise<string[]> | null = null;

/** The migration versions this build ships (file names up to the first underscore), read once. */
function shippedMigrations(): Promise<string[]> {
  expectedVersions ??= readdir(path.join(process.cwd(), "supabase/migrations")).then((files) =>
    files
      .filter((f) => f.endsWith(".sql"))
      .map((f) => f.split("_")[0]!)
      .sort(),
  );
  return expectedVersions;
}

interface ReadinessRow {
  applied_migrations: string[];
  jobs_leader: boolean;
  worker_heartbeat_at: string | null;
  market_data_alive: boolean;
  now: string;
}

export async function checkReadiness(db: Pick<pg.Pool, "query">): Promise<Readiness> {
  const started = performance.now();
  const expected = await shippedMigrations().catch(() => []);
  try {
    const { rows } = await db.query<{ readiness: ReadinessRow }>("select public.readiness() as readiness");
    const facts = rows[0]!.readiness;
    const applied = new Set(facts.applied_migrations);
    const missing = expected.filter((v) => !applied.has(v));
    const checks: Readiness["checks"] = {
      database: { ok: true, ms: Math.round((performance.now() - started) * 10) / 10 },
      migrations: { ok: missing.length === 0 && expected.length > 0, applied: applied.size, expected: expected.length, missing },
      jobsLeader: { ok: facts.jobs_leader, workerHeartbeatAt: facts.worker_heartbeat_at },
      marketData: { ok: facts.market_data_alive },
    };
    return { ok: Object.values(checks).every((c) => c.ok), checkedAt: new Date(facts.now).toISOString(), checks };
  } catch (error) {
    // Never the connection string or credentials: the error's message only.
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      checkedAt: new Date().toISOString(),
      checks: {
        database: { ok: false, ms: Math.round((performance.now() - started) * 10) / 10, error: message },
        migrations: { ok: false, applied: 0, expected: expected.length, missing: [] },
        jobsLeader: { ok: false, workerHeartbeatAt: null },
        marketData: { ok: false },
      },
    };
  }
}
