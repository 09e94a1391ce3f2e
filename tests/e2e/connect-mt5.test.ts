// Connecting an MT5 account in real Chromium: the free plan's upgrade prompt,
// a wrong password and the master password refused with nothing saved, a
// successful connect (with the "Checking with your broker…" state) creating
// the account, the same without JavaScript, reconnecting a paused account and
// disconnecting it, and the page at 375 px.
//
// The jobs process's side of the connection check is a test double
// (tests/support/connection-check-double.ts) running in this test process
// against the app's database, following the migration's contract; the lead's
// end-to-end test drives the real jobs process and the MT5 simulator.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadCredentialKeyring, openCredential } from "../../jobs/credentials/credential-keys.ts";
import { createConfirmedUser, startAppForTests, type AppUnderTest } from "../support/app-server.ts";
import { collectPageErrors, launchChromium, saveScreenshot } from "../support/browser.ts";
import { startConnectionCheckDouble, TEST_CREDENTIAL_KEYS, type CheckAnswer, type SeenCheck } from "../support/connection-check-double.ts";

vi.setConfig({ testTimeout: 90_000 });
process.env.CREDENTIALS_PUBLIC_KEYS = TEST_CREDENTIAL_KEYS.publicKeys;
// Stored passwords open only with the jobs process's private key (the app holds the public half).
const jobsKeyring = loadCredentialKeyring(TEST_CREDENTIAL_KEYS.privateKeys);

let app: AppUnderTest;
let browser: Browser;
let double: ReturnType<typeof startConnectionCheckDouble>;

// What the double's "broker" answers, by password; a delay makes the waiting state visible.
const BROKER: Record<string, CheckAnswer> = {
  "investor-ok": { status: "ok", result: { company: "IC Markets (SC) Ltd", currency: "USD", balance: "10000.00", equity: "10012.50" } },
  "investor-new": { status: "ok", result: {} },
  "wrong-password": { status: "failed", code: "auth_failed" },
  "master-password": { status: "failed", code: "trade_allowed" },
};
const SLOW = new Set(["investor-ok"]);

beforeAll(async () => {
  app = await startAppForTests({ env: { CREDENTIALS_PUBLIC_KEYS: TEST_CREDENTIAL_KEYS.publicKeys } });
  browser = await launchChromium();
  double = startConnectionCheckDouble(app.db.pool, (check: SeenCheck) => BROKER[check.password] ?? { status: "failed", code: "auth_failed" }, {
    delayMs: (check) => (SLOW.has(check.password) ? 1_500 : 0),
  });
}, 60_000);

afterAll(async () => {
  await double?.stop();
  await browser?.close();
});

type User = Awaited<ReturnType<typeof createConfirmedUser>>;

async function userOn(tier: "free" | "pro" | "elite"): Promise<User> {
  const user = await createConfirmedUser(app);
  if (tier !== "free") await app.db.pool.query("update public.profiles set subscription_tier = $2 where id = $1", [user.id, tier]);
  return user;
}

async function signedInContext(user: User, options: Parameters<Browser["newContext"]>[0] = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  await page.goto(`${app.url}/login`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${app.url}/dashboard`);
  return { context, page };
}

async function saved(userId: string) {
  const { rows } = await app.db.pool.query(
    `select (select count(*) from public.accounts where user_id = $1)::int as accounts,
            (select count(*) from public.account_credentials where user_id = $1)::int as credentials,
            (select count(*) from public.mt5_connection_checks where user_id = $1)::int as checks`,
    [userId],
  );
  return rows[0] as { accounts: number; credentials: number; checks: number };
}

async function fillConnectForm(
  page: Page,
  { server, login, password, name = "" }: { server: string; login: string; password: string; name?: string },
) {
  await page.getByLabel("Server", { exact: true }).fill(server);
  await page.getByLabel("Login", { exact: true }).fill(login);
  await page.getByLabel("Investor password").fill(password);
  if (name) await page.getByLabel("Account name").fill(name);
}

// Against the device width: a phone browser widens its layout viewport to fit content that overflows.
const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - Math.min(window.innerWidth, screen.width));
// The browser logs refused form posts as console errors; those answers are the point of some steps.
const unexpected = (errors: string[]) => errors.filter((e) => !/status of 40[039]/.test(e));

describe("connect an MT5 account", () => {
  it("shows a Free user what sync does and how to get it instead of a form, and still refuses a post, asking no broker", async () => {
    const user = await userOn("free");
    const { context, page } = await signedInContext(user);
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/accounts/connect`);
    const explainer = page.locator("[data-sync-not-in-plan]");
    await explainer.waitFor();
    expect(await explainer.innerText()).toContain("investor password, which is read-only");
    expect(await page.getByRole("button", { name: "Connect account" }).count()).toBe(0);
    expect(await explainer.getByRole("link", { name: "Import an MT5 report" }).getAttribute("href")).toBe("/trades/import");
    expect(await explainer.getByRole("link", { name: "Compare plans" }).getAttribute("href")).toBe("/pricing");
    await saveScreenshot(page, "connect-free-explainer-1280");

    // A hand-made post is refused by the server's own check, and nothing reaches a broker.
    const status = await page.evaluate(async () => {
      const body = new URLSearchParams({
        server: "ICMarketsSC-Demo",
        login: "51234567",
        investorPassword: "investor-ok",
        name: "",
        serverTimeZone: "auto",
      });
      return (await fetch("/accounts/connect", { method: "POST", body })).status;
    });
    expect(status).toBe(403);
    expect(await saved(user.id)).toEqual({ accounts: 0, credentials: 0, checks: 0 });
    expect(double.seen.some((c) => c.userId === user.id)).toBe(false);

    // The way to the plans knows the user is signed in: no sign-up page that bounces back.
    await explainer.getByRole("link", { name: "Compare plans" }).click();
    await page.waitForURL(`${app.url}/pricing`);
    expect(await page.locator("[data-current-plan]").getAttribute("data-current-plan")).toBe("free");
    expect(await page.locator('[data-plan="pro"]').innerText()).toContain("1 MT5 account synced automatically");
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it("says what is wrong with a wrong password and with the master password, keeps the form but not the password, and saves nothing", async () => {
    const user = await userOn("pro");
    const { context, page } = await signedInContext(user);
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/accounts/connect`);

    // The browser checks the form first.
    await page.getByRole("button", { name: "Connect account" }).click();
    await page.getByText("Enter the server name, like ICMarketsSC-Demo.").waitFor();
    await page.getByText("Enter the investor (read-only) password.").waitFor();

    await fillConnectForm(page, { server: "ICMarketsSC-Demo", login: "51234567", password: "wrong-password", name: "My IC account" });
    await page.getByRole("button", { name: "Connect account" }).click();
    await page
      .getByRole("alert")
      .filter({
        hasText:
          "MT5 refused the login 51234567 on ICMarketsSC-Demo. Check the login number, the server name and the investor password, then try again. Nothing was saved.",
      })
      .waitFor();
    await page.getByText("MT5 refused this login: check the password, the login and the server.").waitFor();
    expect(await page.getByLabel("Server", { exact: true }).inputValue()).toBe("ICMarketsSC-Demo");
    expect(await page.getByLabel("Login", { exact: true }).inputValue()).toBe("51234567");
    expect(await page.getByLabel("Account name").inputValue()).toBe("My IC account");
    expect(await page.getByLabel("Investor password").inputValue()).toBe("");
    expect(await saved(user.id)).toEqual({ accounts: 0, credentials: 0, checks: 0 });
    await saveScreenshot(page, "connect-wrong-password-1280");

    await page.getByLabel("Investor password").fill("master-password");
    await page.getByRole("button", { name: "Connect account" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: /^That is the master \(trading\) password\. Give the investor \(read-only\) password instead/ })
      .waitFor();
    await page.getByText("This is the master password. Use the investor (read-only) password.").waitFor();
    expect(await page.getByLabel("Investor password").inputValue()).toBe("");
    expect(await saved(user.id)).toEqual({ accounts: 0, credentials: 0, checks: 0 });

    // The password never comes back in the page, and the double really received it encrypted.
    expect(await page.content()).not.toMatch(/wrong-password|master-password/);
    expect(double.seen.filter((c) => c.userId === user.id).map((c) => c.password)).toEqual(["wrong-password", "master-password"]);
    expect(app.output()).not.toMatch(/wrong-password|master-password/);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it("shows the checking state, creates the account from the broker's answer and lands on the dashboard", async () => {
    const user = await userOn("pro");
    const { context, page } = await signedInContext(user);
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/accounts/connect`);
    expect(await page.getByLabel("Broker server time zone").inputValue()).toBe("auto");
    await fillConnectForm(page, { server: "ICMarketsSC-Demo", login: "51234567", password: "investor-ok" });
    await page.getByRole("button", { name: "Connect account" }).click();
    const checking = page.getByRole("status").filter({ hasText: "Checking with your broker…" });
    await checking.waitFor();
    expect(await page.getByRole("button", { name: "Checking with your broker…" }).isDisabled()).toBe(true);
    await saveScreenshot(page, "connect-checking-1280");

    await page.waitForURL(`${app.url}/dashboard?notice=mt5-connected`);
    await page.getByText("Your MT5 account is connected. Positions and trades appear here as they sync.").waitFor();
    const card = page.locator("li[data-account-id]").filter({ hasText: "IC Markets (SC) Ltd 51234567" });
    await card.waitFor();
    expect(await card.locator('[data-figure="balance"]').innerText()).toBe("$10,000.00");
    expect(await card.locator('[data-figure="equity"]').innerText()).toBe("$10,012.50");
    await saveScreenshot(page, "connect-success-dashboard-1280");

    const { rows } = await app.db.pool.query(
      "select id, kind, mt5_server, mt5_login::text, broker, server_time_zone, server_time_zone_confirmed from public.accounts where user_id = $1",
      [user.id],
    );
    expect(rows).toEqual([
      {
        id: expect.any(String),
        kind: "mt5",
        mt5_server: "ICMarketsSC-Demo",
        mt5_login: "51234567",
        broker: "IC Markets (SC) Ltd",
        server_time_zone: "NY+7",
        server_time_zone_confirmed: true,
      },
    ]);
    const creds = await app.db.pool.query("select password_ciphertext, key_id from public.account_credentials where account_id = $1", [rows[0].id]);
    expect(openCredential(jobsKeyring, creds.rows[0].password_ciphertext, creds.rows[0].key_id, { context: rows[0].id })).toBe("investor-ok");
    expect(await saved(user.id)).toEqual({ accounts: 1, credentials: 1, checks: 0 });
    // The header's sync dot now speaks for the MT5 account.
    await page.locator('[data-sync-state="syncing"]').waitFor();

    // A second MT5 account is past the Pro plan's allowance.
    await page.goto(`${app.url}/accounts/connect`);
    await page.getByRole("alert").filter({ hasText: "The Pro plan allows 1 MT5 account, and you have 1. Upgrade for more." }).waitFor();
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it("works without JavaScript: the refusal comes back as a page with the form refilled", async () => {
    const user = await userOn("elite");
    const signedIn = await signedInContext(user);
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      javaScriptEnabled: false,
      storageState: await signedIn.context.storageState(),
    });
    const page = await context.newPage();
    await page.goto(`${app.url}/accounts/connect`);
    await fillConnectForm(page, { server: "FTMO-Server3", login: "1510000001", password: "wrong-password" });
    await page.getByLabel("Broker server time zone").selectOption("Europe/Prague");
    await page.getByRole("button", { name: "Connect account" }).click();
    await page.getByRole("alert").filter({ hasText: "MT5 refused the login 1510000001 on FTMO-Server3." }).waitFor();
    expect(await page.getByLabel("Server", { exact: true }).inputValue()).toBe("FTMO-Server3");
    expect(await page.getByLabel("Broker server time zone").inputValue()).toBe("Europe/Prague");
    expect(await page.getByLabel("Investor password").inputValue()).toBe("");
    expect(await saved(user.id)).toEqual({ accounts: 0, credentials: 0, checks: 0 });

    await page.getByLabel("Investor password").fill("investor-new");
    await page.getByLabel("Account name").fill("FTMO challenge");
    await page.getByRole("button", { name: "Connect account" }).click();
    await page.waitForURL(`${app.url}/dashboard?notice=mt5-connected`);
    await page.getByText("FTMO challenge").first().waitFor();
    const { rows } = await app.db.pool.query("select name, server_time_zone from public.accounts where user_id = $1", [user.id]);
    expect(rows).toEqual([{ name: "FTMO challenge", server_time_zone: "Europe/Prague" }]);
    await context.close();
    await signedIn.context.close();
  });
});

describe("an MT5 account's connection", () => {
  it("reconnects a paused account with a new password and disconnects it", async () => {
    const user = await userOn("pro");
    const { context, page } = await signedInContext(user);
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/accounts/connect`);
    await fillConnectForm(page, { server: "Pepperstone-Edge Live 02", login: "4004001", password: "investor-new", name: "Pepper" });
    await page.getByRole("button", { name: "Connect account" }).click();
    await page.waitForURL(/\/dashboard/);
    const { rows } = await app.db.pool.query("select id from public.accounts where user_id = $1", [user.id]);
    const accountId = rows[0].id as string;

    // What the jobs process writes after three refused logins.
    await app.db.pool.query(
      `insert into public.account_sync_state (account_id, user_id, consecutive_login_failures, paused_at, paused_reason)
       values ($1, $2, 3, now(), 'auth_failed x3')`,
      [accountId, user.id],
    );
    await app.db.pool.query(
      "update public.accounts set sync_status = 'paused', sync_error = 'The broker refused the investor password 3 times.' where id = $1",
      [accountId],
    );
    await page.goto(`${app.url}/dashboard`);
    const banner = page.getByRole("alert").filter({ hasText: "Sync is paused for Pepper." });
    await banner.waitFor();
    expect(await page.locator("[data-sync-state]").getAttribute("data-sync-state")).toBe("paused");
    await banner.getByRole("link", { name: "Reconnect Pepper" }).click();
    await page.waitForURL(`${app.url}/accounts/${accountId}#connection`);
    await page.getByText("Sync is paused. The broker refused the investor password 3 times.").waitFor();

    await page.getByLabel("New investor password").fill("wrong-password");
    await page.getByRole("button", { name: "Reconnect" }).click();
    await page.getByRole("alert").filter({ hasText: "MT5 refused the login 4004001 on Pepperstone-Edge Live 02." }).waitFor();
    expect(await page.getByLabel("New investor password").inputValue()).toBe("");

    await page.getByLabel("New investor password").fill("investor-ok");
    await page.getByRole("button", { name: "Reconnect" }).click();
    await page.waitForURL(`${app.url}/accounts/${accountId}?reconnected=1#connection`);
    await page.getByText("Reconnected. The new password is stored and sync resumes.").waitFor();
    expect(await page.getByLabel("New investor password").inputValue()).toBe("");
    const state = await app.db.pool.query(
      "select a.sync_status, s.paused_at, s.consecutive_login_failures from public.accounts a join public.account_sync_state s on s.account_id = a.id where a.id = $1",
      [accountId],
    );
    expect(state.rows[0]).toEqual({ sync_status: "pending", paused_at: null, consecutive_login_failures: 0 });
    const creds = await app.db.pool.query("select password_ciphertext, key_id from public.account_credentials where account_id = $1", [accountId]);
    expect(openCredential(jobsKeyring, creds.rows[0].password_ciphertext, creds.rows[0].key_id, { context: accountId })).toBe("investor-ok");
    await page.evaluate(() => document.getElementById("connection")?.scrollIntoView());
    await saveScreenshot(page, "account-connection-1280");

    await page.getByRole("button", { name: "Disconnect" }).click();
    await page.getByText("Tick the box to confirm that sync stops and the stored password is deleted.").waitFor();
    await page.getByLabel(/Stop syncing Pepper/).check();
    await page.getByRole("button", { name: "Disconnect" }).click();
    await page.getByText(/^Disconnected: sync is off and no password is stored\./).waitFor();
    expect(await saved(user.id)).toEqual({ accounts: 1, credentials: 0, checks: 0 });
    await page.locator('[data-sync-state="off"]').waitFor();
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });
});

describe("at 375 px", () => {
  it("the connect page and an account's connection section fit without horizontal scroll", async () => {
    const user = await userOn("pro");
    const { context, page } = await signedInContext(user, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/accounts/connect`, { waitUntil: "networkidle" });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await saveScreenshot(page, "connect-375");
    await fillConnectForm(page, { server: "ICMarketsSC-Demo", login: "7001", password: "wrong-password" });
    await page.getByRole("button", { name: "Connect account" }).click();
    await page.getByRole("alert").filter({ hasText: "MT5 refused the login 7001" }).waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await saveScreenshot(page, "connect-refused-375");
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });
});
