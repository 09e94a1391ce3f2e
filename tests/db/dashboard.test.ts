// The dashboard's and the admin page's loaders against a real database:
// exact figures as stored, the user's rows only, and the admin page for
// admins only (a 404 for everyone else).
import { describe, expect, it } from "vitest";
import { AppError } from "../../app/lib/app-error.ts";
import { withRlsTransaction } from "../../app/lib/db.server.ts";
import { loadDashboard as loadDashboardInRequest } from "../../app/models/dashboard.server.ts";
import { loadSyncAdmin as loadSyncAdminInRequest } from "../../app/models/sync-admin.server.ts";
import { createTestDatabase } from "../support/database.ts";
import { createAccount, createTrade, createUser, userClaims } from "../support/fixtures.ts";
import { asRequest, asRequestOf } from "./as-request.ts";

const loadDashboard = asRequest(loadDashboardInRequest);
const loadSyncAdmin = asRequestOf(loadSyncAdminInRequest);

const db = await createTestDatabase();

async function mt5Account(userId: string, login: number) {
  const id = await createAccount(db.pool, userId, { kind: "mt5", mt5_server: "ICMarketsSC-Demo", mt5_login: login, name: "IC Live" });
  await db.pool.query(
    `update public.accounts set balance = 100000000000.0123456789, equity = 10012.5, margin = 108.25, free_margin = 9904.25,
       sync_status = 'ok', last_synced_at = '2026-12-01T09:00:15Z' where id = $1`,
    [id],
  );
  return id;
}

describe("loadDashboard", () => {
  it("returns accounts, open positions and recent trades as stored, for the user only", async () => {
    const alice = await createUser(db.pool, { tier: "pro", timeZone: "Europe/Berlin" });
    const bob = await createUser(db.pool, { tier: "pro" });
    const live = await mt5Account(alice, 1);
    const manual = await createAccount(db.pool, alice, { name: "Manual" });
    await db.pool.query("update public.accounts set initial_balance = 5000 where id = $1", [manual]);
    await createTrade(db.pool, alice, manual, { gross_profit: "0.1", closed_at: "2026-11-30T10:00:00Z" });
    await createTrade(db.pool, alice, manual, { gross_profit: "0.2", closed_at: "2026-11-30T11:00:00Z" });
    await db.pool.query(
      `insert into public.open_positions (user_id, account_id, position_id, symbol, direction, opened_at, volume, entry_price,
         current_price, stop_loss, swap, floating_profit)
       values ($1, $2, '50123', 'EURUSD', 'buy', '2026-12-01T08:00:00Z', 0.50, 1.08250, 1.08310, 1.08000, -0.35, 30.00),
              ($1, $2, '50124', 'XAUUSD', 'sell', '2026-12-01T08:30:00Z', 0.1, 2650.10, null, null, 0, null)`,
      [alice, live],
    );
    const bobs = await mt5Account(bob, 2);
    await db.pool.query(
      `insert into public.open_positions (user_id, account_id, position_id, symbol, direction, opened_at, volume, entry_price)
       values ($1, $2, '1', 'GBPUSD', 'buy', now(), 1, 1.25)`,
      [bob, bobs],
    );

    const data = await loadDashboard(db.appPool, userClaims(alice));
    expect(data.timeZone).toBe("Europe/Berlin");
    expect(data.hasTrades).toBe(true);
    expect(data.accounts).toEqual([
      {
        id: live,
        name: "IC Live",
        kind: "mt5",
        currency: "USD",
        balance: "100000000000.0123456789",
        equity: "10012.5",
        margin: "108.25",
        freeMargin: "9904.25",
        // Not summed for an account the broker reports on: the broker's balance is the one shown.
        ledgerBalance: "100000000000.0123456789",
        syncEnabled: true,
        syncStatus: "ok",
        syncError: null,
        lastSyncedAt: "2026-12-01T09:00:15.000Z",
        pausedReason: null,
      },
      expect.objectContaining({ id: manual, kind: "manual", balance: null, ledgerBalance: "5000.3" }),
    ]);
    expect(data.positions.map((p) => [p.symbol, p.volume, p.entryPrice, p.currentPrice, p.stopLoss, p.swap, p.floatingProfit])).toEqual([
      ["XAUUSD", "0.1", "2650.10", null, null, "0", null],
      ["EURUSD", "0.50", "1.08250", "1.08310", "1.08000", "-0.35", "30.00"],
    ]);
    expect(data.recentTrades.map((t) => t.netProfit)).toEqual(["0.2", "0.1"]);
    expect(JSON.stringify(data)).not.toContain(bobs);
  });

  it("tells an empty journal apart, and reports a paused account with the jobs' reason", async () => {
    const carol = await createUser(db.pool, { tier: "pro" });
    expect(await loadDashboard(db.appPool, userClaims(carol))).toMatchObject({
      accounts: [],
      positions: [],
      recentTrades: [],
      hasTrades: false,
      timeZone: "UTC",
    });
    const id = await mt5Account(carol, 3);
    await db.pool.query("update public.accounts set sync_status = 'paused', sync_error = 'Reconnect.' where id = $1", [id]);
    await db.pool.query(
      "insert into public.account_sync_state (account_id, user_id, paused_at, paused_reason) values ($1, $2, now(), 'auth_failed x3')",
      [id, carol],
    );
    expect((await loadDashboard(db.appPool, userClaims(carol))).accounts[0]).toMatchObject({
      syncStatus: "paused",
      syncError: "Reconnect.",
      pausedReason: "auth_failed x3",
    });
  });
});

describe("loadSyncAdmin", () => {
  it("is not found for a non-admin, and shows presence, queues and workers to an admin", async () => {
    const admin = await createUser(db.pool, { admin: true });
    const user = await createUser(db.pool, { tier: "pro" });
    const error = await loadSyncAdmin(db.appPool, userClaims(user)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(404);

    await db.pool.query(
      `insert into public.sync_presence (user_id, state, online_since, last_seen_at, grace_until) values
         ($1, 'online', now() - interval '5 minutes', now(), null),
         ($2, 'grace', now() - interval '1 hour', now() - interval '1 minute', now() + interval '4 minutes')`,
      [user, admin],
    );
    const offline = await createUser(db.pool);
    await db.pool.query("insert into public.sync_presence (user_id, state) values ($1, 'offline')", [offline]);
    await db.pool.query(
      `insert into public.sync_queue_stats (queue, queued, active, deferred, failed_last_hour) values
         ('sync-light', 3, 2, 0, 1), ('sync-full', 0, 1, 4, 0)`,
    );
    await db.pool.query(
      `insert into public.worker_health (worker_id, kind, host, pid, status, current_job, current_mt5_server, jobs_completed, last_error,
         started_at, terminal_started_at, last_heartbeat_at) values
         ('trade-1', 'trade', 'jobs-1', 4242, 'busy', 'sync-light:abc', 'ICMarketsSC-Demo', 1200, null, now() - interval '2 hours', now() - interval '1 hour', now()),
         ('md-1', 'market_data', 'jobs-1', 4243, 'error', null, null, 12, 'terminal stopped answering', now(), null, now() - interval '2 minutes')`,
    );
    const data = await loadSyncAdmin(db.appPool, userClaims(admin));
    const emails = await db.pool.query<{ id: string; email: string }>("select id, email from public.profiles where id = any($1)", [[admin, user]]);
    const emailOf = Object.fromEntries(emails.rows.map((row) => [row.id, row.email]));
    expect(data.presence.map((p) => [p.userId, p.email, p.state])).toEqual([
      [admin, emailOf[admin], "grace"],
      [user, emailOf[user], "online"],
    ]);
    // Everyone else asking the same function learns nothing.
    const asUser = await withRlsTransaction(db.appPool, userClaims(user), (c) =>
      c.query("select * from public.admin_user_emails($1::uuid[])", [[admin, user]]),
    );
    expect(asUser.rows).toEqual([]);
    expect(data.queues).toEqual([
      expect.objectContaining({ queue: "sync-full", queued: 0, active: 1, deferred: 4, failedLastHour: 0 }),
      expect.objectContaining({ queue: "sync-light", queued: 3, active: 2, deferred: 0, failedLastHour: 1 }),
    ]);
    expect(data.workers.map((w) => [w.workerId, w.status, w.currentJob, w.currentServer, w.jobsCompleted, w.lastError])).toEqual([
      ["trade-1", "busy", "sync-light:abc", "ICMarketsSC-Demo", "1200", null],
      ["md-1", "error", null, null, "12", "terminal stopped answering"],
    ]);
    expect(Date.parse(data.now)).toBeGreaterThan(Date.parse(data.workers[0]!.startedAt));
  });
});
