// Importing a real MT5 report through the pages in Chromium: upload, preview,
// import with the result summary, re-import (all duplicates), undo from the
// history, a junk file's specific message, the free plan's refusal, the same
// flow without JavaScript, and the phone layout.
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createAccount } from "../support/fixtures.ts";
import { createConfirmedUser } from "../support/app-server.ts";
import { collectPageErrors, saveScreenshot } from "../support/browser.ts";
import { browserSuite, horizontalOverflow } from "../support/browser-suite.ts";

const REPORT = fileURLToPath(new URL("../fixtures/real/ReportHistory-hfm-demo.xlsx", import.meta.url));

const { app, signIn } = browserSuite({ testTimeout: 90_000 });

async function userWithAccount(tier: "free" | "pro" = "pro") {
  const user = await createConfirmedUser(app);
  if (tier !== "free") await app.db.pool.query("update public.profiles set subscription_tier = $2 where id = $1", [user.id, tier]);
  const accountId = await createAccount(app.db.pool, user.id, { name: "HFM demo" });
  return { user, accountId };
}

const tradeCount = async (userId: string) =>
  (await app.db.pool.query("select count(*)::int as n from public.trades where user_id = $1", [userId])).rows[0].n as number;

async function uploadReport(page: Page, file: string | { name: string; mimeType: string; buffer: Buffer }) {
  await page.goto(`${app.url}/trades/import`);
  await page.getByLabel("Report file").setInputFiles(file);
  await page.getByRole("button", { name: "Upload and preview" }).click();
}

describe("importing an MT5 report", () => {
  it("previews, imports, re-imports as duplicates and undoes from the history", async () => {
    const { user } = await userWithAccount();
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);

    await uploadReport(page, REPORT);
    await page.waitForURL(/\/trades\/import\/[0-9a-f-]{36}$/);
    const uploadId = page.url().split("/").pop()!;
    await page.getByRole("heading", { name: /new trades?, 0 already imported/ }).waitFor();
    expect(await page.getByText("MT5 trade history report (Excel)").isVisible()).toBe(true);
    expect(await page.getByRole("heading", { name: /^First \d+ trades$/ }).isVisible()).toBe(true);
    const rows = await page.locator("table tbody tr").count();
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThanOrEqual(10);
    await saveScreenshot(page, "import-preview-1280");
    expect(await tradeCount(user.id)).toBe(0);

    await page.getByRole("button", { name: /^Import \d+ trades?$/ }).click();
    await page.waitForURL(/\/trades\/imports\/[0-9a-f-]{36}$/);
    const stored = await tradeCount(user.id);
    expect(stored).toBeGreaterThan(0);
    const summary = page.getByRole("region", { name: "Import result" });
    await summary.getByText(`${stored} imported, 0 duplicates skipped`, { exact: false }).waitFor();
    expect(await page.getByRole("link", { name: "View trades" }).getAttribute("href")).toMatch(/^\/trades\?account=/);
    await saveScreenshot(page, "import-result-1280");

    // The progress the page polls says the import is done.
    const progress = await page.request.get(`${app.url}/trades/import/${uploadId}/progress`);
    expect(await progress.json()).toMatchObject({ phase: "done", done: expect.any(Number), batchId: page.url().split("/").pop() });

    // The same file again: nothing new.
    await uploadReport(page, REPORT);
    await page.waitForURL(/\/trades\/import\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { name: `0 new trades, ${stored} already imported` }).waitFor();
    await page.getByRole("button", { name: /^Import \d+ trades?$/ }).click();
    await page.waitForURL(/\/trades\/imports\/[0-9a-f-]{36}$/);
    await page.getByText(`0 imported, ${stored} duplicates skipped`, { exact: false }).waitFor();
    expect(await tradeCount(user.id)).toBe(stored);

    // Undo the first import from the history page.
    await page.goto(`${app.url}/trades/imports`);
    const items = page.getByRole("main").getByRole("listitem");
    expect(await items.count()).toBe(2);
    const first = items.nth(1);
    expect(await first.getByText(`${stored} imported`).isVisible()).toBe(true);
    await first.getByRole("link", { name: /^Undo import of/ }).click();
    await page.getByRole("button", { name: "Yes, undo this import" }).click();
    await page.getByText("Import undone: its trades and cash rows were deleted.").waitFor();
    expect(await tradeCount(user.id)).toBe(0);
    expect(await items.nth(1).getByText("undone", { exact: true }).isVisible()).toBe(true);
    await saveScreenshot(page, "import-history-1280");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("refuses binary junk with a specific message and saves nothing", async () => {
    const { user } = await userWithAccount();
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 800 } });
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    await uploadReport(page, { name: "ReportHistory.html", mimeType: "text/html", buffer: junk });
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/binary|not a text|can't read|cannot read/i);
    expect(page.url()).toBe(`${app.url}/trades/import`);
    expect((await app.db.pool.query("select count(*)::int as n from public.import_uploads where user_id = $1", [user.id])).rows[0].n).toBe(0);
    await saveScreenshot(page, "import-junk-1280");

    // 60 MB: refused by its size with a specific message, nothing staged.
    const big = await page.request.post(`${app.url}/trades/import`, {
      headers: { Origin: app.url },
      multipart: {
        accountId: "00000000-0000-0000-0000-000000000000",
        file: { name: "big.htm", mimeType: "text/html", buffer: Buffer.alloc(60 * 1024 * 1024, 0x41) },
      },
    });
    expect(big.status()).toBe(400);
    expect(await big.text()).toContain("This file is too large (60.0 MB): the limit is 50 MB.");
    expect((await app.db.pool.query("select count(*)::int as n from public.import_uploads where user_id = $1", [user.id])).rows[0].n).toBe(0);
    await context.close();
  });

  it("works without JavaScript", async () => {
    const { user } = await userWithAccount();
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 800 }, javaScriptEnabled: false });
    await uploadReport(page, REPORT);
    await page.waitForURL(/\/trades\/import\/[0-9a-f-]{36}$/);
    await page.getByRole("button", { name: /^Import \d+ trades?$/ }).click();
    await page.waitForURL(/\/trades\/imports\/[0-9a-f-]{36}$/);
    expect(await tradeCount(user.id)).toBeGreaterThan(0);
    await context.close();
  });
});

describe("account choice", () => {
  it("preselects the account whose MT5 login the report header names", async () => {
    const { user } = await userWithAccount();
    const mt5 = await createAccount(app.db.pool, user.id, { name: "HFM live", kind: "mt5", mt5_server: "HFMarketsKE-Demo2", mt5_login: 57174315 });
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 800 } });
    await uploadReport(page, REPORT);
    await page.waitForURL(/\/trades\/import\/[0-9a-f-]{36}$/);
    expect(await page.getByLabel("Import into", { exact: true }).inputValue()).toBe(mt5);
    expect(await page.getByText("Chosen because the report names this MT5 login.").isVisible()).toBe(true);
    await context.close();
  });
});

describe("generic CSV", () => {
  it("asks which column is which, remembers the mapping for the same header row and imports", async () => {
    const { user } = await userWithAccount();
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    const csv = (rows: string[]) => ({
      name: "my-journal.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(["Mkt,B/S,T1,Qty1,P1,T2,P2,Result,Ref", ...rows].join("\n") + "\n"),
    });
    await uploadReport(
      page,
      csv([
        "EURUSD,buy,2025-04-15 14:11:31,0.10,1.12895,2025-04-16 19:25:02,1.14086,119.10,9001",
        "GBPUSD,sell,2025-04-17 09:00:00,0.20,1.32000,2025-04-17 12:00:00,1.31500,100.00,9002",
        '=HYPERLINK("http://x"),buy,2025-04-18 09:00:00,abc,1.1,2025-04-18 10:00:00,1.2,5,9004',
      ]),
    );
    await page.waitForURL(/\/trades\/import\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { name: "Match the columns" }).waitFor();
    await page.getByLabel(/^Symbol/).selectOption("Mkt");
    await page.getByLabel(/^Side/).selectOption("B/S");
    await page.getByLabel(/^Open time/).selectOption("T1");
    await page.getByLabel(/^Volume/).selectOption("Qty1");
    await page.getByLabel(/^Open price/).selectOption("P1");
    await page.getByLabel(/^Close time/).selectOption("T2");
    await page.getByLabel(/^Close price/).selectOption("P2");
    await page.getByLabel(/^Net profit/).selectOption("Result");
    await page.getByLabel(/^Ticket/).selectOption("Ref");
    await saveScreenshot(page, "import-mapping-1280");
    await page.getByRole("button", { name: "Apply mapping" }).click();
    await page.getByRole("heading", { name: "2 new trades, 0 already imported" }).waitFor();
    expect(await page.getByText("CSV with your column mapping").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Import 2 trades" }).click();
    await page.waitForURL(/\/trades\/imports\/[0-9a-f-]{36}$/);
    expect(await tradeCount(user.id)).toBe(2);
    await page.getByText("2 imported, 0 duplicates skipped, 1 rejected", { exact: false }).waitFor();
    const download = await page.getByRole("link", { name: "download the rejected rows" }).getAttribute("href");
    const rejected = await page.request.get(`${app.url}${download}`);
    expect(rejected.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    const lines = (await rejected.text()).trim().split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^row,section,reason,/);
    expect(lines[1]).toMatch(/^4,/);
    // The formula the file had is in the download, neutralised; no cell starts a formula.
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(lines[1]).not.toMatch(/(^|,)"?[=+\-@]/);

    // A later file with the same header row goes straight to the preview.
    await uploadReport(page, csv(["USDJPY,buy,2025-05-02 10:00:00,1.00,145.100,2025-05-02 11:00:00,145.600,344.20,9003"]));
    await page.waitForURL(/\/trades\/import\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { name: "1 new trade, 0 already imported" }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("the file's clock", () => {
  it("names the zone the file's times were read in, shows file time → your time, and reads the file again in another zone", async () => {
    const { user, accountId } = await userWithAccount();
    await app.db.pool.query("update public.user_settings set time_zone = 'Europe/London' where user_id = $1", [user.id]);
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    await uploadReport(page, REPORT);
    await page.waitForURL(/\/trades\/import\/[0-9a-f-]{36}/);
    const clock = page.locator("[data-file-clock]");
    await clock.waitFor();
    expect(await clock.getAttribute("data-file-clock")).toBe("NY+7");
    expect(await clock.innerText()).toContain("GMT+2/+3, New York close");
    expect(await clock.innerText()).toContain("Europe/London");
    const sample = async () => {
      const [, file, yours] = /file (\S+ \S+) → your time (\S+ \S+)/.exec(await page.locator("[data-file-clock-sample]").innerText())!;
      return { file, yours };
    };
    const before = await sample();
    await saveScreenshot(page, "import-file-clock-1280");
    // The broker's clock was UTC after all: the same printed time is a different instant.
    await page.getByLabel("The file's clock (the account's server time zone)").selectOption("UTC");
    await page.getByRole("button", { name: "Read the file again" }).click();
    await page.locator('[data-file-clock="UTC"]').waitFor();
    const after = await sample();
    expect(after.file).toBe(before.file);
    expect(after.yours).not.toBe(before.yours);
    const { rows } = await app.db.pool.query("select server_time_zone, server_time_zone_confirmed from public.accounts where id = $1", [accountId]);
    expect(rows[0]).toEqual({ server_time_zone: "UTC", server_time_zone_confirmed: true });
    await context.close();
  });
});

describe("a CSV whose header names say everything", () => {
  it("goes straight to the preview with the columns matched by name, and says which went where", async () => {
    const { user } = await userWithAccount();
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    await uploadReport(page, {
      name: "export.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(
        [
          "Ticket,Symbol,Type,Volume,Open Time,Open Price,Close Time,Close Price,Profit",
          "7001,EURUSD,buy,0.10,2025-04-15 14:11:31,1.12895,2025-04-16 19:25:02,1.14086,119.10",
          "7002,GBPUSD,sell,0.20,2025-04-17 09:00:00,1.32000,2025-04-17 12:00:00,1.31500,100.00",
        ].join("\n") + "\n",
      ),
    });
    await page.waitForURL(/\/trades\/import\/[0-9a-f-]{36}/);
    await page.getByRole("heading", { name: "2 new trades, 0 already imported" }).waitFor();
    expect(await page.getByRole("heading", { name: "Match the columns" }).count()).toBe(0);
    await page.getByText("Columns were matched by their names", { exact: false }).waitFor();
    await page.getByRole("button", { name: "Import 2 trades" }).click();
    await page.waitForURL(/\/trades\/imports\/[0-9a-f-]{36}$/);
    expect(await tradeCount(user.id)).toBe(2);
    await context.close();
  });
});

describe("free plan", () => {
  it("refuses a report with more trades than are left this month, saying how many, and saves nothing", async () => {
    const { user, accountId } = await userWithAccount("free");
    for (let i = 0; i < 10; i++) {
      await app.db.pool.query(
        `insert into public.trades (user_id, account_id, position_id, symbol, direction, status, opened_at, closed_at, volume, entry_price, exit_price, source)
         values ($1, $2, $3, 'EURUSD', 'buy', 'closed', now() - interval '2 hours', now() - interval '1 hour', 1, 1.1, 1.2, 'manual')`,
        [user.id, accountId, `manual:${i}`],
      );
    }
    const { context, page } = await signIn(user, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    await uploadReport(page, REPORT);
    await page.waitForURL(/\/trades\/import\/[0-9a-f-]{36}$/);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await saveScreenshot(page, "import-preview-375");
    // The preview warns before the click; the refusal after it says nothing was imported.
    expect(await page.getByRole("alert").filter({ hasText: "you have 5 trades left this month" }).count()).toBe(1);
    await page.getByRole("button", { name: /^Import \d+ trades?$/ }).click();
    const prompt = page.getByRole("alert").filter({ hasText: "Nothing was imported" });
    await prompt.waitFor();
    expect(await prompt.textContent()).toMatch(
      /This file has \d+ new trades?, and the free plan allows 15 trades a month: you have 5 trades left this month/,
    );
    expect(await prompt.getByRole("link", { name: "Compare plans and upgrade" }).isVisible()).toBe(true);
    expect(await tradeCount(user.id)).toBe(10);
    await saveScreenshot(page, "import-free-limit-375");

    await page.goto(`${app.url}/trades/imports`);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.goto(`${app.url}/trades/import`);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await saveScreenshot(page, "import-upload-375");
    await context.close();
  });
});
