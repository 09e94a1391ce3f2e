// Psychology signals in real Chromium: a revenge trade's page names the loss
// it followed (and links to it), the day's review names the overtrading day
// and its revenge trade, and /analytics shows the flagged vs unflagged
// breakdown; at 375 px and 1280 px without sideways scrolling.
import { describe, expect, it } from "vitest";
import { createConfirmedUser } from "../support/app-server.ts";
import { collectPageErrors } from "../support/browser.ts";
import { browserSuite, horizontalOverflow } from "../support/browser-suite.ts";
import { createAccount } from "../support/fixtures.ts";

const { app, signIn } = browserSuite({ testTimeout: 120_000 });

/** Ten quiet days, then a day with a −$240 loss, a 1.6× trade 12 minutes later and two more trades. */
async function userWithRevengeTrade() {
  const user = await createConfirmedUser(app);
  const db = app.db.pool;
  await db.query("update public.user_settings set time_zone = 'UTC', trading_day_start_hour = 0, trading_day_time_zone = null where user_id = $1", [
    user.id,
  ]);
  const accountId = await createAccount(db, user.id, { name: "Main" });
  const insert = async (position: string, opened: string, closed: string, volume: string, gross: string, commission = "0") => {
    const { rows } = await db.query<{ id: string }>(
      `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at, volume, closed_volume,
         entry_price, exit_price, gross_profit, commission, source)
       values ($1, $2, $3, 'EURUSD', 'buy', 'closed', $4, $5, $6, $6, 1.08000, 1.08100, $7, $8, 'manual') returning id`,
      [user.id, accountId, position, opened, closed, volume, gross, commission],
    );
    return rows[0]!.id;
  };
  for (let day = 1; day <= 10; day++) {
    const date = `2026-11-${String(day).padStart(2, "0")}`;
    await insert(`quiet-${day}`, `${date}T09:00:00Z`, `${date}T10:00:00Z`, "0.5", "25");
  }
  const loss = await insert("loss", "2026-11-12T09:00:00Z", "2026-11-12T10:00:00Z", "1", "-233", "-7");
  const revenge = await insert("revenge", "2026-11-12T10:12:00Z", "2026-11-12T11:00:00Z", "1.6", "-90", "-11.20");
  await insert("more-1", "2026-11-12T12:00:00Z", "2026-11-12T12:30:00Z", "1", "15");
  await insert("more-2", "2026-11-12T13:00:00Z", "2026-11-12T13:30:00Z", "1", "-30");
  return { user, loss, revenge };
}

describe("psychology signals", () => {
  it("shows a revenge trade's callout on its page and the flagged vs unflagged section on /analytics", async () => {
    const { user, loss, revenge } = await userWithRevengeTrade();
    for (const width of [1280, 375]) {
      const viewport = { width, height: width === 375 ? 812 : 900 };
      const { context, page } = await signIn(user, width === 375 ? { viewport, isMobile: true, hasTouch: true } : { viewport });
      const errors = collectPageErrors(page);

      await page.goto(`${app.url}/trades/${revenge}`);
      const callout = page.locator("[data-psychology-callout]");
      await callout.waitFor();
      expect(await callout.locator('[data-signal="revenge"]').innerText()).toBe(
        "Possible revenge trade: opened 12 min after a −$240.00 loss on EURUSD at 1.6× its size.",
      );
      expect(await callout.getByRole("link", { name: "−$240.00 loss on EURUSD" }).getAttribute("href")).toBe(`/trades/${loss}`);
      // 2026-11-12 has 4 closed trades against a median of 1 per day over 11 active days.
      expect(await callout.locator('[data-signal="overtrading"]').innerText()).toContain("4 trades closed on 2026-11-12");
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `/tmp/e-psychology-callout-${width}.png` });

      // The day's review names the overtrading day and its revenge trade.
      await page.goto(`${app.url}/journal/2026-11-12`);
      const day = page.locator("[data-day-signals]");
      await day.waitFor();
      expect(await day.locator('[data-signal="overtrading"]').innerText()).toBe(
        "Overtrading day: 4 closed trades, more than twice your median of 1 per trading day.",
      );
      expect(await day.locator('[data-signal="revenge"]').innerText()).toContain(
        "possible revenge trade, opened 12 min after a −$240.00 loss on EURUSD",
      );
      expect(await day.getByRole("link", { name: "EURUSD", exact: true }).getAttribute("href")).toBe(`/trades/${revenge}`);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await day.scrollIntoViewIfNeeded();
      await day.screenshot({ path: `/tmp/e-psychology-day-${width}.png` });

      await page.goto(`${app.url}/analytics?period=all`);
      const section = page.locator("[data-psychology-comparison]");
      await section.waitFor();
      const cells = (group: string) => section.locator(`[data-signal-group="${group}"] td`).allInnerTexts();
      expect(await cells("revenge")).toEqual(["1", "-$101.20", "0.0%", "-$101.20"]);
      // The day's four trades: −240 − 101.20 + 15 − 30.
      expect(await cells("overtrading")).toEqual(["4", "-$356.20", "25.0%", "-$89.05"]);
      expect(await cells("unflagged")).toEqual(["10", "+$250.00", "100.0%", "+$25.00"]);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      // The four figures fit a phone without scrolling the table sideways.
      expect(await section.locator("table").evaluate((table) => table.parentElement!.scrollWidth - table.parentElement!.clientWidth)).toBe(0);
      await section.scrollIntoViewIfNeeded();
      await section.screenshot({ path: `/tmp/e-psychology-analytics-${width}.png` });
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
