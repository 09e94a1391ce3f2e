// The signed-in shell, settings and the public pages in real Chromium, plus
// the security headers and cross-site request refusal over plain HTTP.
import { describe, expect, it } from "vitest";
import { createAccount, createTrade } from "../support/fixtures.ts";
import { createConfirmedUser } from "../support/app-server.ts";
import { collectPageErrors, saveScreenshot } from "../support/browser.ts";
import { browserSuite, horizontalOverflow } from "../support/browser-suite.ts";
import { send } from "../support/http-client.ts";

const { app, browser, signIn } = browserSuite();

describe("phone layout at 375 px", () => {
  it("has no horizontal scroll on any page, a bottom tab bar and a More sheet", async () => {
    const user = await createConfirmedUser(app, { fullName: "Maximilian Alexander Longname-Testperson" });
    const { context, page } = await signIn(user, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const errors = collectPageErrors(page);

    for (const path of ["/dashboard", "/settings/profile", "/trades", "/more"]) {
      await page.goto(`${app.url}${path}`, { waitUntil: "networkidle" });
      expect(await horizontalOverflow(page), path).toBeLessThanOrEqual(0);
    }
    await page.goto(`${app.url}/dashboard`, { waitUntil: "networkidle" });
    const tabBar = page.getByRole("navigation", { name: "Main" }).filter({ hasText: "More" });
    expect(await tabBar.isVisible()).toBe(true);
    expect(await page.locator("aside").isVisible()).toBe(false);
    for (const tab of ["Dashboard", "Trades", "Journal", "More"]) {
      expect(await tabBar.getByText(tab, { exact: true }).isVisible(), tab).toBe(true);
    }
    await saveScreenshot(page, "shell-dashboard-375");

    await tabBar.getByText("More", { exact: true }).click();
    const sheet = page.getByRole("dialog", { name: "More" });
    await sheet.waitFor();
    for (const item of ["Accounts", "Charts", "Settings"]) expect(await sheet.getByRole("link", { name: item }).isVisible()).toBe(true);
    await saveScreenshot(page, "shell-more-sheet-375");
    await sheet.getByRole("link", { name: "Settings" }).click();
    await page.waitForURL(`${app.url}/settings/profile`);
    await sheet.waitFor({ state: "hidden" });
    await saveScreenshot(page, "shell-settings-375");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("renders the public pages without horizontal scroll", async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 } });
    const errors = collectPageErrors(page);
    for (const path of ["/", "/login", "/signup", "/forgot-password"]) {
      await page.goto(`${app.url}${path}`, { waitUntil: "networkidle" });
      expect(await horizontalOverflow(page), path).toBeLessThanOrEqual(0);
      await saveScreenshot(page, `public${path === "/" ? "-landing" : path.replace("/", "-")}-375`);
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("desktop shell", () => {
  it("lists the user's accounts in the selector, shows sync off and remembers a collapsed sidebar", async () => {
    const user = await createConfirmedUser(app);
    await createAccount(app.db.pool, user.id, { name: "FTMO 100k" });
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 800 } });
    const errors = collectPageErrors(page);
    await page.getByTitle("Sync off").waitFor();
    await page.getByRole("button", { name: "Choose account" }).click();
    await page.getByRole("menuitem", { name: "FTMO 100k" }).click();
    await page.waitForURL(/account=/);
    await page.getByRole("button", { name: "Choose account" }).filter({ hasText: "FTMO 100k" }).waitFor();

    const saved = page.waitForResponse((r) => r.url().includes("/preferences/sidebar"));
    await page.getByRole("button", { name: "Collapse sidebar" }).click();
    await page.getByRole("button", { name: "Expand sidebar" }).waitFor();
    await saved;
    await page.reload();
    expect(await page.locator("aside").evaluate((el) => el.getBoundingClientRect().width)).toBe(64);
    await saveScreenshot(page, "shell-collapsed-1280");
    await page.getByRole("button", { name: "Expand sidebar" }).click();
    await page.getByRole("button", { name: "Collapse sidebar" }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("settings → profile", () => {
  it("saves name, time zone and trading-day start, and they persist", async () => {
    const user = await createConfirmedUser(app, { fullName: "Before Name" });
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/settings/profile`);
    // metrics.md: the trading day starts at 00:00 on the user's own clock unless they choose otherwise.
    expect(await page.getByLabel("Trading day starts at").inputValue()).toBe("0");
    expect(await page.getByLabel("Trading day clock").inputValue()).toBe("");
    await page.getByLabel("Name").fill("After Name");
    await page.getByLabel("Time zone").selectOption("Asia/Tokyo");
    await page.getByLabel("Trading day starts at").selectOption("17");
    await page.getByLabel("Trading day clock").selectOption("America/New_York");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByRole("status").filter({ hasText: "Profile saved." }).first().waitFor();
    await saveScreenshot(page, "settings-profile-saved-1280");

    await page.reload();
    expect(await page.getByLabel("Name").inputValue()).toBe("After Name");
    expect(await page.getByLabel("Time zone").inputValue()).toBe("Asia/Tokyo");
    expect(await page.getByLabel("Trading day starts at").inputValue()).toBe("17");
    expect(await page.getByLabel("Trading day clock").inputValue()).toBe("America/New_York");
    const { rows } = await app.db.pool.query(
      `select p.full_name, s.time_zone, s.trading_day_start_hour, s.trading_day_time_zone
         from public.profiles p join public.user_settings s on s.user_id = p.id where p.id = $1`,
      [user.id],
    );
    expect(rows).toEqual([
      { full_name: "After Name", time_zone: "Asia/Tokyo", trading_day_start_hour: 17, trading_day_time_zone: "America/New_York" },
    ]);

    // An empty name is refused inline, before and after the server.
    await page.getByLabel("Name").fill("   ");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByText("Enter your name.").waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("changes the password after checking the current one", async () => {
    const user = await createConfirmedUser(app, { password: "first-password" });
    const { context, page } = await signIn(user);
    await page.goto(`${app.url}/settings/profile`);
    await page.getByLabel("Current password").fill("wrong-password");
    await page.getByLabel("New password", { exact: true }).fill("second-password");
    await page.getByLabel("Type the new password again").fill("second-password");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("Your current password isn't right.").waitFor();
    await page.getByLabel("Current password").fill("first-password");
    await page.getByLabel("New password", { exact: true }).fill("second-password");
    await page.getByLabel("Type the new password again").fill("second-password");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByRole("status").filter({ hasText: "Password changed." }).first().waitFor();
    await context.close();
    await (await signIn({ email: user.email, password: "second-password" })).context.close();
  });

  it("deletes the account after the typed confirmation, with everything it owned", async () => {
    const user = await createConfirmedUser(app);
    const accountId = await createAccount(app.db.pool, user.id);
    await createTrade(app.db.pool, user.id, accountId);
    const { context, page } = await signIn(user);
    await page.goto(`${app.url}/settings/profile`);
    await page.getByLabel('Type "delete my account" to confirm').fill("delete it");
    await page.getByRole("button", { name: "Delete my account" }).click();
    await page.getByText('Type "delete my account" to confirm.').waitFor();
    await page.getByLabel('Type "delete my account" to confirm').fill("delete my account");
    await page.getByRole("button", { name: "Delete my account" }).click();
    await page.waitForURL(/\/login\?notice=account-deleted$/);
    await page.getByText("Your account and all its data were deleted.").waitFor();
    const { rows } = await app.db.pool.query(
      `select (select count(*) from auth.users where id = $1)::int as users,
              (select count(*) from public.profiles where id = $1)::int as profiles,
              (select count(*) from public.accounts where user_id = $1)::int as accounts,
              (select count(*) from public.trades where user_id = $1)::int as trades`,
      [user.id],
    );
    expect(rows[0]).toEqual({ users: 0, profiles: 0, accounts: 0, trades: 0 });
    await page.goto(`${app.url}/dashboard`);
    await page.waitForURL(/\/login/);
    await context.close();
  });
});

describe("public pages and HTTP", () => {
  it("shows the plans with their limits on the landing page", async () => {
    const html = await (await fetch(app.url)).text();
    for (const text of [
      "Free",
      "$0",
      "Pro",
      "$12.99",
      "Elite",
      "$30",
      "15 trades a month",
      "1 MT5 account synced automatically",
      "5 MT5 accounts synced automatically",
      "Priority sync",
    ]) {
      expect(html).toContain(text);
    }
  });

  it("answers an unknown address with a real 404 page, and serves robots.txt", async () => {
    const response = await fetch(`${app.url}/no/such/page`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("Page not found");
    const robots = await fetch(`${app.url}/robots.txt`);
    expect(robots.status).toBe(200);
    expect(await robots.text()).toContain("Disallow: /dashboard");
  });

  it("sends the security headers; HSTS only over HTTPS", async () => {
    const response = await fetch(`${app.url}/login`);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain(`connect-src 'self' ${app.supabase.url} ${app.supabase.url.replace("http:", "ws:")}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("strict-transport-security")).toBeNull();
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    const html = await response.text();
    // Every inline script carries this response's nonce.
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attributes of scripts) {
      if (!/\bsrc=/.test(attributes)) expect(attributes).toContain(`nonce="${nonce}"`);
    }
    const https = await fetch(`${app.url}/login`, { headers: { "x-forwarded-proto": "https" } });
    expect(https.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
  });

  it("refuses a form post from another site, and one that names no origin", async () => {
    const signUp = (email: string) => new URLSearchParams({ fullName: "Mallory", email, password: "password123" });
    const created = async (email: string) =>
      (await app.db.pool.query("select count(*)::int as n from auth.users where email = $1", [email])).rows[0].n;
    // A mismatched Origin is refused by Remix itself before any action runs
    // (500); one without Origin or Referer by our check (403). Either way nothing happens.
    const foreign = await fetch(`${app.url}/signup`, {
      method: "POST",
      body: signUp("csrf1@example.test"),
      headers: { Origin: "https://evil.example" },
    });
    expect([403, 500]).toContain(foreign.status);
    expect(await created("csrf1@example.test")).toBe(0);
    const anonymous = await fetch(`${app.url}/signup`, { method: "POST", body: signUp("csrf2@example.test") });
    expect(anonymous.status).toBe(403);
    expect(await created("csrf2@example.test")).toBe(0);
    const foreignReferer = await fetch(`${app.url}/signup`, {
      method: "POST",
      body: signUp("csrf3@example.test"),
      headers: { Referer: "https://evil.example/page" },
    });
    expect(foreignReferer.status).toBe(403);
    expect(await created("csrf3@example.test")).toBe(0);
    const body = new URLSearchParams({ email: "a@example.test", password: "whatever" });
    const same = await fetch(`${app.url}/login`, { method: "POST", body, headers: { Origin: app.url }, redirect: "manual" });
    expect(same.status).toBe(401);
  });

  it("limits auth form posts per client address", async () => {
    // The socket's address, not X-Forwarded-For (no trusted proxy by default;
    // tests/e2e/rate-limits.test.ts covers rotating that header). A new e-mail
    // each time, so only the per-address rule (20 in 10 minutes) is in play.
    const ask = (n: number, from: string) =>
      send(`${app.url}/forgot-password`, {
        method: "POST",
        form: { email: `nobody-${n}@example.test` },
        headers: { origin: app.url },
        from,
      });
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await ask(i, "127.0.0.31")).status);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // Another address is unaffected.
    expect((await ask(99, "127.0.0.32")).status).toBe(200);
  });

  it("refuses a filled-in honeypot", async () => {
    const response = await fetch(`${app.url}/signup`, {
      method: "POST",
      body: new URLSearchParams({ fullName: "Bot", email: "bot@example.test", password: "password123", website: "http://spam.example" }),
      headers: { Origin: app.url },
    });
    expect(response.status).toBe(400);
    const { rows } = await app.db.pool.query("select count(*)::int as n from auth.users where email = 'bot@example.test'");
    expect(rows[0].n).toBe(0);
  });
});
