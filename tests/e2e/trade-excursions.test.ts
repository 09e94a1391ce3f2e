// MAE/MFE in real Chromium against the built app: the trade page's card at
// 375 px and 1280 px (measured on M1, and on M5 with its note, and still
// pending), and the averages beside the analytics breakdown rows with the
// backfill's progress.
import { describe, expect, it } from "vitest";
import { createConfirmedUser } from "../support/app-server.ts";
import { collectPageErrors } from "../support/browser.ts";
import { browserSuite, horizontalOverflow } from "../support/browser-suite.ts";
import { createAccount } from "../support/fixtures.ts";

const { app, signIn } = browserSuite({ testTimeout: 120_000 });

async function userWithMeasuredTrades() {
  const user = await createConfirmedUser(app);
  const db = app.db.pool;
  await db.query("update public.user_settings set time_zone = 'UTC' where user_id = $1", [user.id]);
  const accountId = await createAccount(db, user.id, { name: "Main" });
  const trade = async (position: string, opened: string, closed: string, stop: string | null) =>
    (
      await db.query<{ id: string }>(
        `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at, volume, closed_volume,
           entry_price, exit_price, initial_stop_loss, gross_profit, source)
         values ($1, $2, $3, 'EURUSD', 'buy', 'closed', $4, $5, 1, 1, 1.10000, 1.10150, $6, 150, 'file') returning id`,
        [user.id, accountId, position, opened, closed, stop],
      )
    ).rows[0]!.id;
  const m1 = await trade("p1", "2026-11-02T10:00:30Z", "2026-11-02T10:05:20Z", "1.09800");
  const m5 = await trade("p2", "2026-11-03T10:00:00Z", "2026-11-03T14:00:00Z", null);
  const pending = await trade("p3", "2026-11-04T10:00:00Z", "2026-11-04T11:00:00Z", "1.09800");
  const measure = (id: string, timeframe: string, r: [string, string] | null) =>
    db.query(
      `insert into public.trade_excursions (trade_id, user_id, status, timeframe, mae_price, mfe_price, mae_pips, mfe_pips, mae_money, mfe_money,
         mae_r, mfe_r, efficiency, mae_at, mfe_at, bars, trade_closed_at)
       select t.id, t.user_id, 'measured', $2, 0.001, 0.002, 10, 20, 100, 200, $3, $4, 0.75, t.opened_at + interval '90 seconds',
              t.opened_at + interval '90 seconds', 6, t.closed_at from public.trades t where t.id = $1`,
      [id, timeframe, r?.[0] ?? null, r?.[1] ?? null],
    );
  await measure(m1, "M1", ["0.5", "1"]);
  await measure(m5, "M5", null);
  return { user, m1, m5, pending };
}

describe("trade excursions", () => {
  it("shows the MAE/MFE card on the trade page and the averages on /analytics, at 1280 px and 375 px", async () => {
    const { user, m1, m5, pending } = await userWithMeasuredTrades();
    for (const viewport of [
      { width: 1280, height: 900 },
      { width: 375, height: 812 },
    ]) {
      const phone = viewport.width < 500;
      const { context, page } = await signIn(user, phone ? { viewport, isMobile: true, hasTouch: true } : { viewport });
      const errors = collectPageErrors(page);
      await page.goto(`${app.url}/trades/${m1}`);
      const card = page.locator('[data-excursion="measured"]');
      await card.waitFor();
      const text = await card.innerText();
      expect(text).toContain("−10 pips");
      expect(text).toContain("+20 pips");
      expect(text).toContain("-$100.00");
      expect(text).toContain("+$200.00");
      expect(text).toContain("−0.5 R");
      expect(text).toContain("+1 R");
      expect(text).toContain("75 %");
      expect(text).toContain("From 1-minute bars.");
      expect(text).toContain("at 2026-11-02 10:02");
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await card.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `/tmp/charts-excursions-card-${viewport.width}.png`, fullPage: false });

      await page.goto(`${app.url}/trades/${m5}`);
      const m5Text = await page.locator('[data-excursion="measured"]').innerText();
      expect(m5Text).toContain("From 5-minute bars");
      expect(m5Text).toContain("No R: the trade has no stop loss at entry.");
      await page.goto(`${app.url}/trades/${pending}`);
      expect(await page.locator('[data-excursion="pending"]').innerText()).toContain("Measuring");

      await page.goto(`${app.url}/analytics?period=custom&from=2026-11-01&to=2026-11-30`);
      const row = page.locator('[data-breakdown="symbol"] [data-row="EURUSD"]');
      await row.waitFor();
      // R averages leave out the trade without a stop: MAE 0.5, MFE 1 from the M1 trade alone; efficiency 75 % over both.
      expect(await row.locator('[data-excursion="mae"]').innerText()).toBe("-0.50 R");
      expect(await row.locator('[data-excursion="mfe"]').innerText()).toBe("+1.00 R");
      expect(await row.locator('[data-excursion="efficiency"]').innerText()).toBe("75%");
      expect(await page.locator("[data-excursion-progress]").innerText()).toContain("MAE/MFE: 2 of 3 trades");
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await page.locator('[data-breakdown="symbol"]').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `/tmp/charts-excursions-analytics-${viewport.width}.png`, fullPage: false });
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
