// Manual trade entry in real Chromium: a closed and an open trade end up
// stored and shown, errors come back inline without JavaScript, and the free
// plan's 16th trade of the month gets the upgrade prompt instead of a row.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createAccount, createTrade } from "../support/fixtures.ts";
import { createConfirmedUser } from "../support/app-server.ts";
import { collectPageErrors, saveScreenshot } from "../support/browser.ts";
import { browserSuite, horizontalOverflow } from "../support/browser-suite.ts";

const { app, signIn, withoutJavaScript } = browserSuite();

const preview = (page: Page) => page.getByRole("region", { name: "Preview" });

async function fillTrade(page: Page, fields: Record<string, string>) {
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
}

describe("manual trade entry", () => {
  it("records a closed EURUSD trade with a live preview and shows it on its page", async () => {
    const user = await createConfirmedUser(app);
    const account = await createAccount(app.db.pool, user.id, { name: "Manual USD" });
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/trades/new`, { waitUntil: "networkidle" });

    await fillTrade(page, {
      Symbol: "EURUSD.Z",
      Lots: "0.50",
      "Opened at": "2026-03-02T09:15",
      "Entry price": "1.08250",
      "Stop loss": "1.08100",
      "Take profit": "1.08550",
      "Closed at": "2026-03-02T11:40",
      "Exit price": "1.08420",
      Commission: "-3.50",
    });
    const figures = preview(page);
    await figures.getByText("+$81.50").waitFor();
    expect(await figures.textContent()).toContain("+$85.00");
    expect(await figures.textContent()).toContain("+17");
    expect(await figures.textContent()).toContain("2 R");
    expect(await figures.textContent()).toContain("$75.00");
    expect(await page.getByLabel("Conversion rate").inputValue()).toBe("1");
    await saveScreenshot(page, "manual-trade-new-1280");

    await page.getByRole("button", { name: "Save trade" }).click();
    await page.waitForURL(/\/trades\/[0-9a-f-]{36}$/);
    const id = page.url().split("/").pop()!;
    const { rows } = await app.db.pool.query("select * from public.trades where id = $1", [id]);
    expect(rows[0]).toMatchObject({
      account_id: account,
      symbol: "EURUSD",
      broker_symbol: "EURUSD.Z",
      direction: "buy",
      status: "closed",
      entry_price: "1.08250",
      exit_price: "1.08420",
      volume: "0.50",
      gross_profit: "85.00",
      commission: "-3.50",
      net_profit: "81.50",
      pnl_source: "computed",
      pips: "17",
      initial_risk_amount: "75.00",
    });
    expect(rows[0].opened_at.toISOString()).toBe("2026-03-02T09:15:00.000Z");
    // The detail page (another part of issue 5) shows the trade.
    await page
      .getByRole("heading", { name: /EURUSD/ })
      .first()
      .waitFor();
    await saveScreenshot(page, "manual-trade-detail-1280");

    // Edit: the initial stop is fixed once set; the current stop and the exit can change.
    await page.goto(`${app.url}/trades/${id}/edit`, { waitUntil: "networkidle" });
    const initialStop = page.getByLabel("Initial stop loss");
    expect(await initialStop.inputValue()).toBe("1.08100");
    expect(await initialStop.isDisabled()).toBe(true);
    await page.getByLabel("Current stop loss").fill("1.08300");
    await page.getByLabel("Exit price").fill("1.08450");
    await preview(page).getByText("+$100.00").waitFor();
    await saveScreenshot(page, "manual-trade-edit-1280");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(`${app.url}/trades/${id}`);
    const edited = await app.db.pool.query("select initial_stop_loss, stop_loss, exit_price, gross_profit from public.trades where id = $1", [id]);
    expect(edited.rows[0]).toEqual({ initial_stop_loss: "1.08100", stop_loss: "1.08300", exit_price: "1.08450", gross_profit: "100.00" });

    // Trades the MT5 sync owns are not editable here.
    await app.db.pool.query("update public.trades set source = 'mt5' where id = $1", [id]);
    await page.goto(`${app.url}/trades/${id}/edit`, { waitUntil: "networkidle" });
    await page.getByText(/comes from your MT5 sync/).waitFor();
    expect(await page.getByRole("button", { name: "Save changes" }).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("records an open trade on a phone, with the rate implied by the pair", async () => {
    const user = await createConfirmedUser(app);
    await createAccount(app.db.pool, user.id, { name: "Phone" });
    const { context, page } = await signIn(user, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/trades/new`, { waitUntil: "networkidle" });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    await fillTrade(page, { Symbol: "USDCHF", Lots: "0.01", "Opened at": "2026-03-02T09:15", "Entry price": "0.97898", "Stop loss": "0.98898" });
    await page.getByText("Sell", { exact: true }).click();
    // The account is in USD, USDCHF pays CHF: the exit price implies the rate.
    await page.getByLabel("Exit price").fill("0.95758");
    expect(await page.getByLabel(/Conversion rate/).inputValue()).toBe("1/0.95758");
    await page.getByLabel("Exit price").fill("");
    await saveScreenshot(page, "manual-trade-open-375");
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    await page.getByRole("button", { name: "Save trade" }).click();
    await page.waitForURL(/\/trades\/[0-9a-f-]{36}$/);
    const { rows } = await app.db.pool.query(
      "select status, direction, closed_at, exit_price, initial_stop_loss, initial_risk_amount from public.trades where user_id = $1",
      [user.id],
    );
    // 0.01 lots × 0.01 CHF risk = 10 CHF at 1/0.98898 USD per CHF.
    expect(rows).toEqual([
      { status: "open", direction: "sell", closed_at: null, exit_price: null, initial_stop_loss: "0.98898", initial_risk_amount: "10.11" },
    ]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows inline errors from the server when JavaScript is off, keeping what was typed", async () => {
    const user = await createConfirmedUser(app);
    await createAccount(app.db.pool, user.id, { name: "No JS" });
    const { context } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    const { context: noJs, page: plain } = await withoutJavaScript(context, { viewport: { width: 375, height: 812 } });
    await plain.goto(`${app.url}/trades/new`);
    await fillTrade(plain, {
      Symbol: "GBPJPY",
      Lots: "0.001",
      "Opened at": "2026-03-02T09:15",
      "Entry price": "190.000",
      "Stop loss": "191.000",
      "Exit price": "191.500",
    });
    await plain.getByRole("button", { name: "Save trade" }).click();
    await plain.waitForLoadState();
    await plain.getByText("Lots go from 0.01 to 100.").waitFor();
    await plain.getByText("On a buy the stop loss goes below the entry price.").waitFor();
    await plain.getByText("Enter the close time too, or clear the exit price for an open trade.").waitFor();
    expect(await plain.getByLabel("Symbol").inputValue()).toBe("GBPJPY");
    expect(await plain.getByLabel("Lots").getAttribute("aria-invalid")).toBe("true");
    await saveScreenshot(plain, "manual-trade-errors-nojs-375");

    // Fixed, but GBPJPY on a USD account needs a rate (or the broker's figure): the server says so.
    await fillTrade(plain, { Lots: "0.10", "Stop loss": "189.000", "Closed at": "2026-03-02T10:15" });
    await plain.getByRole("button", { name: "Save trade" }).click();
    await plain.waitForLoadState();
    await plain.getByText(/Enter the JPY → USD rate at the close/).waitFor();
    await plain.getByLabel(/Conversion rate/).fill("1/150");
    await plain.getByRole("button", { name: "Save trade" }).click();
    await plain.waitForURL(/\/trades\/[0-9a-f-]{36}$/);
    const { rows } = await app.db.pool.query("select gross_profit, conversion_rate, profit_currency from public.trades where user_id = $1", [
      user.id,
    ]);
    // 0.10 lots × 1.5 × 100 000 = 15 000 JPY ÷ 150 = 100 USD.
    expect(rows).toEqual([{ gross_profit: "100.00", conversion_rate: "0.006666666667", profit_currency: "JPY" }]);
    await noJs.close();
    await context.close();
  });

  it("lets the 15th trade of the month in and prompts an upgrade on the 16th", async () => {
    const user = await createConfirmedUser(app);
    const account = await createAccount(app.db.pool, user.id, { name: "Free" });
    for (let i = 0; i < 14; i++) await createTrade(app.db.pool, user.id, account);
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    const trade = {
      Symbol: "EURUSD",
      Lots: "1",
      "Opened at": "2026-03-02T09:15",
      "Entry price": "1.1",
      "Closed at": "2026-03-02T10:15",
      "Exit price": "1.101",
    };

    await page.goto(`${app.url}/trades/new`, { waitUntil: "networkidle" });
    expect(await page.getByText("Monthly trade limit reached").count()).toBe(0);
    await fillTrade(page, trade);
    await page.getByRole("button", { name: "Save trade" }).click();
    await page.waitForURL(/\/trades\/[0-9a-f-]{36}$/);

    await page.goto(`${app.url}/trades/new`, { waitUntil: "networkidle" });
    const prompt = page.getByRole("alert").filter({ hasText: "Monthly trade limit reached" });
    await prompt.waitFor();
    expect(await prompt.textContent()).toContain("you've added 15 this month");
    expect(await prompt.getByRole("link", { name: "See plans and upgrade" }).getAttribute("href")).toBe("/pricing");
    await fillTrade(page, trade);
    const answered = page.waitForResponse((response) => response.url().includes("/trades/new") && response.request().method() === "POST");
    await page.getByRole("button", { name: "Save trade" }).click();
    expect((await answered).status()).toBe(403);
    await prompt.waitFor();
    expect(page.url()).toBe(`${app.url}/trades/new`);
    await saveScreenshot(page, "manual-trade-limit-1280");
    const { rows } = await app.db.pool.query("select count(*)::int as n from public.trades where user_id = $1", [user.id]);
    expect(rows[0].n).toBe(15);
    // The prompt leads to the plans, on a page that knows the user is signed in (not a sign-up page that bounces back).
    await prompt.getByRole("link", { name: "See plans and upgrade" }).click();
    await page.waitForURL(`${app.url}/pricing`);
    await page.locator('[data-plan="free"]').getByText("15 trades a month").first().waitFor();
    expect(await page.locator("[data-current-plan]").getAttribute("data-current-plan")).toBe("free");
    expect(errors.filter((message) => !message.includes("403"))).toEqual([]);
    await context.close();
  });
});
