// The per-trade journal in real Chromium: autosave 2 s after typing with a
// visible status, an offline period (the browser's offline mode) that loses
// nothing, a draft restored after a reload, a stale write from a second page
// shown as both versions, tags and mistakes with create-on-type, the Save
// button without JavaScript, 10,000 characters of HTML and script rendered
// inert, and the page at 375 px and 1280 px (screenshots in test-results/).
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createConfirmedUser } from "../support/app-server.ts";
import { ARTIFACTS_DIR, collectPageErrors, saveScreenshot } from "../support/browser.ts";
import { browserSuite, horizontalOverflow } from "../support/browser-suite.ts";
import { createAccount, createTrade } from "../support/fixtures.ts";
import type { TradeClosedNotice } from "../../app/domain/sync/realtime-contract.ts";

const { app, signIn, withoutJavaScript } = browserSuite({ testTimeout: 120_000 });

async function traderWithTrade() {
  const user = await createConfirmedUser(app);
  await app.db.pool.query("update public.user_settings set time_zone = 'Europe/London' where user_id = $1", [user.id]);
  const accountId = await createAccount(app.db.pool, user.id, { name: "IC Markets Live" });
  const tradeId = await createTrade(app.db.pool, user.id, accountId, { symbol: "GBPUSD" });
  await app.db.pool.query(
    `insert into public.tags (user_id, name, category, color) values ($1, 'Breakout', 'setup', '#22c55e'), ($1, 'Late entry', 'mistake', '#ef4444')
     on conflict (user_id, lower(btrim(name))) do update set category = excluded.category`,
    [user.id],
  );
  return { user, tradeId };
}

const stored = async (tradeId: string) =>
  (await app.db.pool.query("select notes, lessons, mood, setup_quality, followed_plan, version from public.journals where trade_id = $1", [tradeId]))
    .rows[0] ?? null;
const tradeTagNames = async (tradeId: string) =>
  (
    await app.db.pool.query<{ name: string }>(
      "select g.name from public.trade_tags tt join public.tags g on g.id = tt.tag_id where tt.trade_id = $1 order by g.name",
      [tradeId],
    )
  ).rows.map((row) => row.name);

const status = (page: Page) => page.locator("[data-save-status]");
const notes = (page: Page) => page.getByLabel("Notes", { exact: true });

async function openTrade(page: Page, tradeId: string) {
  await page.goto(`${app.url}/trades/${tradeId}`);
  await page.getByRole("heading", { name: "Journal" }).waitFor();
  // Hydrated: the pickers turn into comboboxes.
  await page.getByRole("combobox", { name: "Tags" }).waitFor();
  // The page's other panels (screenshots) load after hydration; let them finish before going offline.
  await page.waitForLoadState("networkidle");
}

describe("trade journal with JavaScript", () => {
  it("autosaves after a pause, saves tags and mistakes at once, and looks right at 1280 px", async () => {
    const { user, tradeId } = await traderWithTrade();
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await openTrade(page, tradeId);

    await notes(page).fill("Entry on the **retest** of the London high.\n\n- waited for the close\n- half size");
    await expect.poll(() => status(page).innerText()).toBe("Unsaved changes");
    // Nothing is sent before the 2 s pause.
    expect(await stored(tradeId)).toBeNull();
    await expect.poll(() => status(page).innerText(), { timeout: 10_000 }).toMatch(/^Saved \d\d:\d\d$/);
    expect(await stored(tradeId)).toMatchObject({
      notes: "Entry on the **retest** of the London high.\n\n- waited for the close\n- half size",
      version: 1,
    });

    await page.getByText("calm", { exact: true }).click();
    await page.getByRole("group", { name: "Setup quality" }).getByText("4", { exact: true }).click();
    await page.getByRole("group", { name: "Followed my plan" }).getByText("Partly").click();
    await page.getByLabel("Lessons").fill("Scale out at 1R.");
    await expect.poll(async () => (await stored(tradeId))?.lessons, { timeout: 10_000 }).toBe("Scale out at 1R.");
    expect(await stored(tradeId)).toMatchObject({ mood: 4, setup_quality: 4, followed_plan: "partly" });

    // Tags: pick an existing one, create one on type; mistakes likewise.
    const tags = page.getByRole("combobox", { name: "Tags" });
    await tags.fill("brea");
    await page.getByRole("option", { name: "Breakout" }).click();
    await tags.fill("London open");
    await tags.press("Enter");
    await page.locator('[data-tag-chip="London open"]').waitFor();
    const mistakes = page.getByRole("combobox", { name: "Mistakes" });
    await mistakes.fill("Moved my stop");
    await expect.poll(() => page.getByRole("option").allInnerTexts()).toEqual(["Create “Moved my stop”"]);
    await mistakes.press("Enter");
    await expect.poll(() => tradeTagNames(tradeId)).toEqual(["Breakout", "London open", "Moved my stop"]);
    const categories = await app.db.pool.query("select name, category from public.tags where user_id = $1 order by name", [user.id]);
    expect(categories.rows).toContainEqual({ name: "Moved my stop", category: "mistake" });
    expect(categories.rows).toContainEqual({ name: "London open", category: "general" });
    await page.getByRole("button", { name: "Remove Breakout" }).click();
    await expect.poll(() => tradeTagNames(tradeId)).toEqual(["London open", "Moved my stop"]);

    await page.getByText("Preview").click();
    await page.locator("[data-journal-notes] strong", { hasText: "retest" }).waitFor();
    await page.locator("#journal").scrollIntoViewIfNeeded();
    await saveScreenshot(page, "trade-journal-1280");
    expect(await horizontalOverflow(page)).toBe(0);
    await page.setViewportSize({ width: 375, height: 800 });
    await page.locator("#journal").scrollIntoViewIfNeeded();
    expect(await horizontalOverflow(page)).toBe(0);
    await saveScreenshot(page, "trade-journal-375");
    // The whole page is long at this width; the journal on its own, to look at.
    await page.locator("#journal").screenshot({ path: path.join(ARTIFACTS_DIR, "trade-journal-375-section.png") });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("keeps typing through an offline period and saves when back online", async () => {
    const { user, tradeId } = await traderWithTrade();
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    await openTrade(page, tradeId);

    await context.setOffline(true);
    await notes(page).fill("Typed on the train, no signal.");
    await expect.poll(() => status(page).innerText(), { timeout: 10_000 }).toBe("Offline — will retry");
    // The draft is in the browser meanwhile.
    expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith("rawjournal:draft:")))).toHaveLength(1);
    await notes(page).press("End");
    await notes(page).pressSequentially(" Still nothing.");
    await page.waitForTimeout(3_000);
    expect(await stored(tradeId)).toBeNull();

    await context.setOffline(false);
    await expect.poll(() => status(page).innerText(), { timeout: 15_000 }).toMatch(/^Saved /);
    expect((await stored(tradeId))?.notes).toBe("Typed on the train, no signal. Still nothing.");
    expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith("rawjournal:draft:")))).toEqual([]);
    await context.close();
  });

  it("restores an unsaved draft after a reload, and asks before leaving with unsaved text", async () => {
    const { user, tradeId } = await traderWithTrade();
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    await openTrade(page, tradeId);

    // The server is unreachable for saves: the text exists only in the browser.
    await page.route("**/journal", (route) => route.abort("connectionreset"));
    await notes(page).fill("Draft that never reached the server.");
    await expect.poll(() => status(page).innerText(), { timeout: 10_000 }).toBe("Not saved");

    // Leaving inside the app asks first (Remix's blocker).
    await page.getByRole("link", { name: "← All trades" }).click();
    await page.getByRole("dialog", { name: "Leave with unsaved text?" }).waitFor();
    await page.getByRole("button", { name: "Stay" }).click();
    expect(new URL(page.url()).pathname).toBe(`/trades/${tradeId}`);

    // The tab asks too (beforeunload); accept it and reload.
    page.once("dialog", (dialog) => void dialog.accept());
    await page.reload();
    await page.getByRole("combobox", { name: "Tags" }).waitFor();
    await expect.poll(() => notes(page).inputValue()).toBe("Draft that never reached the server.");
    await page.getByText("Restored the text you hadn't saved yet.").waitFor();

    await page.unroute("**/journal");
    await expect.poll(() => status(page).innerText(), { timeout: 15_000 }).toMatch(/^Saved /);
    expect((await stored(tradeId))?.notes).toBe("Draft that never reached the server.");
    await context.close();
  });

  it("shows both versions on a stale write from a second page, and keeps the chosen one", async () => {
    const { user, tradeId } = await traderWithTrade();
    const { context, page: first } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    await openTrade(first, tradeId);
    const second = await context.newPage();
    await openTrade(second, tradeId);

    await notes(first).fill("Written in the first tab.");
    await expect.poll(() => status(first).innerText(), { timeout: 10_000 }).toMatch(/^Saved /);

    await notes(second).fill("Written in the second tab.");
    const conflict = second.locator("[data-journal-conflict]");
    await conflict.waitFor({ timeout: 10_000 });
    expect(await conflict.innerText()).toContain("Written in the first tab.");
    expect(await conflict.innerText()).toContain("Written in the second tab.");
    // Nothing was overwritten.
    expect((await stored(tradeId))?.notes).toBe("Written in the first tab.");
    await saveScreenshot(second, "trade-journal-conflict-1280");

    await second.getByRole("button", { name: "Keep mine" }).click();
    await expect.poll(() => status(second).innerText(), { timeout: 10_000 }).toMatch(/^Saved /);
    expect(await stored(tradeId)).toMatchObject({ notes: "Written in the second tab.", version: 2 });

    // The first tab is now the stale one; it keeps theirs.
    await notes(first).fill("First tab again.");
    await first.locator("[data-journal-conflict]").waitFor({ timeout: 10_000 });
    await first.getByRole("button", { name: "Keep theirs" }).click();
    expect(await notes(first).inputValue()).toBe("Written in the second tab.");
    expect((await stored(tradeId))?.notes).toBe("Written in the second tab.");
    await context.close();
  });

  it("renders 10,000 characters of HTML and script as inert text, and fits 375 px", async () => {
    const { user, tradeId } = await traderWithTrade();
    const hostile = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> **bold** `;
    const text = hostile.repeat(Math.ceil(10_000 / hostile.length)).slice(0, 10_000);
    await app.db.pool.query(
      "insert into public.journals (user_id, trade_id, notes, lessons, mood, setup_quality, followed_plan) values ($1, $2, $3, $4, 5, 3, 'yes')",
      [user.id, tradeId, text, "- Wait for the **close**\n- <b>not bold</b>"],
    );
    const { context, page } = await signIn(user, { viewport: { width: 375, height: 800 } });
    const errors = collectPageErrors(page);
    await openTrade(page, tradeId);
    expect(await notes(page).inputValue()).toBe(text);
    expect(await horizontalOverflow(page)).toBe(0);
    await page.getByText("Preview").click();
    const rendered = page.locator("[data-journal-notes]").first();
    expect(await rendered.innerText()).toContain("<script>window.__pwned = 1</script>");
    expect(await rendered.locator("script, img").count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await horizontalOverflow(page)).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("trade journal without JavaScript", () => {
  it("saves the whole form with the Save button and comes back to the journal", async () => {
    const { user, tradeId } = await traderWithTrade();
    const { context } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    const { context: plain, page } = await withoutJavaScript(context, { viewport: { width: 1280, height: 900 } });
    await context.close();

    await page.goto(`${app.url}/trades/${tradeId}`);
    await notes(page).fill("Saved without JavaScript.");
    await page.getByLabel("Lessons").fill("Patience.");
    await page.getByText("focused", { exact: true }).click();
    await page.getByRole("group", { name: "Followed my plan" }).getByText("No", { exact: true }).click();
    await page.getByRole("checkbox", { name: "Breakout" }).check();
    await page
      .getByRole("group", { name: "Mistakes" })
      .getByLabel(/Add new/)
      .fill("Chased, Oversized");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.waitForURL(/journal=saved/);
    await page.getByText("Saved", { exact: true }).waitFor();
    expect(await stored(tradeId)).toMatchObject({
      notes: "Saved without JavaScript.",
      lessons: "Patience.",
      mood: 5,
      followed_plan: "no",
      version: 1,
    });
    expect(await tradeTagNames(tradeId)).toEqual(["Breakout", "Chased", "Oversized"]);
    expect(await notes(page).inputValue()).toBe("Saved without JavaScript.");

    // A stale Save (the entry changed since this page loaded) shows both versions and writes nothing.
    await app.db.pool.query("update public.journals set notes = 'Changed elsewhere.' where trade_id = $1", [tradeId]);
    await notes(page).fill("My stale edit.");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    const conflict = page.locator("[data-journal-conflict]");
    await conflict.waitFor();
    expect(await conflict.innerText()).toContain("Changed elsewhere.");
    expect(await conflict.innerText()).toContain("My stale edit.");
    expect((await stored(tradeId))?.notes).toBe("Changed elsewhere.");
    await page.getByRole("button", { name: "Keep mine" }).click();
    await page.waitForURL(/journal=saved/);
    expect((await stored(tradeId))?.notes).toBe("My stale edit.");
    // Keeping mine left the tags as they were.
    expect(await tradeTagNames(tradeId)).toEqual(["Breakout", "Chased", "Oversized"]);
    await plain.close();
  });
});

describe("quick journal from the new-trade toast", () => {
  it("opens a sheet on the dashboard that saves mood, tags and a note without leaving the page", async () => {
    const { user, tradeId } = await traderWithTrade();
    for (const width of [375, 1280]) {
      const { context, page } = await signIn(user, { viewport: { width, height: 850 } });
      const errors = collectPageErrors(page);
      await page.locator('[data-live="live"]').waitFor({ timeout: 15_000 });
      const notice: TradeClosedNotice = {
        tradeId,
        accountId: (await app.db.pool.query("select account_id from public.trades where id = $1", [tradeId])).rows[0].account_id,
        symbol: "GBPUSD",
        direction: "buy",
        netProfit: "85.00",
        currency: "USD",
        pips: "17",
        closedAt: new Date().toISOString(),
      };
      await app.db.pool.query("select realtime.send($1::jsonb, 'trade_closed', $2, true)", [JSON.stringify(notice), `user:${user.id}`]);
      const addNotes = page.getByRole("region", { name: /Notifications/ }).getByRole("link", { name: "Add notes" });
      // Without JavaScript the same link opens the trade's journal.
      expect(await addNotes.getAttribute("href")).toBe(`/trades/${tradeId}#journal`);
      await addNotes.click();
      const sheet = page.getByRole("dialog", { name: "Add notes" });
      // The toast goes once its link has opened the sheet.
      await addNotes.waitFor({ state: "detached" });
      await sheet.getByRole("combobox", { name: "Tags" }).waitFor();

      if (width === 375) {
        await sheet.getByText("focused", { exact: true }).click();
        await sheet.getByRole("combobox", { name: "Tags" }).fill("Breakout");
        await sheet.getByRole("combobox", { name: "Tags" }).press("Enter");
        await sheet.getByLabel("Note").fill("Clean break of the Asia range.");
        await expect.poll(() => sheet.locator("[data-save-status]").innerText(), { timeout: 10_000 }).toMatch(/^Saved /);
        expect(await stored(tradeId)).toMatchObject({ notes: "Clean break of the Asia range.", mood: 5, version: 1 });
        await expect.poll(() => tradeTagNames(tradeId)).toEqual(["Breakout"]);
        await saveScreenshot(page, "quick-journal-375");
        expect(await horizontalOverflow(page)).toBe(0);
      } else {
        // The second time it shows what was saved, and Done saves the last keystrokes at once.
        expect(await sheet.getByLabel("Note").inputValue()).toBe("Clean break of the Asia range.");
        await sheet.getByLabel("Note").fill("Clean break of the Asia range, held to target.");
        await saveScreenshot(page, "quick-journal-1280");
        await sheet.getByRole("button", { name: "Done" }).click();
        await sheet.waitFor({ state: "detached" });
        await expect.poll(async () => (await stored(tradeId))?.notes).toBe("Clean break of the Asia range, held to target.");
      }
      expect(new URL(page.url()).pathname).toBe("/dashboard");
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
