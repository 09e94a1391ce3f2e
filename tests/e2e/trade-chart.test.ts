// The trade page's chart in real Chromium, against the built app and the real
// jobs process (market-data terminal on the MT5 simulator): a trade whose
// candles are not cached shows "loading market data" and fills in without a
// reload when the candle-window job lands; entry and exit markers, the
// initial SL and TP lines, the timeframe switch; the empty states (a symbol
// the broker lacks, no market-data terminal); an open trade's last candle
// moving live; the page without JavaScript. Screenshots at 375 and 1280 px.
import type { Page } from "playwright-core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createConfirmedUser, startAppForTests, type AppUnderTest } from "../support/app-server.ts";
import { collectPageErrors, launchChromium, saveScreenshot } from "../support/browser.ts";
import { horizontalOverflow, submitSignIn } from "../support/browser-suite.ts";
import { createAccount } from "../support/fixtures.ts";
import { startJobsHarness, waitFor } from "../support/jobs-harness.ts";

vi.setConfig({ testTimeout: 150_000 });

const START = new Date("2026-03-20T10:00:00Z");
let app: AppUnderTest;
let browser: Browser;

beforeAll(async () => {
  app = await startAppForTests();
  // Stops itself after the file (the harness's own afterAll).
  await startJobsHarness({
    start: START,
    supabase: app.supabase,
    tradeWorkers: 1,
    marketData: { server: "RawBroker-Live", login: "52000001", password: "inv-52000001!", serverTimeZone: null },
  });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

/** The jobs harness runs in March; the app's database in today: the terminal's heartbeat is given today's time. */
async function terminalBeats(alive = true) {
  await app.db.pool.query(
    `update public.worker_health set last_heartbeat_at = now() - case when $1 then interval '0' else interval '1 hour' end where kind = 'market_data'`,
    [alive],
  );
}

async function traderWithTrade(symbol: string, trade: { opened: string; closed: string | null; legs?: boolean }) {
  const user = await createConfirmedUser(app);
  const db = app.db.pool;
  await db.query("update public.profiles set subscription_tier = 'pro' where id = $1", [user.id]);
  await db.query("update public.user_settings set time_zone = 'Europe/London' where user_id = $1", [user.id]);
  const accountId = await createAccount(db, user.id, { name: "Manual" });
  const { rows } = await db.query<{ id: string }>(
    `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at, volume, closed_volume,
       entry_price, exit_price, initial_stop_loss, take_profit, gross_profit, source)
     values ($1, $2, $3, $4, 'buy', $5, $6, $7, 0.5, $8, 1.11280, $9, 1.11150, 1.11500, $10, 'manual') returning id`,
    [
      user.id,
      accountId,
      `p-${Math.random()}`,
      symbol,
      trade.closed ? "closed" : "open",
      trade.opened,
      trade.closed,
      trade.closed ? 0.5 : 0,
      trade.closed ? 1.1134 : null,
      trade.closed ? "85.00" : "0",
    ],
  );
  const tradeId = rows[0]!.id;
  if (trade.legs && trade.closed) {
    const legs: [string, string, string, string, string, string][] = [
      ["entry", "buy", trade.opened, "0.50", "1.11280", "0"],
      ["exit", "sell", new Date(Date.parse(trade.opened) + 3600_000).toISOString(), "0.20", "1.11420", "28.00"],
      ["exit", "sell", trade.closed, "0.30", "1.11310", "-9.00"],
    ];
    for (const [i, [kind, direction, at, volume, price, profit]] of legs.entries()) {
      await db.query(
        `insert into public.trade_legs (user_id, trade_id, deal_id, kind, direction, executed_at, volume, price, profit)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [user.id, tradeId, `d${i}`, kind, direction, at, volume, price, profit],
      );
    }
  }
  return { user, tradeId };
}

async function signIn(user: { email: string; password: string }, width: number) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, ...(width < 500 ? { isMobile: true, hasTouch: true } : {}) });
  const page = await context.newPage();
  await page.goto(`${app.url}/login`);
  await submitSignIn(page, user.email, user.password);
  await page.waitForURL(`${app.url}/dashboard`);
  return { context, page };
}

const chart = (page: Page) => page.locator('#chart [role="img"][data-chart-state="ready"]');

describe("trade chart", () => {
  it("loads a missing window through the market-data terminal and fills in without reload, with markers, SL/TP and the timeframe switch", async () => {
    // 2 h 25 min: M5 by default. Friday 6 March 2026.
    const { user, tradeId } = await traderWithTrade("EURUSD", { opened: "2026-03-06T09:15:00Z", closed: "2026-03-06T11:40:00Z", legs: true });
    await terminalBeats();
    const { context, page } = await signIn(user, 1280);
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/trades/${tradeId}`);
    await page.getByTestId("chart-loading").waitFor();
    expect(await page.getByTestId("chart-loading").innerText()).toContain("Loading market data");
    // Marks this document: a reload would lose it.
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

    await chart(page).waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    const drawn = chart(page);
    // Window: 05:55–15:05 UTC on M5 (padding 200 minutes either side) = 110 bars.
    expect(Number(await drawn.getAttribute("data-candle-count"))).toBe(110);
    expect(await drawn.getAttribute("data-marker-count")).toBe("3");
    expect(await drawn.getAttribute("data-price-lines")).toBe("Initial SL|TP");
    expect(await page.locator("#chart-heading").innerText()).toContain("M5");
    expect(await page.locator("#chart canvas").count()).toBeGreaterThan(0);
    await saveScreenshot(page, "trade-chart-1280");
    await page.screenshot({ path: "/tmp/charts-core-trade-1280.png" });

    // Another timeframe: the link carries ?tf=, the window is fetched (or cached) and drawn.
    await page.getByRole("navigation", { name: "Chart timeframe" }).getByRole("link", { name: "M15", exact: true }).click();
    await page.waitForURL(/tf=M15/);
    await page.locator("#chart-heading", { hasText: "M15" }).waitFor();
    await chart(page).waitFor({ timeout: 60_000 });
    await waitFor(async () => Number(await chart(page).getAttribute("data-candle-count")) === 90, "the M15 window drawn", 60_000);
    expect(errors).toEqual([]);
    await context.close();

    const phone = await signIn(user, 375);
    await phone.page.goto(`${app.url}/trades/${tradeId}`);
    await chart(phone.page).waitFor();
    expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
    await saveScreenshot(phone.page, "trade-chart-375");
    await phone.page.screenshot({ path: "/tmp/charts-core-trade-375.png", fullPage: false });
    await phone.page.locator("#chart").screenshot({ path: "/tmp/charts-core-trade-375-chart.png" });

    // Without JavaScript the rest of the page renders and the chart area says why it is empty.
    const cookies = await phone.context.cookies();
    const noScript = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    await noScript.addCookies(cookies);
    const bare = await noScript.newPage();
    await bare.goto(`${app.url}/trades/${tradeId}`);
    expect(await bare.locator("#chart").innerText()).toContain("Charts need JavaScript");
    expect(await bare.getByRole("heading", { name: "Money" }).count()).toBe(1);
    await noScript.close();
    await phone.context.close();
  });

  it("shows a clear empty state for a symbol the broker lacks and when no market-data terminal runs", async () => {
    const unknown = await traderWithTrade("NOSUCH", { opened: "2026-03-06T09:15:00Z", closed: "2026-03-06T11:40:00Z" });
    await terminalBeats();
    const { context, page } = await signIn(unknown.user, 1280);
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/trades/${unknown.tradeId}`);
    await page.getByTestId("chart-unavailable").waitFor({ timeout: 60_000 });
    expect(await page.getByTestId("chart-unavailable").innerText()).toContain("doesn't list this symbol");
    expect(await page.locator("#chart canvas").count()).toBe(0);
    await page.locator("#chart").screenshot({ path: "/tmp/charts-core-empty-1280.png" });

    const offline = await traderWithTrade("GBPUSD", { opened: "2026-03-05T09:15:00Z", closed: "2026-03-05T11:40:00Z" });
    await terminalBeats(false);
    await context.close();
    const other = await signIn(offline.user, 375);
    await other.page.goto(`${app.url}/trades/${offline.tradeId}`);
    expect(await other.page.getByTestId("chart-unavailable").innerText()).toContain("no market-data terminal is running");
    expect(await horizontalOverflow(other.page)).toBeLessThanOrEqual(0);
    await other.page.locator("#chart").screenshot({ path: "/tmp/charts-core-empty-375.png" });
    expect(errors).toEqual([]);
    await other.context.close();
  });

  it("moves an open trade's last candle live, without reload", async () => {
    const now = new Date();
    const opened = new Date(now.getTime() - 30 * 60_000);
    const { user, tradeId } = await traderWithTrade("USDJPY", { opened: opened.toISOString(), closed: null });
    // Today's M1 chunk, fetched, with the last 100 minutes of bars in the cache.
    const db = app.db.pool;
    const minute = Math.floor(now.getTime() / 60_000) * 60_000;
    await db.query(
      `insert into public.candle_window_requests (symbol, timeframe, from_at, to_at, status, fetched_at, fetched_until)
       select 'USDJPY', 'M1', d, d + interval '1 day', 'fetched', now(), d + interval '1 day'
         from generate_series(date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' - interval '1 day',
                              date_trunc('day', now() at time zone 'UTC') at time zone 'UTC', interval '1 day') as d`,
    );
    await db.query(
      `insert into public.candle_cache (symbol, timeframe, opened_at, open, high, low, close)
       select 'USDJPY', 'M1', to_timestamp($1 / 1000.0) - make_interval(mins => i), 150.10, 150.20, 150.00, 150.15
         from generate_series(0, 99) as i`,
      [minute],
    );
    const { context, page } = await signIn(user, 1280);
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/trades/${tradeId}`);
    await chart(page).waitFor();
    const before = Number(await chart(page).getAttribute("data-candle-count"));
    expect(before).toBeGreaterThan(40);
    expect(await page.locator("#chart").innerText()).toContain("The last candle updates live.");
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    // Realtime has to be joined before the change is written.
    await page.waitForTimeout(1500);

    // The forming bar changes, then a new bar opens: both arrive through Realtime.
    await db.query(
      "update public.candle_cache set close = 150.19, updated_at = now() where symbol = 'USDJPY' and timeframe = 'M1' and opened_at = to_timestamp($1 / 1000.0)",
      [minute],
    );
    await waitFor(async () => (await chart(page).getAttribute("data-last-bar")) === `${minute / 1000}:150.19`, "the forming bar updated", 20_000);
    await db.query(
      "insert into public.candle_cache (symbol, timeframe, opened_at, open, high, low, close) values ('USDJPY', 'M1', to_timestamp($1 / 1000.0), 150.19, 150.3, 150.1, 150.25)",
      [minute + 60_000],
    );
    await waitFor(async () => (await chart(page).getAttribute("data-last-bar")) === `${minute / 1000 + 60}:150.25`, "a new bar appended", 20_000);
    expect(Number(await chart(page).getAttribute("data-candle-count"))).toBe(before + 1);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
