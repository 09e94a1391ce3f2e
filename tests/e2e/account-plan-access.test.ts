// Accounts a downgrade left read-only or unsynced (issue 15 item 5), in real
// Chromium against the built app: the accounts list and the account page mark
// them with a badge and one sentence linking to Settings → Billing, and a
// read-only account's trades say why they cannot be edited — on the list, the
// trade page (no Edit/Delete) and the edit page (no form) — at 375 and 1280 px.
import { describe, expect, it } from "vitest";
import { createConfirmedUser } from "../support/app-server.ts";
import { collectPageErrors, saveScreenshot } from "../support/browser.ts";
import { browserSuite, horizontalOverflow } from "../support/browser-suite.ts";
import { createAccount, createTrade } from "../support/fixtures.ts";

const { app, signIn } = browserSuite({ testTimeout: 120_000 });

describe("accounts past the plan after a downgrade", () => {
  it("marks read-only accounts on the accounts list, the account page and their trades, at 375 and 1280 px", async () => {
    const user = await createConfirmedUser(app);
    const pool = app.db.pool;
    await pool.query("update public.profiles set subscription_tier = 'elite' where id = $1", [user.id]);
    const kept = await createAccount(pool, user.id, { name: "Kept" });
    const beyond = await createAccount(pool, user.id, { name: "Beyond Free" });
    await createTrade(pool, user.id, kept);
    const tradeId = await createTrade(pool, user.id, beyond);
    await pool.query("update public.profiles set subscription_tier = 'free' where id = $1", [user.id]);

    for (const width of [375, 1280]) {
      const { page, context } = await signIn(user, { viewport: { width, height: 900 } });
      const errors = collectPageErrors(page);
      await page.goto(`${app.url}/accounts`);
      const beyondCard = page.locator("li", { has: page.getByRole("link", { name: "Beyond Free", exact: true }) });
      await beyondCard.waitFor();
      expect(await beyondCard.locator('[data-plan-access="read_only"]').innerText()).toBe("Read-only");
      expect(await beyondCard.innerText()).toContain("nothing can be added, changed or deleted until you upgrade");
      expect(await beyondCard.getByRole("link", { name: "Settings → Billing" }).getAttribute("href")).toBe("/settings/billing");
      const keptCard = page.locator("li", { has: page.getByRole("link", { name: "Kept", exact: true }) });
      expect(await keptCard.locator("[data-plan-access]").count()).toBe(0);
      expect(await horizontalOverflow(page)).toBe(0);
      await saveScreenshot(page, `plan-access-accounts-${width}`);

      await page.goto(`${app.url}/accounts/${beyond}`);
      await page.locator('[data-plan-access-notice="read_only"]').waitFor();
      expect(await horizontalOverflow(page)).toBe(0);
      await saveScreenshot(page, `plan-access-account-${width}`);

      await page.goto(`${app.url}/trades`);
      const listNotice = page.locator("[data-read-only-accounts]");
      await listNotice.waitFor();
      expect(await listNotice.innerText()).toContain("“Beyond Free” is read-only on your plan");
      expect(await horizontalOverflow(page)).toBe(0);
      await saveScreenshot(page, `plan-access-trades-${width}`);

      await page.goto(`${app.url}/trades/${tradeId}`);
      await page.locator('[data-plan-access-notice="read_only"]').waitFor();
      expect(await page.getByRole("link", { name: "Edit", exact: true }).isVisible()).toBe(false);
      expect(await page.getByRole("link", { name: "Delete", exact: true }).isVisible()).toBe(false);
      expect(await horizontalOverflow(page)).toBe(0);
      await saveScreenshot(page, `plan-access-trade-${width}`);

      await page.goto(`${app.url}/trades/${tradeId}/edit`);
      const refusal = page.getByRole("status").filter({ hasText: "read-only" });
      await refusal.waitFor();
      expect(await refusal.innerText()).toContain('"Beyond Free" is read-only on the free plan');
      expect(await page.getByRole("button", { name: "Save changes" }).count()).toBe(0);
      expect(await page.getByRole("link", { name: "Settings → Billing" }).getAttribute("href")).toBe("/settings/billing");
      await saveScreenshot(page, `plan-access-edit-${width}`);
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it("marks an MT5 account past the plan's MT5 limit as not syncing, and leaves its trades editable", async () => {
    const user = await createConfirmedUser(app);
    const pool = app.db.pool;
    await pool.query("update public.profiles set subscription_tier = 'elite' where id = $1", [user.id]);
    await createAccount(pool, user.id, { kind: "mt5", mt5_server: "ICMarketsSC-Demo", mt5_login: 51234561, name: "First MT5" });
    await createAccount(pool, user.id, { kind: "mt5", mt5_server: "ICMarketsSC-Demo", mt5_login: 51234562, name: "Second MT5" });
    await pool.query("update public.profiles set subscription_tier = 'pro' where id = $1", [user.id]);
    const { page, context } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    await page.goto(`${app.url}/accounts`);
    const second = page.locator("li", { has: page.getByRole("link", { name: "Second MT5", exact: true }) });
    await second.waitFor();
    expect(await second.locator('[data-plan-access="no_sync"]').innerText()).toBe("Not syncing");
    expect(await second.innerText()).toContain("file imports still work");
    const first = page.locator("li", { has: page.getByRole("link", { name: "First MT5", exact: true }) });
    expect(await first.locator("[data-plan-access]").count()).toBe(0);
    await page.goto(`${app.url}/trades`);
    await page.getByRole("heading", { name: "Trades", exact: true }).waitFor();
    expect(await page.locator("[data-read-only-accounts]").count()).toBe(0);
    await context.close();
  });
});
