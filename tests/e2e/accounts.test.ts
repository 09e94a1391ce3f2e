// /accounts in real Chromium: create, edit, instrument overrides, delete with
// its confirmation (with and without JavaScript), the free plan's upgrade
// prompt, and the pages at 375 px and 1280 px.
import { describe, expect, it } from "vitest";
import { createAccount, createTrade } from "../support/fixtures.ts";
import { createConfirmedUser } from "../support/app-server.ts";
import { collectPageErrors, saveScreenshot } from "../support/browser.ts";
import { browserSuite, horizontalOverflow } from "../support/browser-suite.ts";

const { app, signIn, withoutJavaScript } = browserSuite({ testTimeout: 90_000 });

// The browser logs refused form posts (400/403) as console errors; those answers are the point of some steps.
const unexpected = (errors: string[]) => errors.filter((e) => !/status of 40[03]/.test(e));

async function countRows(userId: string) {
  const { rows } = await app.db.pool.query(
    `select (select count(*) from public.accounts where user_id = $1)::int as accounts,
            (select count(*) from public.trades where user_id = $1)::int as trades,
            (select count(*) from public.journals where user_id = $1)::int as journals,
            (select count(*) from public.cash_movements where user_id = $1)::int as cash,
            (select count(*) from public.account_instrument_overrides where user_id = $1)::int as overrides`,
    [userId],
  );
  return rows[0] as { accounts: number; trades: number; journals: number; cash: number; overrides: number };
}

describe("accounts at 1280 px", () => {
  it("creates an account, refuses a second one on the free plan with an upgrade prompt, edits it and its overrides, and deletes it", async () => {
    const user = await createConfirmedUser(app);
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);

    await page.goto(`${app.url}/accounts`);
    await page.getByRole("heading", { name: "No accounts yet" }).waitFor();
    expect(await page.getByLabel("Plan limits").textContent()).toContain("Free plan: 0 of 1 account used · MT5 sync not included");
    expect(await page.getByRole("link", { name: "Connect MT5" }).getAttribute("href")).toBe("/accounts/connect");

    // Create: the browser checks the form first.
    await page.getByRole("link", { name: "New account" }).click();
    await page.waitForURL(`${app.url}/accounts/new`);
    await page.getByLabel("Initial balance").fill("12,5x");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("Name the account.").waitFor();
    await page.getByText("Enter the starting balance as a number, like 10000 or 2500.50.").waitFor();
    expect((await countRows(user.id)).accounts).toBe(0);

    await page.getByLabel("Name").fill("FTMO 100k");
    await page.getByLabel("Broker", { exact: true }).fill("FTMO");
    await page.getByLabel("Currency").fill("usd");
    await page.getByLabel("Initial balance").fill("100 000.25");
    expect(await page.getByLabel("Broker server time zone").inputValue()).toBe("NY+7");
    await page.getByLabel(/^Netting/).check();
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${app.url}/accounts?created=1`);
    await page.getByText("Account created.").waitFor();
    const card = page.getByRole("listitem").filter({ hasText: "FTMO 100k" });
    for (const text of ["$100,000.25", "Manual", "USD", "Netting", "GMT+2/+3, New York close (most MT5 brokers)"]) {
      expect(await card.getByText(text, { exact: true }).first().isVisible(), text).toBe(true);
    }
    const { rows } = await app.db.pool.query("select id, initial_balance::text, margin_mode, currency from public.accounts where user_id = $1", [
      user.id,
    ]);
    expect(rows).toMatchObject([{ initial_balance: "100000.25", margin_mode: "netting", currency: "USD" }]);
    const accountId = rows[0].id as string;

    // The free plan's one account is used: the second is refused with the upgrade prompt.
    await page.getByRole("link", { name: "New account" }).click();
    await page.waitForURL(`${app.url}/accounts/new`);
    await page.getByLabel("Name").fill("Second");
    await page.getByRole("button", { name: "Create account" }).click();
    const prompt = page.getByRole("alert").filter({ hasText: "The Free plan allows 1 account, and you have 1. Upgrade to add another." });
    await prompt.waitFor();
    expect(await prompt.getByRole("link", { name: "Compare plans and upgrade" }).getAttribute("href")).toBe("/pricing");
    expect(await page.getByLabel("Name").inputValue()).toBe("Second");
    await saveScreenshot(page, "accounts-upgrade-prompt-1280");
    expect((await countRows(user.id)).accounts).toBe(1);

    // Trades, a journal entry and a cash movement, to see the balance and the delete warning.
    const trade = await createTrade(app.db.pool, user.id, accountId, { gross_profit: "150.50" });
    await createTrade(app.db.pool, user.id, accountId, { gross_profit: "-50.25" });
    await app.db.pool.query("insert into public.journals (user_id, trade_id, notes) values ($1, $2, 'Patient entry')", [user.id, trade]);
    await app.db.pool.query(
      "insert into public.cash_movements (user_id, account_id, kind, amount, occurred_at) values ($1, $2, 'withdrawal', -1000, now())",
      [user.id, accountId],
    );
    await page.goto(`${app.url}/accounts`);
    // 100 000.25 + 150.50 - 50.25 - 1 000
    await page.getByText("$99,100.50", { exact: true }).waitFor();
    await saveScreenshot(page, "accounts-list-1280");

    // Edit.
    await page.getByRole("link", { name: "FTMO 100k", exact: true }).click();
    await page.waitForURL(`${app.url}/accounts/${accountId}`);
    await page.getByLabel("Name").fill("FTMO Challenge");
    await page.getByLabel("Broker server time zone").selectOption("Europe/Athens");
    await page.getByLabel(/^Hedging/).check();
    await page.getByRole("button", { name: "Save account" }).click();
    await page.getByRole("status").filter({ hasText: "Account saved." }).first().waitFor();
    await page.reload();
    expect(await page.getByLabel("Name").inputValue()).toBe("FTMO Challenge");
    expect(await page.getByLabel("Broker server time zone").inputValue()).toBe("Europe/Athens");
    expect(await page.getByLabel(/^Hedging/).isChecked()).toBe(true);

    // Instrument overrides: a broker symbol is stored under its canonical name, beside the catalogue's value.
    await page.getByLabel("Symbol", { exact: true }).fill("xauusd.p");
    await page.getByLabel("Contract size").fill("0");
    await page.getByRole("button", { name: "Add override" }).click();
    await page.getByText("The contract size must be greater than 0.").waitFor();
    await page.getByLabel("Contract size").fill("10");
    await page.getByRole("button", { name: "Add override" }).click();
    await page.getByText("The XAUUSD override was saved.").waitFor();
    const row = page.getByRole("row").filter({ hasText: "XAUUSD" });
    expect(await row.getByRole("cell").first().innerText()).toBe("10\ncatalogue: 100");
    expect(await page.getByLabel("Symbol", { exact: true }).inputValue()).toBe("");

    await row.getByRole("link", { name: "Edit the XAUUSD override" }).click();
    await page.waitForURL(/symbol=XAUUSD/);
    await page.getByRole("heading", { name: "Edit XAUUSD" }).waitFor();
    expect(await page.getByLabel("Contract size").inputValue()).toBe("10");
    await page.getByLabel("Tick value").fill("1");
    await page.getByRole("button", { name: "Save XAUUSD" }).click();
    await page.getByText("The XAUUSD override was saved.").waitFor();
    const saved = await app.db.pool.query(
      "select symbol, contract_size::text, tick_value::text from public.account_instrument_overrides where account_id = $1",
      [accountId],
    );
    expect(saved.rows).toEqual([{ symbol: "XAUUSD", contract_size: "10", tick_value: "1" }]);
    await page.evaluate(() => window.scrollTo(0, 0));
    await saveScreenshot(page, "account-edit-1280");

    // Delete: the page says what goes with it, and wants the box ticked.
    const warning = "I understand that 2 trades, 1 journal entry, 1 cash movement will be deleted for good.";
    await page.getByText(warning).waitFor();
    await page.getByRole("button", { name: "Delete account" }).click();
    await page.getByText("Tick the box to confirm that everything listed will be deleted.").waitFor();
    expect((await countRows(user.id)).accounts).toBe(1);
    await page.getByLabel(warning).check();
    await page.getByRole("button", { name: "Delete account" }).click();
    await page.waitForURL(`${app.url}/accounts?deleted=1`);
    await page.getByText("The account and everything in it were deleted.").waitFor();
    await page.getByRole("heading", { name: "No accounts yet" }).waitFor();
    expect(await countRows(user.id)).toEqual({ accounts: 0, trades: 0, journals: 0, cash: 0, overrides: 0 });

    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it("another user's account page is not found", async () => {
    const owner = await createConfirmedUser(app);
    const accountId = await createAccount(app.db.pool, owner.id, { name: "Private" });
    const intruder = await createConfirmedUser(app);
    const { context, page } = await signIn(intruder);
    const response = await page.goto(`${app.url}/accounts/${accountId}`);
    expect(response?.status()).toBe(404);
    expect(await page.getByText("Private").count()).toBe(0);
    await context.close();
  });
});

describe("without JavaScript", () => {
  it("shows the upgrade prompt and deletes only after the box is ticked", async () => {
    const user = await createConfirmedUser(app);
    const accountId = await createAccount(app.db.pool, user.id, { name: "Plain HTML" });
    await createTrade(app.db.pool, user.id, accountId);
    const signedIn = await signIn(user, { viewport: { width: 1280, height: 900 } });
    const { context, page } = await withoutJavaScript(signedIn.context, { viewport: { width: 1280, height: 900 } });

    await page.goto(`${app.url}/accounts/new`);
    await page.getByText("The Free plan allows 1 account, and you have 1. Upgrade to add another.").waitFor();
    await page.getByLabel("Name").fill("Second");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("alert").filter({ hasText: "Upgrade to add another." }).waitFor();
    expect(await page.getByLabel("Name").inputValue()).toBe("Second");

    await page.goto(`${app.url}/accounts/${accountId}`);
    await page.getByRole("button", { name: "Delete account" }).click();
    await page.getByText("Tick the box to confirm that everything listed will be deleted.").waitFor();
    expect((await countRows(user.id)).trades).toBe(1);
    await page.getByLabel(/I understand that 1 trade, 0 journal entries, 0 cash movements will be deleted/).check();
    await page.getByRole("button", { name: "Delete account" }).click();
    await page.waitForURL(`${app.url}/accounts?deleted=1`);
    expect(await countRows(user.id)).toMatchObject({ accounts: 0, trades: 0 });
    await context.close();
    await signedIn.context.close();
  });
});

describe("accounts at 375 px", () => {
  it("has no horizontal scroll on the list, the new-account form or an account's page", async () => {
    const user = await createConfirmedUser(app);
    const accountId = await createAccount(app.db.pool, user.id, { name: "A rather long account name for a phone" });
    await app.db.pool.query(
      "insert into public.account_instrument_overrides (user_id, account_id, symbol, contract_size, digits) values ($1, $2, 'US30', 10, 1)",
      [user.id, accountId],
    );
    const { context, page } = await signIn(user, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const errors = collectPageErrors(page);
    for (const [path, shot] of [
      ["/accounts", "accounts-list-375"],
      ["/accounts/new", "accounts-new-375"],
      [`/accounts/${accountId}`, "account-edit-375"],
    ] as const) {
      await page.goto(`${app.url}${path}`, { waitUntil: "networkidle" });
      expect(await horizontalOverflow(page), path).toBeLessThanOrEqual(0);
      await saveScreenshot(page, shot);
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});
