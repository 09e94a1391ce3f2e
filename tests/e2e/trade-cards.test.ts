// The trade list on a phone (issue 18 item 7): a compact two-line row per
// trade — symbol, side and net P&L, then time, lots and R — so 50 trades fit
// in well under half the 7,300 px the cards took, with the rest of each
// trade's facts still in the row for screen readers, the whole row a tap
// target, and the desktop table unchanged.
import { describe, expect, it } from "vitest";
import { createAccount } from "../support/fixtures.ts";
import { createConfirmedUser } from "../support/app-server.ts";
import { collectPageErrors, saveScreenshot } from "../support/browser.ts";
import { browserSuite, horizontalOverflow } from "../support/browser-suite.ts";

const { app, signIn } = browserSuite({ testTimeout: 90_000 });

/** 60 closed EURUSD trades with a stop at entry (so each has an R), two accounts, a tag and a journal on the newest. */
async function trader() {
  const user = await createConfirmedUser(app);
  await app.db.pool.query("update public.profiles set subscription_tier = 'pro' where id = $1", [user.id]);
  const accountId = await createAccount(app.db.pool, user.id, { name: "IC Markets Live" });
  await createAccount(app.db.pool, user.id, { name: "Prop challenge" });
  await app.db.pool.query(
    `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at,
                               volume, entry_price, exit_price, initial_stop_loss, initial_risk_amount, gross_profit, commission, pips, session_tag)
     select $1, $2, 'c' || g, 'EURUSD', 'buy', 'closed', timestamptz '2026-03-02 08:00Z' + (g || ' hours')::interval,
            timestamptz '2026-03-02 09:30Z' + (g || ' hours')::interval, 1, 1.08000, 1.08250, 1.07900, 100, 250, -5, 25, 'london'
       from generate_series(1, 60) g`,
    [user.id, accountId],
  );
  const newest = (await app.db.pool.query("select id from public.trades where user_id = $1 and position_id = 'c60'", [user.id])).rows[0].id as string;
  const tag = (
    await app.db.pool.query("insert into public.tags (user_id, name, color) values ($1, 'fade the news', '#22c55e') returning id", [user.id])
  ).rows[0].id as string;
  await app.db.pool.query("insert into public.trade_tags (user_id, trade_id, tag_id) values ($1, $2, $3)", [user.id, newest, tag]);
  await app.db.pool.query("insert into public.journals (user_id, trade_id, notes) values ($1, $2, 'clean break')", [user.id, newest]);
  return { user, newest };
}

describe("the trade list on a phone", () => {
  it("shows 50 trades as two-line rows, well under half the old 7,300 px, with every fact still in the row", async () => {
    const { user, newest } = await trader();
    const { context, page } = await signIn(user, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/trades`, { waitUntil: "networkidle" });
    const rows = page.getByRole("list", { name: "Trades" }).getByRole("listitem");
    expect(await rows.count()).toBe(50);
    const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(pageHeight).toBeLessThan(3_000);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    const first = rows.first();
    expect(await first.getAttribute("data-trade-id")).toBe(newest);
    // Two lines: symbol, side and net P&L; then the close time, lots and R (2.5 = 250 ÷ 100 at risk, less 5 commission).
    const lineOne = await first.locator("[data-row-line='1']").textContent();
    const lineTwo = await first.locator("[data-row-line='2']").innerText();
    expect(lineOne).toBe("EURUSDBUYJournaledfade the news+$245.00");
    expect(lineTwo).toMatch(/^2026-03-04 21:30 · 1 lots · \+2\.45 R · 1 h 30 m · /);
    // The rest is in the row for screen readers even where the line truncates.
    expect(lineTwo).toContain("1.08000 → 1.08250 · +25 pips · London · IC Markets Live");
    expect(await first.getByRole("checkbox").getAttribute("aria-label")).toMatch(/^Select EURUSD buy opened/);
    expect(await first.getByText("Journaled").count()).toBe(1);
    expect((await first.boundingBox())!.height).toBeLessThanOrEqual(48);
    await saveScreenshot(page, "trade-cards-375");

    // The whole row opens the trade; the checkbox still selects.
    await first.getByRole("checkbox").check();
    expect(await first.getByRole("checkbox").isChecked()).toBe(true);
    expect(page.url()).toBe(`${app.url}/trades`);
    const box = (await first.boundingBox())!;
    await page.mouse.click(box.x + box.width - 30, box.y + box.height - 8);
    await page.waitForURL(`${app.url}/trades/${newest}`);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("keeps the table at 1280 px", async () => {
    const { user } = await trader();
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    await page.goto(`${app.url}/trades`, { waitUntil: "networkidle" });
    expect(await page.locator("table").isVisible()).toBe(true);
    expect(await page.getByRole("list", { name: "Trades" }).isVisible()).toBe(false);
    await saveScreenshot(page, "trade-cards-1280");
    await context.close();
  });
});
