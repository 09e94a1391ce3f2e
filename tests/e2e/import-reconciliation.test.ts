// Issue 18 item 6 in Chromium, at 375 px and 1280 px: after importing a real
// MT5 report the result page compares the balance and net profit the file
// prints with what was stored, and a trade whose money is not the sum of its
// legs says so on its own page, with both figures.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createAccount } from "../support/fixtures.ts";
import { createConfirmedUser } from "../support/app-server.ts";
import { ARTIFACTS_DIR, collectPageErrors, saveScreenshot } from "../support/browser.ts";
import { browserSuite, horizontalOverflow } from "../support/browser-suite.ts";

const REPORT = fileURLToPath(new URL("../fixtures/real/ReportHistory-hfm-demo.xlsx", import.meta.url));
const BULGARIAN = fileURLToPath(new URL("../fixtures/real/public/metaquotes-bg-en/ReportHistory-5014131788.html", import.meta.url));
const { app, signIn } = browserSuite({ testTimeout: 90_000 });

async function proUser() {
  const user = await createConfirmedUser(app);
  await app.db.pool.query("update public.profiles set subscription_tier = 'pro' where id = $1", [user.id]);
  const accountId = await createAccount(app.db.pool, user.id, { name: "HFM demo" });
  return { user, accountId };
}

describe.each([
  { width: 375, height: 812 },
  { width: 1280, height: 900 },
])("at $width px", (viewport) => {
  it("the import result reconciles the report's balance and net profit with what was stored", async () => {
    const { user } = await proUser();
    const { context, page } = await signIn(user, { viewport });
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/trades/import`);
    await page.getByLabel("Report file").setInputFiles(REPORT);
    await page.getByRole("button", { name: "Upload and preview" }).click();
    await page.waitForURL(/\/trades\/import\/[0-9a-f-]{36}$/);
    await page.getByRole("button", { name: /^Import \d+ trades?$/ }).click();
    await page.waitForURL(/\/trades\/imports\/[0-9a-f-]{36}$/);
    const line = page.getByRole("region", { name: "Import result" }).locator("[data-reconciliation]");
    await line.waitFor();
    expect(await line.getAttribute("data-reconciliation")).toBe("match");
    expect(await line.innerText()).toContain(
      "The report says balance 50.94 and Total Net Profit −49.67; stored trades and cash movements give 50.94 and −49.67 ✓",
    );
    expect(await line.innerText()).toContain("The balance starts from 50.61, the balance before the file's first deal");
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await saveScreenshot(page, `import-reconciliation-${viewport.width}`);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a doctored report (its balance and net profit 0.50 lower than its rows) names the differences", async () => {
    const { user } = await proUser();
    const { context, page } = await signIn(user, { viewport });
    const errors = collectPageErrors(page);
    const text = await readFile(BULGARIAN, "utf8");
    const doctored = text
      .replace('<td colspan="2"><b>99 996.70</b></td>', '<td colspan="2"><b>99 996.20</b></td>')
      .replace("<b>-3.30</b>", "<b>-3.80</b>");
    expect(doctored).not.toBe(text);
    await page.goto(`${app.url}/trades/import`);
    await page
      .getByLabel("Report file")
      .setInputFiles({ name: "ReportHistory-5014131788.html", mimeType: "text/html", buffer: Buffer.from(doctored) });
    await page.getByRole("button", { name: "Upload and preview" }).click();
    await page.waitForURL(/\/trades\/import\/[0-9a-f-]{36}$/);
    await page.getByRole("button", { name: /^Import \d+ trades?$/ }).click();
    await page.waitForURL(/\/trades\/imports\/[0-9a-f-]{36}$/);
    const line = page.getByRole("region", { name: "Import result" }).locator("[data-reconciliation]");
    await line.waitFor();
    expect(await line.getAttribute("data-reconciliation")).toBe("differs");
    expect(await line.innerText()).toContain("balance differs by +0.50 (stored 99,996.70, file 99,996.20)");
    expect(await line.innerText()).toContain("Обща нетна печалба differs by +0.50 (stored −3.30, file −3.80)");
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await saveScreenshot(page, `import-reconciliation-differs-${viewport.width}`);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a trade whose commission is not the sum of its legs shows both figures on its page", async () => {
    const { user, accountId } = await proUser();
    const { rows } = await app.db.pool.query(
      `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at,
                                 volume, closed_volume, entry_price, exit_price, gross_profit, commission, source)
       values ($1, $2, '5001', 'EURUSD', 'buy', 'closed', '2026-03-10T09:00:00Z', '2026-03-10T11:00:00Z', 1, 1, 1.08000, 1.08500,
               500, -6.50, 'file') returning id`,
      [user.id, accountId],
    );
    const tradeId: string = rows[0].id;
    await app.db.pool.query(
      `insert into public.trade_legs (user_id, trade_id, deal_id, kind, direction, executed_at, volume, price, profit, commission)
       values ($1, $2, 'd1', 'entry', 'buy', '2026-03-10T09:00:00Z', 1, 1.08000, 0, -3.50),
              ($1, $2, 'd2', 'exit', 'sell', '2026-03-10T11:00:00Z', 1, 1.08500, 500, -3.50)`,
      [user.id, tradeId],
    );
    const { context, page } = await signIn(user, { viewport });
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/trades/${tradeId}`);
    const note = page.locator("[data-legs-disagree]");
    await note.waitFor();
    expect(
      await note.locator("[data-legs-disagree-field]").evaluateAll((items) => items.map((item) => item.getAttribute("data-legs-disagree-field"))),
    ).toEqual(["commission"]);
    expect(await note.innerText()).toContain("Commission: the trade says -$6.50, its legs add up to -$7.00 (difference +$0.50).");
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await note.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, `trade-legs-disagree-${viewport.width}-view.png`) });
    await saveScreenshot(page, `trade-legs-disagree-${viewport.width}`);

    // Once the legs agree the note is gone.
    await app.db.pool.query("update public.trades set commission = -7 where id = $1", [tradeId]);
    await page.reload();
    await page.getByRole("heading", { name: "Legs" }).waitFor();
    expect(await page.locator("[data-legs-disagree]").count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
