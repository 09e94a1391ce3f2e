// /healthz and /readyz (issue 19 item 4), and the admin page showing the
// same checks, against the built app on its own database.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { JOBS_LEADER_LOCK_KEY } from "../../jobs/leader-lock.ts";
import type { Readiness } from "../../app/models/readiness.server.ts";
import { createConfirmedUser, startAppForTests, type AppUnderTest } from "../support/app-server.ts";
import { cookiesOf, send } from "../support/http-client.ts";

vi.setConfig({ testTimeout: 60_000 });

let app: AppUnderTest;
beforeAll(async () => {
  app = await startAppForTests();
}, 90_000);

async function readyz(): Promise<{ status: number; body: Readiness }> {
  const response = await fetch(`${app.url}/readyz`);
  expect(response.headers.get("content-type")).toContain("application/json");
  return { status: response.status, body: (await response.json()) as Readiness };
}

describe("health and readiness", () => {
  it("/healthz says the process is up, without touching the database", async () => {
    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true });
  });

  it("/readyz is 503 and names what is missing while no jobs process or market-data terminal runs", async () => {
    const { status, body } = await readyz();
    expect(status).toBe(503);
    expect(body.ok).toBe(false);
    expect(body.checks.database.ok).toBe(true);
    expect(body.checks.migrations).toMatchObject({ ok: true, missing: [] });
    expect(body.checks.migrations.expected).toBeGreaterThan(30);
    expect(body.checks.jobsLeader.ok).toBe(false);
    expect(body.checks.marketData.ok).toBe(false);
  });

  describe("with a jobs leader and a live market-data terminal", () => {
    const leader = { release: async () => {} };
    beforeAll(async () => {
      const client = await app.db.pool.connect();
      await client.query("select pg_advisory_lock($1)", [JOBS_LEADER_LOCK_KEY]);
      leader.release = async () => {
        await client.query("select pg_advisory_unlock($1)", [JOBS_LEADER_LOCK_KEY]);
        client.release();
      };
      await app.db.pool.query(
        "insert into public.worker_health (worker_id, kind, status, last_heartbeat_at) values ('md-1', 'market_data', 'idle', now())",
      );
    });
    afterAll(() => leader.release());

    it("/readyz is 200 when every check passes", async () => {
      const { status, body } = await readyz();
      expect(body.checks).toMatchObject({ database: { ok: true }, migrations: { ok: true }, jobsLeader: { ok: true }, marketData: { ok: true } });
      expect(body.checks.jobsLeader.workerHeartbeatAt).not.toBeNull();
      expect(status).toBe(200);
      expect(body.ok).toBe(true);
    });

    it("/readyz is 503 again when a shipped migration is not applied, and names it", async () => {
      const { rows } = await app.db.pool.query<{ version: string; statements: string[]; name: string }>(
        "delete from supabase_migrations.schema_migrations where version = (select max(version) from supabase_migrations.schema_migrations) returning *",
      );
      try {
        const { status, body } = await readyz();
        expect(status).toBe(503);
        expect(body.checks.migrations).toMatchObject({ ok: false, missing: [rows[0]!.version] });
      } finally {
        await app.db.pool.query("insert into supabase_migrations.schema_migrations (version, statements, name) values ($1, $2, $3)", [
          rows[0]!.version,
          rows[0]!.statements,
          rows[0]!.name,
        ]);
      }
    });

    it("the admin page shows the same checks; other users get a 404", async () => {
      const admin = await createConfirmedUser(app);
      await app.db.pool.query("update public.profiles set is_admin = true where id = $1", [admin.id]);
      const signIn = (user: { email: string; password: string }, from: string) =>
        send(`${app.url}/login?index`, { method: "POST", from, form: user, headers: { origin: app.url } });
      const page = await send(`${app.url}/admin/sync`, { headers: { cookie: cookiesOf(await signIn(admin, "127.0.0.41")) } });
      expect(page.status).toBe(200);
      expect(page.body).toContain("Readiness");
      expect(page.body).toContain("a jobs process holds the leader lock");
      expect(page.body).toContain("beat in the last minute");
      const someone = await createConfirmedUser(app);
      const refused = await send(`${app.url}/admin/sync`, { headers: { cookie: cookiesOf(await signIn(someone, "127.0.0.42")) } });
      expect(refused.status).toBe(404);
    });
  });
});
