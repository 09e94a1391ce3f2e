// Analytics in real Chromium against the built app: the dashboard's figures
// at 375 px and 1280 px, the period from the URL, a calendar day opening
// its daily review with exactly that trading day's trades, a synced close updating the
// cards without a reload, and the breakdown page read without JavaScript.
import { describe, expect, it } from "vitest";
import { createConfirmedUser } from "../support/app-server.ts";
import { collectPageErrors, saveScreenshot } from "../support/browser.ts";
import { browserSuite, horizontalOverflow } from "../support/browser-suite.ts";
import { createAccount } from "../support/fixtures.ts";

const { app, signIn, withoutJavaScript } = browserSuite({ testTimeout: 120_000 });

/** A Pro user with a synced USD account and trades on known trading days (UTC, day starts 00:00). */
async function userWithTrades() {
  const user = await createConfirmedUser(app);
  const db = app.db.pool;
  await db.query("update public.profiles set subscription_tier = 'pro' where id = $1", [user.id]);
  await db.query("update public.user_settings set time_zone = 'UTC', trading_day_start_hour = 0, trading_day_time_zone = null where user_id = $1", [
    user.id,
  ]);
  const accountId = await createAccount(db, user.id, { kind: "mt5", mt5_server: "ICMarketsSC-Demo", mt5_login: 51234567, name: "IC Live" });
  await db.query("update public.accounts set balance = 10310.00, equity = 10310.00, sync_status = 'ok', last_synced_at = now() where id = $1", [
    accountId,
  ]);
  await db.query(
    "insert into public.cash_movements (user_id, account_id, kind, amount, occurred_at, deal_id) values ($1, $2, 'deposit', 10000, '2026-10-01T08:00:00Z', 'd1')",
    [user.id, accountId],
  );
  const trades: [string, string, string, string][] = [
    // position, opened, closed, gross
    ["p1", "2026-11-02T08:00:00Z", "2026-11-02T09:00:00Z", "120.00"],
    ["p2", "2026-11-02T13:00:00Z", "2026-11-02T23:59:00Z", "-40.00"],
    ["p3", "2026-11-03T00:01:00Z", "2026-11-03T02:00:00Z", "75.50"],
    ["p4", "2026-11-10T10:00:00Z", "2026-11-10T11:00:00Z", "-20.25"],
    ["p5", "2026-11-20T10:00:00Z", "2026-11-20T16:00:00Z", "200.00"],
  ];
  for (const [position, opened, closed, gross] of trades) {
    await db.query(
      `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at, volume, closed_volume,
         entry_price, exit_price, initial_stop_loss, gross_profit, commission, source)
       values ($1, $2, $3, 'EURUSD', 'buy', 'closed', $4, $5, 1, 1, 1.08000, 1.08100, 1.07900, $6, -7.00, 'mt5')`,
      [user.id, accountId, position, opened, closed, gross],
    );
  }
  return { user, accountId };
}

const figure = (page: import("playwright-core").Page, id: string) => page.locator(`[data-figure="${id}"] [data-value]`).innerText();

describe("analytics", () => {
  it("shows the period's figures from the URL at 375 px and 1280 px, with the change against the previous period", async () => {
    const { user } = await userWithTrades();
    const { context, page } = await signIn(user);
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/dashboard?period=custom&from=2026-11-01&to=2026-11-30`);
    // 5 trades: net = 120 − 40 + 75.50 − 20.25 + 200 − 5 × 7 = 300.25; 3 wins of 5.
    expect(await figure(page, "net")).toBe("+$300.25");
    expect(await figure(page, "trades")).toBe("5");
    expect(await figure(page, "winRate")).toBe("60.0%");
    expect(await page.locator('[data-figure="net"] [data-change]').innerText()).toContain("+$300.25");
    await page.locator('[data-chart-ready="true"]').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await saveScreenshot(page, "analytics-dashboard-1280");
    // Another period from the URL: October has the deposit and no trade.
    await page.goto(`${app.url}/dashboard?period=custom&from=2026-10-01&to=2026-10-31`);
    expect(await figure(page, "trades")).toBe("0");
    expect(await figure(page, "winRate")).toBe("—");
    await page.locator("[data-empty-period]").waitFor();
    expect(await page.locator("body").innerText()).not.toMatch(/NaN|Infinity/);
    expect(errors).toEqual([]);
    await context.close();

    const phone = await signIn(user, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    await phone.page.goto(`${app.url}/dashboard?period=custom&from=2026-11-01&to=2026-11-30`);
    expect(await figure(phone.page, "net")).toBe("+$300.25");
    expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
    await saveScreenshot(phone.page, "analytics-dashboard-375");
    // The breakdown page fits too: its wide tables and the heatmap scroll inside their cards.
    await phone.page.goto(`${app.url}/analytics?period=custom&from=2026-11-01&to=2026-11-30`);
    await phone.page.locator('[data-breakdown="symbol"]').waitFor();
    expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
    await saveScreenshot(phone.page, "analytics-breakdowns-375");
    await phone.context.close();
  });

  it("opens a calendar day as its daily review, listing exactly that trading day's trades, and links on to the trade list", async () => {
    const { user } = await userWithTrades();
    const { context, page } = await signIn(user);
    await page.goto(`${app.url}/dashboard?period=custom&from=2026-11-01&to=2026-11-30`);
    const day = page.locator('[data-day="2026-11-02"]');
    expect(Number(await day.getAttribute("data-net"))).toBe(66); // 120 − 40 − 2 × 7
    await day.click();
    // The URL changes before the page renders: wait for the daily review's own heading and trades.
    await page.locator('[data-journal-day="2026-11-02"]').waitFor();
    const listed = page.locator("[data-day-trades] [data-trade-id]");
    // p1 and p2 closed on 2 November (p2 at 23:59 UTC); p3 opened a minute after midnight closes on the 3rd.
    await expect.poll(() => listed.count()).toBe(2);
    expect(await page.locator("[data-day-total]").innerText()).toContain("+$66.00");
    // With the forex day (17:00 New York), 2 November 23:59 UTC (18:59 EST) already belongs to the 3rd.
    await app.db.pool.query(
      "update public.user_settings set trading_day_start_hour = 17, trading_day_time_zone = 'America/New_York' where user_id = $1",
      [user.id],
    );
    await page.goto(`${app.url}/dashboard?period=custom&from=2026-11-01&to=2026-11-30`);
    expect(Number(await page.locator('[data-day="2026-11-03"]').getAttribute("data-net"))).toBe(21.5); // p2 (−47.00) + p3 (68.50)
    await page.locator('[data-day="2026-11-03"]').click();
    await page.locator('[data-journal-day="2026-11-03"]').waitFor();
    await expect.poll(() => listed.count()).toBe(2);
    expect(await page.locator("[data-day-total]").innerText()).toContain("+$21.50");
    // The daily page links on to the trade list of the same day, which uses the same rule.
    await page.getByRole("link", { name: "Open in the trade list" }).click();
    await page.waitForURL(/\/trades\?from=2026-11-03/);
    const rows = page.locator("table [data-trade-id]");
    await rows.first().waitFor();
    await expect.poll(() => rows.count()).toBe(2);
    // The rows are 3 November's trades, not 2 November's.
    expect(await page.locator("table").innerText()).not.toContain("2026-11-02 09:00");
    await context.close();
  });

  it("updates the cards without a reload when a synced trade closes", async () => {
    const { user, accountId } = await userWithTrades();
    const { context, page } = await signIn(user);
    await page.goto(`${app.url}/dashboard?period=all`);
    await page.locator('[data-live="live"]').waitFor({ timeout: 15_000 });
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
    expect(await figure(page, "trades")).toBe("5");
    await app.db.pool.query(
      `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at, volume, closed_volume,
         entry_price, exit_price, gross_profit, source)
       values ($1, $2, 'p6', 'EURUSD', 'sell', 'closed', now() - interval '1 hour', now(), 1, 1, 1.08, 1.07, 50, 'mt5')`,
      [user.id, accountId],
    );
    await page.waitForFunction(() => document.querySelector('[data-figure="trades"] [data-value]')?.textContent === "6", null, { timeout: 15_000 });
    expect(await figure(page, "net")).toBe("+$350.25");
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    await context.close();
  });

  it("reads the breakdowns, heatmap and advanced figures without JavaScript", async () => {
    const { user } = await userWithTrades();
    const signedIn = await signIn(user);
    const { context, page } = await withoutJavaScript(signedIn.context);
    await page.goto(`${app.url}/analytics?period=custom&from=2026-11-01&to=2026-11-30`);
    const symbolRow = page.locator('[data-breakdown="symbol"] [data-row="EURUSD"]');
    expect(await symbolRow.innerText()).toContain("+$300.25");
    expect(await symbolRow.innerText()).toContain("small sample");
    expect(await page.locator('[data-breakdown="symbol"] svg').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-breakdown="weekday"] [data-row="0"]').innerText()).toContain("Monday");
    expect(await page.locator('[data-figure="zScore"]').innerText()).toContain("needs 30 trades");
    await saveScreenshot(page, "analytics-breakdowns-nojs");
    // The definitions page the advanced figures link to.
    await page.goto(`${app.url}/metrics#sharpe`);
    expect(await page.locator("#sharpe").innerText()).toBe("sharpe");
    await context.close();
    await signedIn.context.close();
  });
});
