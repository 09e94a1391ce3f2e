// /charts, /charts/$symbol and the dashboard ticker in real Chromium against
// the built app: a symbol with hundreds of trades drawn on its cached candles
// under the analytics URL's period, a marker click opening its trade, the
// empty state of a symbol without candles (no canvas at all), and the forming
// bar and the ticker following candle_cache rows written by the service role,
// without a reload. Screenshots at 375 px and 1280 px.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { withServiceRole } from "../../app/lib/service-role.server.ts";
import { createConfirmedUser } from "../support/app-server.ts";
import { collectPageErrors, saveScreenshot } from "../support/browser.ts";
import { browserSuite, horizontalOverflow } from "../support/browser-suite.ts";
import { createAccount } from "../support/fixtures.ts";

const { app, signIn } = browserSuite({ testTimeout: 180_000 });

const HOUR = 3600_000;

async function traderOn(timeZone = "UTC") {
  const user = await createConfirmedUser(app);
  const db = app.db.pool;
  await db.query("update public.profiles set subscription_tier = 'pro' where id = $1", [user.id]);
  await db.query("update public.user_settings set time_zone = $2, trading_day_start_hour = 0, trading_day_time_zone = null where user_id = $1", [
    user.id,
    timeZone,
  ]);
  const accountId = await createAccount(db, user.id, {
    kind: "mt5",
    mt5_server: "ICMarketsSC-Demo",
    mt5_login: 50_000_000 + Math.floor(Math.random() * 1e6),
  });
  return { user, accountId };
}

/** `count` closed EURUSD-style trades from `first`, one every `everyHours`, alternately won and lost. */
async function seedTrades(userId: string, accountId: string, symbol: string, first: string, count: number, everyHours: number) {
  await app.db.pool.query(
    `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at, volume, closed_volume,
       entry_price, exit_price, gross_profit, commission, source)
     select $1, $2, $3 || '-' || g, $3, case when g % 2 = 0 then 'buy' else 'sell' end, 'closed',
            $4::timestamptz + (g * $6 || ' hours')::interval, $4::timestamptz + (g * $6 || ' hours')::interval + interval '50 minutes',
            0.10, 0.10, 1.08 + (g % 40) / 10000.0, 1.08 + ((g + 3) % 40) / 10000.0,
            case when g % 3 = 0 then -12.40 else 20.10 end, -0.70, 'mt5'
       from generate_series(0, $5 - 1) g`,
    [userId, accountId, symbol, first, count, everyHours],
  );
}

/** Bars of `timeframe` opening every `stepMs` from `from` to `to`, around 1.08; the symbol marked hot since long before. */
async function seedCandles(symbol: string, timeframe: string, from: Date, to: Date, stepMs: number) {
  await withServiceRole(app.db.pool, null, async (db) => {
    await db.query(
      `insert into public.hot_symbols (symbol, last_active_at, candles_since, last_fetched_at) values ($1, now(), '2026-01-01', now())
       on conflict (symbol) do update set candles_since = '2026-01-01', last_active_at = now()`,
      [symbol],
    );
    await db.query(
      `insert into public.candle_cache (symbol, timeframe, opened_at, open, high, low, close, tick_volume)
       select $1, $2, t, p.o, greatest(p.o, p.c) + 0.0004, least(p.o, p.c) - 0.0004, p.c, 100
         from generate_series($3::timestamptz, $4::timestamptz, ($5 || ' milliseconds')::interval) t
         cross join lateral (select round((1.08 + 0.002 * sin(extract(epoch from t) / 40000))::numeric, 5) as o,
                                    round((1.08 + 0.002 * sin(extract(epoch from t) / 40000 + 0.3))::numeric, 5) as c) p
       on conflict (symbol, timeframe, opened_at) do nothing`,
      [symbol, timeframe, from, to, stepMs],
    );
  });
}

async function screenshots(page: Page, name: string) {
  await saveScreenshot(page, name);
  await page.screenshot({ path: `/tmp/${name}.png`, fullPage: true });
}

describe("charts", () => {
  it("lists the traded symbols and draws 300 EURUSD trades on their candles under the URL's period, at 1280 px and 375 px", async () => {
    const { user, accountId } = await traderOn();
    await seedTrades(user.id, accountId, "EURUSD", "2026-11-02T08:00:00Z", 300, 2);
    await seedTrades(user.id, accountId, "XAUUSD", "2026-11-03T08:00:00Z", 4, 5);
    await seedCandles("EURUSD", "H1", new Date("2026-10-28T00:00:00Z"), new Date("2026-12-04T00:00:00Z"), HOUR);
    const november = "period=custom&from=2026-11-01&to=2026-11-30";

    const { context, page } = await signIn(user);
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/charts?${november}`);
    const eurusd = page.locator('[data-symbol-list] [data-symbol="EURUSD"]');
    expect(await eurusd.innerText()).toContain("300 trades");
    expect(await page.locator('[data-symbol-list] [data-symbol="XAUUSD"]').innerText()).toContain("4 trades");
    await screenshots(page, "charts-symbol-list-1280");
    await eurusd.click();
    await page.locator('[data-chart-state="ready"]').waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).search).toContain("period=custom");
    expect(await page.getByRole("heading", { level: 2, name: /300 trades on EURUSD/ }).count()).toBe(1);
    // 33 days of the padded month: H1 by default (M30 would be over 1,500 bars).
    expect(await page.locator('[data-timeframe="H1"][aria-current="true"]').count()).toBe(1);
    expect(await page.locator("canvas").count()).toBeGreaterThan(0);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshots(page, "charts-symbol-eurusd-1280");

    // A narrower period from the URL narrows the trades: the first week holds the trades opened 2 Nov 08:00 – 7 Nov 22:00, one every 2 h: 68.
    await page.goto(`${app.url}/charts/EURUSD?period=custom&from=2026-11-01&to=2026-11-07&tf=H1`);
    await page.locator('[data-chart-state="ready"]').waitFor({ timeout: 20_000 });
    expect(await page.getByRole("heading", { level: 2 }).filter({ hasText: "on EURUSD" }).innerText()).toMatch(/^68 trades on EURUSD/);
    // The timeframe switch keeps the filters (no H4 bars are cached here: the empty state says so).
    await page.locator('[data-timeframe="H4"]').click();
    await page.locator('[data-timeframe="H4"][aria-current="true"]').waitFor();
    expect(new URL(page.url()).searchParams.get("from")).toBe("2026-11-01");
    expect(errors).toEqual([]);
    await context.close();

    const phone = await signIn(user, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const phoneErrors = collectPageErrors(phone.page);
    await phone.page.goto(`${app.url}/charts?${november}`);
    await phone.page.locator('[data-symbol="EURUSD"]').waitFor();
    expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
    await screenshots(phone.page, "charts-symbol-list-375");
    await phone.page.goto(`${app.url}/charts/EURUSD?${november}`);
    await phone.page.locator('[data-chart-state="ready"]').waitFor({ timeout: 20_000 });
    expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
    await screenshots(phone.page, "charts-symbol-eurusd-375");
    expect(phoneErrors).toEqual([]);
    await phone.context.close();
  });

  it("opens the trade whose marker is clicked", async () => {
    const { user, accountId } = await traderOn();
    // One trade a day for 30 days on flat daily bars: every bar carries an entry arrow below it (buys) or above it (sells).
    await seedTrades(user.id, accountId, "EURUSD", "2026-11-01T10:00:00Z", 30, 24);
    await seedCandles("EURUSD", "D1", new Date("2026-10-20T00:00:00Z"), new Date("2026-12-10T00:00:00Z"), 24 * HOUR);
    const { context, page } = await signIn(user);
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/charts/EURUSD?period=custom&from=2026-11-01&to=2026-11-30&tf=D1`);
    const chart = page.locator('[data-chart-state="ready"]');
    await chart.waitFor({ timeout: 20_000 });
    const box = (await chart.boundingBox())!;
    // Sweep the middle of the plot (left of the price scale) until the pointer is over a marker: its tooltip shows.
    let found: { x: number; y: number } | null = null;
    for (let x = box.x + box.width * 0.3; x < box.x + box.width * 0.7 && !found; x += 9) {
      for (let y = box.y + 10; y < box.y + box.height - 40 && !found; y += 4) {
        await page.mouse.move(x, y);
        if (await page.locator('[role="tooltip"]').count()) found = { x, y };
      }
    }
    expect(found).not.toBeNull();
    const tooltip = await page.locator('[role="tooltip"]').innerText();
    expect(tooltip).toMatch(/^(Buy|Sell|Exit of (buy|sell)) 0\.1/);
    await page.mouse.click(found!.x, found!.y);
    await page.waitForURL(/\/trades\/[0-9a-f-]{36}$/);
    await page.locator("h1").filter({ hasText: "EURUSD" }).first().waitFor();
    const tradeId = new URL(page.url()).pathname.split("/").pop();
    const { rows } = await app.db.pool.query("select user_id from public.trades where id = $1", [tradeId]);
    expect(rows[0]?.user_id).toBe(user.id);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a clear empty state, never a canvas, for a symbol without candles", async () => {
    const { user, accountId } = await traderOn();
    await seedTrades(user.id, accountId, "NZDCHF", "2026-11-02T08:00:00Z", 3, 4);
    const { context, page } = await signIn(user);
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/charts/NZDCHF?period=all`);
    const empty = page.locator("[data-chart-empty]");
    await empty.waitFor();
    // No market-data terminal runs in this test: the page says so.
    expect(await empty.getAttribute("data-chart-empty")).toBe("no_terminal");
    expect(await empty.innerText()).toContain("No market-data terminal is running");
    expect(await page.getByRole("heading", { level: 2, name: /3 trades on NZDCHF/ }).count()).toBe(1);
    await page.waitForTimeout(500);
    expect(await page.locator("canvas").count()).toBe(0);
    await screenshots(page, "charts-symbol-empty-1280");
    expect(errors).toEqual([]);
    await context.close();

    const phone = await signIn(user, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    await phone.page.goto(`${app.url}/charts/NZDCHF?period=all`);
    await phone.page.locator("[data-chart-empty]").waitFor();
    expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
    await screenshots(phone.page, "charts-symbol-empty-375");
    await phone.context.close();
  });

  it("moves the ticker and the chart's forming bar when candle_cache changes, without a reload", async () => {
    const { user, accountId } = await traderOn();
    await app.db.pool.query(
      `insert into public.open_positions (user_id, account_id, position_id, symbol, direction, opened_at, volume, entry_price, current_price)
       values ($1, $2, '9001', 'GBPUSD', 'buy', now() - interval '3 hours', 0.20, 1.07950, 1.08000),
              ($1, $2, '9002', 'USDJPY', 'sell', now() - interval '2 hours', 0.10, 155.100, 155.000)`,
      [user.id, accountId],
    );
    await app.db.pool.query(
      `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, volume, entry_price, source)
       values ($1, $2, '9001', 'GBPUSD', 'buy', 'open', now() - interval '3 hours', 0.20, 1.07950, 'mt5')`,
      [user.id, accountId],
    );
    const hour = new Date(Math.floor(Date.now() / HOUR) * HOUR);
    const today = new Date(Math.floor(Date.now() / (24 * HOUR)) * 24 * HOUR);
    await seedCandles("GBPUSD", "H1", new Date(hour.getTime() - 200 * HOUR), hour, HOUR);
    await withServiceRole(app.db.pool, null, (db) =>
      db.query(
        `insert into public.candle_cache (symbol, timeframe, opened_at, open, high, low, close) values
           ('GBPUSD', 'D1', $1, 1.07500, 1.08600, 1.07400, 1.08000), ('GBPUSD', 'D1', $2, 1.08000, 1.08300, 1.07900, 1.08100)
         on conflict (symbol, timeframe, opened_at) do update set close = excluded.close, high = excluded.high, low = excluded.low`,
        [new Date(today.getTime() - 24 * HOUR), today],
      ),
    );

    const { context, page } = await signIn(user);
    const errors = collectPageErrors(page);
    await page.locator('[data-live="live"]').waitFor({ timeout: 15_000 });
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
    const gbpusd = page.locator('[data-ticker-symbol="GBPUSD"]');
    // 1.08100 against yesterday's 1.08000: +0.00100, +0.09 %.
    expect(await gbpusd.getAttribute("data-last")).toBe("1.08100");
    expect(await gbpusd.getByRole("link").getAttribute("aria-label")).toBe("GBPUSD 1.08100, up 0.00100 (0.09 %) on the day");
    expect(await page.locator('[data-ticker-symbol="USDJPY"]').getByRole("link").getAttribute("aria-label")).toBe("USDJPY: no market data yet");
    await screenshots(page, "charts-symbol-ticker-1280");
    // The service role writes the forming daily bar (as the market-data terminal does) until the strip shows it:
    // the candle watch joins a moment after the page's own channels.
    const dailyClose = await writeUntilShown(
      page,
      (close) =>
        withServiceRole(app.db.pool, null, (db) =>
          db.query(
            "update public.candle_cache set close = $2, high = greatest(high, $2), low = least(low, $2) where symbol = 'GBPUSD' and timeframe = 'D1' and opened_at = $1",
            [today, close],
          ),
        ),
      ['[data-ticker-symbol="GBPUSD"]', "data-last", (close) => close],
      ["1.07840", "1.07830", "1.07820", "1.07810", "1.07800"],
    );
    // 1.078x against 1.08000 is a fall: the label says "down".
    expect(await gbpusd.getByRole("link").getAttribute("aria-label")).toMatch(
      new RegExp(`^GBPUSD ${dailyClose}, down 0\\.00\\d+ \\(0\\.\\d\\d %\\) on the day$`),
    );
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);

    // The chart of the current month on H1 (candles in the test are H1 only): live, and the forming bar follows the cache.
    await gbpusd.getByRole("link").click();
    await page.locator("h1").filter({ hasText: "GBPUSD" }).waitFor();
    await page.goto(`${app.url}/charts/GBPUSD?period=month&tf=H1`);
    await page.locator('[data-chart-state="ready"]').waitFor({ timeout: 20_000 });
    await page.locator("[data-chart-live]").waitFor();
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
    const hourClose = await writeUntilShown(
      page,
      (close) =>
        withServiceRole(app.db.pool, null, (db) =>
          db.query(
            "update public.candle_cache set close = $2, high = greatest(high, $2), low = least(low, $2) where symbol = 'GBPUSD' and timeframe = 'H1' and opened_at = $1",
            [hour, close],
          ),
        ),
      ["[data-last-candle]", "data-last-candle", (close) => String(Number(close))],
      ["1.09110", "1.09120", "1.09130", "1.09140", "1.09150"],
    );
    expect(await page.locator("[data-last-candle]").innerText()).toContain(hourClose);
    expect(await page.locator("[data-chart-live]").innerText()).toMatch(/updated/);
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    await screenshots(page, "charts-symbol-live-1280");
    expect(errors).toEqual([]);
    await context.close();

    const phone = await signIn(user, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    await phone.page.locator('[data-ticker-symbol="GBPUSD"]').waitFor();
    expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
    await screenshots(phone.page, "charts-symbol-ticker-375");
    await phone.context.close();
  });
});

/** Writes each value in turn (2 s apart) until `selector`'s `attribute` shows it (as `shownAs` gives it); returns the value shown. */
async function writeUntilShown(
  page: Page,
  write: (value: string) => Promise<unknown>,
  [selector, attribute, shownAs]: [string, string, (value: string) => string],
  values: string[],
): Promise<string> {
  for (const value of values) {
    await write(value);
    try {
      // A function, not a string: the app's CSP forbids eval.
      await page.waitForFunction(([s, a, v]) => document.querySelector(s!)?.getAttribute(a!) === v, [selector, attribute, shownAs(value)], {
        timeout: 2_000,
      });
      return value;
    } catch (error) {
      if (!(error instanceof Error) || error.name !== "TimeoutError") throw error;
      // Not heard yet (the watch may still be joining): write the next value.
    }
  }
  throw new Error(`the page never showed any of ${values.join(", ")}`);
}
