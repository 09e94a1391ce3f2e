// The live dashboard in real Chromium: positions, balances and the sync dot
// change without a reload when rows change, a `trade_closed` broadcast shows
// its toast with "Add notes", an `account_paused` one its warning, every page
// tracks the tab on the user's presence topic, the weekend banner shows while
// the FX market is closed, the page fits 375 px, and the live connection
// outlives several access-token lifetimes and a dropped connection.
//
// The jobs process is played by the test (a test double): it writes
// open_positions, accounts and trades rows and sends the broadcasts through
// the database as the service owner, exactly what the jobs process does
// through realtime.send(); the lead's end-to-end test drives the real jobs
// process and the MT5 simulator.
import net from "node:net";
import { createClient } from "@supabase/supabase-js";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AccountPausedNotice, TradeClosedNotice } from "../../app/domain/sync/realtime-contract.ts";
import { createConfirmedUser, startAppForTests, type AppUnderTest } from "../support/app-server.ts";
import { collectPageErrors, launchChromium, saveScreenshot } from "../support/browser.ts";
import { createAccount, createTrade } from "../support/fixtures.ts";
import { freePort } from "../support/local-supabase.ts";

vi.setConfig({ testTimeout: 120_000 });

let app: AppUnderTest;
let browser: Browser;

beforeAll(async () => {
  app = await startAppForTests();
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

type User = Awaited<ReturnType<typeof createConfirmedUser>>;

async function signedInContext(
  target: AppUnderTest,
  user: User,
  options: Parameters<Browser["newContext"]>[0] = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  await page.goto(`${target.url}/login`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${target.url}/dashboard`);
  return { context, page };
}

/** A Pro user with a synced MT5 account and one open position, as the jobs process leaves them. */
async function tradingUser(target: AppUnderTest) {
  const user = await createConfirmedUser(target);
  const db = target.db.pool;
  await db.query("update public.profiles set subscription_tier = 'pro' where id = $1", [user.id]);
  const accountId = await createAccount(db, user.id, { kind: "mt5", mt5_server: "ICMarketsSC-Demo", mt5_login: 51234567, name: "IC Live" });
  await db.query(
    `update public.accounts set balance = 10000.00, equity = 10030.00, margin = 108.25, free_margin = 9921.75,
       sync_status = 'ok', last_synced_at = now() where id = $1`,
    [accountId],
  );
  const { rows } = await db.query(
    `insert into public.open_positions (user_id, account_id, position_id, symbol, direction, opened_at, volume, entry_price,
       current_price, stop_loss, take_profit, swap, floating_profit)
     values ($1, $2, '50123', 'EURUSD', 'buy', now() - interval '2 hours', 0.50, 1.08250, 1.08310, 1.08000, 1.09000, -0.35, 30.00)
     returning id`,
    [user.id, accountId],
  );
  return { user, accountId, positionId: rows[0].id as string };
}

async function waitLive(page: Page) {
  await page.locator('[data-live="live"]').waitFor({ timeout: 15_000 });
}

// Against the device width: a phone browser widens its layout viewport to fit content that overflows.
const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - Math.min(window.innerWidth, screen.width));

async function presenceRoster(target: AppUnderTest, userId: string) {
  const service = createClient(target.supabase.url, target.supabase.serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false } });
  const channel = service.channel(`presence:${userId}`, { config: { private: true, presence: { enabled: true } } });
  channel.on("presence", { event: "sync" }, () => {});
  await service.realtime.setAuth();
  await new Promise<void>((resolve, reject) =>
    channel.subscribe((status, error) => (status === "SUBSCRIBED" ? resolve() : status === "CHANNEL_ERROR" ? reject(error) : undefined)),
  );
  return { count: () => Object.keys(channel.presenceState()).length, close: () => service.removeAllChannels() };
}

async function until(probe: () => boolean | Promise<boolean>, what: string, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("the live dashboard", () => {
  it("updates positions, balances and the sync dot, and shows the closed-trade toast, without a reload", async () => {
    const { user, accountId, positionId } = await tradingUser(app);
    const db = app.db.pool;
    const { context, page } = await signedInContext(app, user);
    const errors = collectPageErrors(page);
    const card = page.locator(`li[data-account-id="${accountId}"]`);
    const table = page.getByRole("table");

    // Server-rendered first.
    const eurusd = table.locator('tr[data-position-id="50123"]');
    await eurusd.waitFor();
    expect(await eurusd.innerText()).toMatch(/EURUSD\s+BUY\s+0\.5\s+1\.08250\s+1\.08310\s+1\.08000 \/ 1\.09000\s+-\$0\.35\s+\+\$30\.00/);
    expect(await card.locator('[data-figure="balance"]').innerText()).toBe("$10,000.00");
    expect(await card.locator('[data-figure="floating"]').innerText()).toBe("+$30.00");
    await waitLive(page);
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    // A new position, a price move and new account figures arrive live.
    await db.query(
      `insert into public.open_positions (user_id, account_id, position_id, symbol, direction, opened_at, volume, entry_price,
         current_price, swap, floating_profit)
       values ($1, $2, '50124', 'XAUUSD', 'sell', now(), 0.10, 2650.10, 2648.60, 0, 15.00)`,
      [user.id, accountId],
    );
    const gold = table.locator('tr[data-position-id="50124"]');
    await gold.waitFor();
    expect(await gold.innerText()).toContain("XAUUSD");
    await db.query("update public.open_positions set current_price = 1.0840, floating_profit = 75.5 where id = $1", [positionId]);
    await until(async () => (await eurusd.locator('[data-cell="current"]').innerText()) === "1.08400", "the new price");
    expect(await eurusd.locator('[data-cell="floating"]').innerText()).toBe("+$75.50");
    await until(async () => (await card.locator('[data-figure="floating"]').innerText()) === "+$90.50", "the account's floating total");
    await db.query("update public.accounts set balance = 10047.50, equity = 10138.00, last_synced_at = now() where id = $1", [accountId]);
    await until(async () => (await card.locator('[data-figure="balance"]').innerText()) === "$10,047.50", "the new balance");
    expect(await card.locator('[data-figure="equity"]').innerText()).toBe("$10,138.00");
    await saveScreenshot(page, "dashboard-live-1280");

    // The gold position closes: its row goes, the trade arrives, the jobs process announces it.
    await db.query("delete from public.open_positions where account_id = $1 and position_id = '50124'", [accountId]);
    const tradeId = await createTrade(db, user.id, accountId, {
      position_id: "50124",
      symbol: "EURUSD",
      direction: "buy",
      gross_profit: "47.50",
      opened_at: new Date(Date.now() - 3_600_000).toISOString(),
      closed_at: new Date().toISOString(),
    });
    await db.query("update public.trades set pips = 23 where id = $1", [tradeId]);
    const notice: TradeClosedNotice = {
      tradeId,
      accountId,
      symbol: "EURUSD",
      direction: "buy",
      netProfit: "47.50",
      currency: "USD",
      pips: "23",
      closedAt: new Date().toISOString(),
    };
    await db.query("select realtime.send($1::jsonb, 'trade_closed', $2, true)", [JSON.stringify(notice), `user:${user.id}`]);
    // Radix also copies the text into a live region for screen readers; the toast itself sits in the notifications region.
    const toast = page
      .getByRole("region", { name: /Notifications/ })
      .locator("li")
      .filter({ hasText: "EURUSD buy closed +$47.50 (+23.0 pips)" });
    await toast.waitFor();
    await gold.waitFor({ state: "detached" });
    await page.getByRole("list", { name: "Recently closed trades" }).locator(`li[data-trade-id="${tradeId}"]`).waitFor();
    const addNotes = toast.getByRole("link", { name: "Add notes" });
    expect(await addNotes.getAttribute("href")).toBe(`/trades/${tradeId}#journal`);
    await saveScreenshot(page, "dashboard-trade-closed-toast-1280");
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await toast.count()).toBe(1);

    // "Add notes" opens the quick-journal sheet over the dashboard (tests/e2e/trade-journal.test.ts covers it).
    await addNotes.click();
    await page.getByRole("dialog", { name: "Add notes" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/dashboard");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a paused account in the header dot, as a banner and as a toast", async () => {
    const { user, accountId } = await tradingUser(app);
    const { context, page } = await signedInContext(app, user);
    const errors = collectPageErrors(page);
    await waitLive(page);
    const dot = page.locator("[data-sync-state]");
    expect(await dot.getAttribute("data-sync-state")).toBe("syncing");
    await app.db.pool.query(
      "update public.accounts set sync_status = 'paused', sync_error = 'The broker refused the investor password 3 times.' where id = $1",
      [accountId],
    );
    await page.locator('[data-sync-state="paused"]').waitFor();
    expect(await dot.getAttribute("title")).toContain("IC Live: The broker refused the investor password 3 times.");
    await page.getByRole("alert").filter({ hasText: "Sync is paused for IC Live." }).waitFor();
    const notice: AccountPausedNotice = { accountId, accountName: "IC Live", message: "Reconnect it with the current investor password." };
    await app.db.pool.query("select realtime.send($1::jsonb, 'account_paused', $2, true)", [JSON.stringify(notice), `user:${user.id}`]);
    const toast = page
      .getByRole("region", { name: /Notifications/ })
      .locator("li")
      .filter({ hasText: "Sync paused for IC Live: Reconnect it with the current investor password." });
    await toast.waitFor();
    expect(await toast.getByRole("link", { name: "Reconnect", exact: true }).getAttribute("href")).toBe(`/accounts/${accountId}#connection`);
    await saveScreenshot(page, "dashboard-paused-1280");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("tracks every signed-in tab on the user's presence topic, on any page", async () => {
    const { user } = await tradingUser(app);
    const roster = await presenceRoster(app, user.id);
    const { context, page } = await signedInContext(app, user);
    await page.goto(`${app.url}/trades`);
    await waitLive(page);
    await until(() => roster.count() === 1, "the first tab");
    const second = await context.newPage();
    await second.goto(`${app.url}/settings/profile`);
    await waitLive(second);
    await until(() => roster.count() === 2, "the second tab");
    await second.close();
    await until(() => roster.count() === 1, "the second tab leaving");
    await context.close();
    await until(() => roster.count() === 0, "the last tab leaving");
    await roster.close();
  });

  it("shows the market-closed banner at the weekend", async () => {
    const { user } = await tradingUser(app);
    const { context, page } = await signedInContext(app, user);
    // The page's clock is set so that it shows what the app's clock shows (the suite may run on a shifted one, RAWJOURNAL_CLOCK).
    const appClock = (at: string) => new Date(Date.parse(at) - Number(process.env.RAWJOURNAL_CLOCK_OFFSET_MS || 0));
    // Saturday 5 December 2026, noon UTC: the FX week is closed; it reopens Sunday 17:00 New York (22:00 UTC).
    await page.clock.setFixedTime(appClock("2026-12-05T12:00:00Z"));
    await page.goto(`${app.url}/dashboard`);
    const banner = page.getByRole("status").filter({ hasText: "FX, metals and indices are closed for the weekend." });
    await banner.waitFor();
    expect(await banner.innerText()).toContain("2026-12-06 22:00");
    await saveScreenshot(page, "dashboard-market-closed-1280");
    // Tuesday: open, no banner.
    await page.clock.setFixedTime(appClock("2026-12-08T12:00:00Z"));
    await page.reload();
    await waitLive(page);
    expect(await banner.count()).toBe(0);
    await context.close();
  });

  it("fits 375 px without horizontal scroll, positions as cards", async () => {
    const { user, accountId } = await tradingUser(app);
    await createTrade(app.db.pool, user.id, accountId, { symbol: "GBPJPY", gross_profit: "-12.40" });
    const { context, page } = await signedInContext(app, user, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const errors = collectPageErrors(page);
    await waitLive(page);
    expect(await page.locator('section[aria-labelledby="positions-heading"] table').isVisible()).toBe(false);
    const cards = page.getByRole("list", { name: "Open positions" });
    await cards.locator('li[data-position-id="50123"]').waitFor();
    await app.db.pool.query("update public.open_positions set floating_profit = -5.25 where account_id = $1", [accountId]);
    await until(async () => (await cards.locator('[data-cell="floating"]').innerText()) === "-$5.25", "the card to update");
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await saveScreenshot(page, "dashboard-375");
    // A paused account: the banner says so; the header keeps fitting.
    await app.db.pool.query("update public.accounts set sync_status = 'paused', sync_error = 'Reconnect the account.' where id = $1", [accountId]);
    await page.locator('[data-sync-state="paused"]').waitFor();
    await page.getByRole("alert").filter({ hasText: "Sync is paused for IC Live." }).waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await saveScreenshot(page, "dashboard-paused-375");
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the admin sync page", () => {
  it("shows online users, queues and workers to admins, and is not found for everyone else", async () => {
    const { user } = await tradingUser(app);
    const admin = await createConfirmedUser(app);
    await app.db.pool.query("update public.profiles set is_admin = true where id = $1", [admin.id]);
    await app.db.pool.query(
      `insert into public.sync_queue_stats (queue, queued, active, deferred, failed_last_hour) values ('sync-light', 3, 2, 0, 1)
       on conflict (queue) do update set queued = excluded.queued`,
    );
    await app.db.pool.query(
      `insert into public.worker_health (worker_id, kind, host, pid, status, current_job, current_mt5_server, jobs_completed,
         started_at, terminal_started_at, last_heartbeat_at, last_error)
       values ('trade-1', 'trade', 'jobs-host', 4242, 'busy', 'sync-light:51234567', 'ICMarketsSC-Demo', 1200,
               now() - interval '3 hours', now() - interval '40 minutes', now(), null),
              ('md-1', 'market_data', 'jobs-host', 4243, 'error', null, null, 12,
               now() - interval '1 hour', null, now() - interval '5 minutes', 'terminal stopped answering')
       on conflict (worker_id) do nothing`,
    );
    await app.db.pool.query(
      "insert into public.sync_presence (user_id, state, online_since, last_seen_at) values ($1, 'online', now() - interval '2 minutes', now()) on conflict (user_id) do nothing",
      [user.id],
    );

    const visitor = await signedInContext(app, user);
    await visitor.page.goto(`${app.url}/dashboard`);
    await visitor.page.getByRole("button", { name: "Account menu" }).click();
    await visitor.page.getByRole("menuitem", { name: /Sign out on this device/ }).waitFor();
    expect(await visitor.page.getByRole("menuitem", { name: /Sync engine/ }).count()).toBe(0);
    const refused = await visitor.page.goto(`${app.url}/admin/sync`);
    expect(refused?.status()).toBe(404);
    await visitor.context.close();

    const { context, page } = await signedInContext(app, admin);
    const errors = collectPageErrors(page);
    // Admins reach it from the account menu.
    await page.goto(`${app.url}/dashboard`);
    await page.getByRole("button", { name: "Account menu" }).click();
    await page.getByRole("menuitem", { name: "Sync engine (admin)" }).click();
    await page.waitForURL(/\/admin\/sync$/);
    await page.getByRole("heading", { name: "Sync engine" }).waitFor();
    const online = page.getByRole("table", { name: "Users online or in their grace period" });
    expect(await online.innerText()).toContain(user.id);
    expect(await online.innerText()).toContain(user.email);
    const queues = page.getByRole("table", { name: "Queue depths" });
    expect(await queues.getByRole("row").filter({ hasText: "sync-light" }).innerText()).toMatch(/sync-light\s+3\s+2\s+0\s+1/);
    const workers = page.getByRole("table", { name: "Terminal workers" });
    const busy = workers.locator('tr[data-worker-id="trade-1"]');
    expect(await busy.innerText()).toMatch(/trade-1[\s\S]*busy[\s\S]*sync-light:51234567[\s\S]*ICMarketsSC-Demo[\s\S]*3 h 0 m[\s\S]*40 m[\s\S]*1200/);
    const stale = workers.locator('tr[data-worker-id="md-1"]');
    expect(await stale.innerText()).toMatch(/error[\s\S]*no heartbeat[\s\S]*terminal stopped answering/);
    await saveScreenshot(page, "admin-sync-1280");
    await page.setViewportSize({ width: 375, height: 812 });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await saveScreenshot(page, "admin-sync-375");
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the live connection over time", () => {
  // Supabase reached through a TCP proxy the test can cut; access tokens live 15 s.
  let proxied: AppUnderTest;
  let upstreamPort = 0;
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, "127.0.0.1");
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const forget = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", forget).on("close", forget);
    upstream.on("error", forget).on("close", forget);
  });
  beforeAll(async () => {
    const proxyPort = await freePort();
    await new Promise<void>((resolve) => proxy.listen(proxyPort, "127.0.0.1", resolve));
    proxied = await startAppForTests({ env: { SUPABASE_URL: `http://127.0.0.1:${proxyPort}` }, supabase: { jwtExpirySeconds: 15 } });
    upstreamPort = Number(new URL(proxied.supabase.url).port);
  }, 60_000);
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  });

  it("keeps a valid token across several lifetimes and catches up after the connection drops", async () => {
    const { user, accountId } = await tradingUser(proxied);
    const { context, page } = await signedInContext(proxied, user);
    const errors = collectPageErrors(page);
    await waitLive(page);
    // Every state the dot's live attribute passes through.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { liveStates: string[] }).liveStates = seen;
      const dot = document.querySelector("[data-live]")!;
      new MutationObserver(() => seen.push(dot.getAttribute("data-live") ?? "")).observe(dot, { attributes: true, attributeFilter: ["data-live"] });
    });
    const liveStates = () => page.evaluate(() => (window as unknown as { liveStates: string[] }).liveStates);

    await new Promise((r) => setTimeout(r, 40_000)); // past two token lifetimes
    expect(await liveStates()).toEqual([]);
    await proxied.db.pool.query("update public.accounts set balance = 12345.67 where id = $1", [accountId]);
    const balance = page.locator(`li[data-account-id="${accountId}"] [data-figure="balance"]`);
    await until(async () => (await balance.innerText()) === "$12,345.67", "a change after the first tokens expired");

    // Cut the connection and change things while it is down: the page catches up when it is back.
    for (const socket of sockets) socket.destroy();
    await proxied.db.pool.query(
      `insert into public.open_positions (user_id, account_id, position_id, symbol, direction, opened_at, volume, entry_price, floating_profit)
       values ($1, $2, '777', 'USDJPY', 'buy', now(), 1, 150.123, 8)`,
      [user.id, accountId],
    );
    await until(async () => (await liveStates()).includes("reconnecting"), "the drop to show");
    await page.locator('[data-live="live"]').waitFor({ timeout: 30_000 });
    await page.getByRole("table").locator('tr[data-position-id="777"]').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
