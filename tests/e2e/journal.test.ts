// The daily review and the journal timeline in real Chromium against the
// built app: writing a day's review (autosaved, kept across a reload; saved
// without JavaScript; a stale save showing both versions), searching the
// timeline and seeing the highlighted snippet, and a calendar day opening its
// daily page. Screenshots of /journal and /journal/$date at 375 px and 1280 px.
import { describe, expect, it } from "vitest";
import { createConfirmedUser } from "../support/app-server.ts";
import { collectPageErrors, saveScreenshot } from "../support/browser.ts";
import { browserSuite, horizontalOverflow } from "../support/browser-suite.ts";
import { createAccount } from "../support/fixtures.ts";

const { app, signIn, withoutJavaScript } = browserSuite({ testTimeout: 120_000 });

const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true };

/** A Pro user on the forex day (17:00 New York) with trades on 2 and 3 November 2026, two of them journaled. */
async function trader() {
  const user = await createConfirmedUser(app);
  const db = app.db.pool;
  await db.query("update public.profiles set subscription_tier = 'pro' where id = $1", [user.id]);
  await db.query(
    "update public.user_settings set time_zone = 'Europe/London', trading_day_start_hour = 17, trading_day_time_zone = 'America/New_York' where user_id = $1",
    [user.id],
  );
  const accountId = await createAccount(db, user.id, { name: "IC Live" });
  const trades: [string, string, string, string, string][] = [
    // position, symbol, opened, closed (UTC), gross
    ["p1", "EURUSD", "2026-11-02T08:00:00Z", "2026-11-02T09:00:00Z", "120.00"],
    // 22:30 UTC is 17:30 EST: the 3rd's trading day.
    ["p2", "GBPUSD", "2026-11-02T20:00:00Z", "2026-11-02T22:30:00Z", "-40.00"],
    ["p3", "XAUUSD", "2026-11-03T10:00:00Z", "2026-11-03T12:00:00Z", "75.50"],
  ];
  const ids: Record<string, string> = {};
  for (const [position, symbol, opened, closed, gross] of trades) {
    const { rows } = await db.query<{ id: string }>(
      `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at, volume, closed_volume,
         entry_price, exit_price, initial_stop_loss, gross_profit, commission, source)
       values ($1, $2, $3, $4, 'buy', 'closed', $5, $6, 1, 1, 1.08000, 1.08100, 1.07900, $7, -7.00, 'manual') returning id`,
      [user.id, accountId, position, symbol, opened, closed, gross],
    );
    ids[position] = rows[0]!.id;
  }
  await db.query("insert into public.journals (user_id, trade_id, notes, lessons, mood, followed_plan) values ($1, $2, $3, $4, 4, 'yes')", [
    user.id,
    ids.p1,
    "Scaled out at the first target, then it ran without me. <b>bold?</b> <script>window.hacked = true</script>",
    "Leave a runner.",
  ]);
  await db.query("insert into public.journals (user_id, trade_id, notes, mood, followed_plan) values ($1, $2, $3, 1, 'no')", [
    user.id,
    ids.p2,
    "Revenge entry after the London close.",
  ]);
  return { user, accountId, ids };
}

describe("daily review", () => {
  it("lists the trading day's trades and autosaves the review, which survives a reload (375 px and 1280 px)", async () => {
    const { user } = await trader();
    const { context, page } = await signIn(user);
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/journal/2026-11-03`);
    await page.locator('[data-journal-day="2026-11-03"]').waitFor();
    // GBPUSD closed 17:30 New York on the 2nd: the 3rd's trading day, with XAUUSD.
    const listed = page.locator("[data-day-trades] [data-trade-id]");
    await expect.poll(() => listed.count()).toBe(2);
    expect(await page.locator("[data-day-trades]").innerText()).toMatch(/GBPUSD[\s\S]*XAUUSD/);
    expect(await page.locator("[data-day-total]").innerText()).toContain("+$21.50"); // −47.00 + 68.50

    await page.getByLabel("Pre-market plan").fill("Only London breakouts. Max two trades.");
    await page.getByLabel("End-of-day review").fill("Took a revenge trade after the close. Scaling back tomorrow.");
    await page.getByLabel("4 — calm").check({ force: true });
    await page.locator('[data-save-status="saved"]').waitFor({ timeout: 15_000 });
    const { rows } = await app.db.pool.query("select premarket_plan, review, mood, version from public.daily_journals where user_id = $1", [user.id]);
    expect(rows).toEqual([
      {
        premarket_plan: "Only London breakouts. Max two trades.",
        review: "Took a revenge trade after the close. Scaling back tomorrow.",
        mood: 4,
        version: expect.any(Number),
      },
    ]);
    await page.reload();
    await page.locator('[data-journal-day="2026-11-03"]').waitFor();
    expect(await page.getByLabel("End-of-day review").inputValue()).toBe("Took a revenge trade after the close. Scaling back tomorrow.");
    expect(await page.getByLabel("4 — calm").isChecked()).toBe(true);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await saveScreenshot(page, "journal-day-1280");
    // Previous and next days.
    await page.getByRole("link", { name: /^Previous day/ }).click();
    await page.locator('[data-journal-day="2026-11-02"]').waitFor();
    await expect.poll(() => listed.count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();

    const phone = await signIn(user, PHONE);
    await phone.page.goto(`${app.url}/journal/2026-11-03`);
    await phone.page.locator('[data-journal-day="2026-11-03"]').waitFor();
    expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
    await saveScreenshot(phone.page, "journal-day-375");
    await phone.context.close();
  });

  it("saves without JavaScript, and a save from an older version changes nothing and shows both texts", async () => {
    const { user } = await trader();
    const signedIn = await signIn(user);
    const { context, page } = await withoutJavaScript(signedIn.context);
    await page.goto(`${app.url}/journal/2026-11-04`);
    await page.getByLabel("Pre-market plan").fill("Wait for NFP.");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.waitForURL(/review=saved/);
    expect(await page.getByLabel("Pre-market plan").inputValue()).toBe("Wait for NFP.");

    // Another tab saves in the meantime; this page still holds version 1.
    await app.db.pool.query("update public.daily_journals set review = 'Written in the other tab.' where user_id = $1", [user.id]);
    await page.getByLabel("End-of-day review").fill("Written here.");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    const conflict = page.locator("[data-review-conflict]");
    await conflict.waitFor();
    expect(await conflict.innerText()).toContain("Written in the other tab.");
    expect(await conflict.innerText()).toContain("Written here.");
    const { rows } = await app.db.pool.query("select review from public.daily_journals where user_id = $1", [user.id]);
    expect(rows[0].review).toBe("Written in the other tab.");
    // Keep mine: saved against their version.
    await conflict.getByRole("button", { name: "Keep mine" }).click();
    await page.waitForURL(/review=saved/);
    expect(await page.getByLabel("End-of-day review").inputValue()).toBe("Written here.");
    await context.close();
    await signedIn.context.close();
  });

  it("opens from a calendar day on the dashboard", async () => {
    const { user } = await trader();
    const { context, page } = await signIn(user);
    await page.goto(`${app.url}/dashboard?period=custom&from=2026-11-01&to=2026-11-30`);
    await page.locator('[data-day="2026-11-03"]').click();
    await page.locator('[data-journal-day="2026-11-03"]').waitFor();
    await expect.poll(() => page.locator("[data-day-trades] [data-trade-id]").count()).toBe(2);
    await context.close();
  });
});

describe("journal timeline", () => {
  it("searches notes with stemming and shows the highlighted snippet, inert HTML and all (375 px and 1280 px)", async () => {
    const { user, ids } = await trader();
    await app.db.pool.query(
      `insert into public.journal_screenshots (user_id, trade_id, object_path, content_type, bytes, width, height)
       values ($1, $2, $3, 'image/webp', 100, 10, 10)`,
      [user.id, ids.p1, `${user.id}/${ids.p1}/missing.webp`],
    );
    await app.db.pool.query("insert into public.daily_journals (user_id, trading_day, review, mood) values ($1, '2026-11-03', $2, 2)", [
      user.id,
      "Broke the plan: revenge trade after the close.",
    ]);
    const { context, page } = await signIn(user);
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/journal`);
    const entries = page.locator("[data-timeline] > li");
    await entries.first().waitFor();
    // Newest first: the 3rd's review heads its day, then GBPUSD (the 3rd), then EURUSD (the 2nd).
    expect(
      await entries.evaluateAll((items) => items.map((item) => `${item.getAttribute("data-entry-kind")}:${item.getAttribute("data-entry-day")}`)),
    ).toEqual(["day:2026-11-03", "trade:2026-11-03", "trade:2026-11-02"]);
    expect(await page.locator("[data-timeline]").innerText()).toContain("<b>bold?</b>");
    // A screenshot row whose object Storage cannot sign shows as a count instead of a broken image.
    expect(await page.locator('[data-entry-kind="trade"][data-entry-day="2026-11-02"] [data-screenshot-count="1"]').innerText()).toBe("1 screenshot");
    await saveScreenshot(page, "journal-timeline-1280");

    await page.getByRole("searchbox").fill("scaling");
    await page.getByRole("searchbox").press("Enter");
    await page.locator('[data-search-total="1"]').waitFor();
    const mark = page.locator("[data-timeline] mark");
    expect(await mark.allInnerTexts()).toEqual(["Scaled"]);
    const entry = await page.locator("[data-timeline] > li").innerText();
    expect(entry).toContain("EURUSD");
    expect(entry).toContain("<b>bold?</b> <script>window.hacked = true");
    expect(await page.evaluate(() => (window as unknown as { hacked?: boolean }).hacked)).toBeUndefined();
    expect(page.url()).toContain("q=scaling");
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await saveScreenshot(page, "journal-search-1280");

    // Daily reviews are searched too, and the result links to its day.
    await page.goto(`${app.url}/journal?q=revenge`);
    await page.locator('[data-search-total="2"]').waitFor();
    await page.getByRole("link", { name: "Daily review · 2026-11-03" }).click();
    await page.locator('[data-journal-day="2026-11-03"]').waitFor();
    expect(errors).toEqual([]);
    await context.close();

    const phone = await signIn(user, PHONE);
    await phone.page.goto(`${app.url}/journal?q=scaling`);
    await phone.page.locator('[data-search-total="1"]').waitFor();
    expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
    await saveScreenshot(phone.page, "journal-search-375");
    await phone.page.goto(`${app.url}/journal`);
    await phone.page.locator("[data-timeline] > li").first().waitFor();
    expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
    await saveScreenshot(phone.page, "journal-timeline-375");
    await phone.context.close();
  });

  it("filters from the URL without JavaScript and pages with Next and Previous", async () => {
    const { user } = await trader();
    await app.db.pool.query(
      `insert into public.daily_journals (user_id, trading_day, review) select $1, date '2026-01-01' + g, 'Day ' || g from generate_series(0, 29) g`,
      [user.id],
    );
    const signedIn = await signIn(user);
    const { context, page } = await withoutJavaScript(signedIn.context);
    await page.goto(`${app.url}/journal?plan=no`);
    expect(await page.locator("[data-timeline] > li").count()).toBe(1);
    expect(await page.locator("[data-timeline]").innerText()).toContain("GBPUSD");
    await page.goto(`${app.url}/journal?kind=day`);
    expect(await page.locator("[data-timeline] > li").count()).toBe(20);
    await page.getByRole("link", { name: "Next" }).click();
    await page.waitForURL(/page=2/);
    expect(await page.locator("[data-timeline] > li").count()).toBe(10);
    await page.getByRole("link", { name: "Previous" }).click();
    await page.waitForURL((url) => !url.search.includes("page="));
    expect(await page.locator("[data-timeline] > li").count()).toBe(20);
    await context.close();
    await signedIn.context.close();
  });
});
