// Authentication end to end in real Chromium against the built app, the local
// Supabase (Auth + mail catcher) and a private database.
import { describe, expect, it } from "vitest";
import { createConfirmedUser, verifyLink, waitForMail } from "../support/app-server.ts";
import { collectPageErrors, saveScreenshot } from "../support/browser.ts";
import { browserSuite, submitSignIn } from "../support/browser-suite.ts";

const { app, browser } = browserSuite();

/** A refused form answers 4xx, which Chromium logs as a console error; anything else is a real error. */
const unexpected = (errors: string[]) => errors.filter((e) => !/the server responded with a status of 4\d\d/.test(e));

describe("sign-up", () => {
  it("signs up, confirms by the emailed link, lands on the empty dashboard and signs out", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: "Europe/Berlin" });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const email = `new-${Date.now()}@example.test`;

    await page.goto(`${app.url}/signup`);
    await page.getByLabel("Name").fill("Ada Lovelace");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("analytical-engine");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    expect(await page.textContent("main")).toContain(email);

    const mail = await waitForMail(app, email);
    await page.goto(verifyLink(mail));
    await page.waitForURL(`${app.url}/dashboard`);
    await page.getByRole("heading", { name: "Welcome, Ada" }).waitFor();
    for (const cta of ["Add a trade", "Import a file", "Connect MT5"]) {
      expect(await page.getByRole("link", { name: cta }).count()).toBe(1);
    }
    expect(await page.getByRole("link", { name: "Add a trade" }).getAttribute("href")).toBe("/trades/new");
    expect(await page.getByRole("link", { name: "Import a file" }).getAttribute("href")).toBe("/trades/import");
    expect(await page.getByRole("link", { name: "Connect MT5" }).getAttribute("href")).toBe("/accounts/connect");
    await saveScreenshot(page, "auth-dashboard-empty-1280");

    // The profile and settings rows came from the sign-up metadata.
    const { rows } = await app.db.pool.query(
      "select p.full_name, s.time_zone from public.profiles p join public.user_settings s on s.user_id = p.id where p.email = $1",
      [email],
    );
    expect(rows).toEqual([{ full_name: "Ada Lovelace", time_zone: "Europe/Berlin" }]);

    // Session cookies are HttpOnly: page scripts cannot read them.
    const cookies = await context.cookies();
    const session = cookies.filter((c) => c.name.startsWith("sb-") && c.name.includes("auth-token"));
    expect(session.length).toBeGreaterThan(0);
    expect(session.every((c) => c.httpOnly)).toBe(true);
    expect(await page.evaluate(() => document.cookie)).not.toContain("auth-token");

    await page.getByRole("button", { name: "Account menu" }).click();
    await page.getByRole("menuitem", { name: "Sign out on this device" }).click();
    await page.waitForURL(/\/login\?notice=signed-out$/);
    await page.getByText("You're signed out.").waitFor();
    await page.goto(`${app.url}/dashboard`);
    await page.waitForURL(/\/login/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("says so, with a working resend link, when signing in before confirming", async () => {
    const page = await browser.newPage();
    const email = `unconfirmed-${Date.now()}@example.test`;
    await page.goto(`${app.url}/signup`);
    await page.getByLabel("Name").fill("Grace Hopper");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("compiler-1952");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    const first = await waitForMail(app, email);

    await page.goto(`${app.url}/login`);
    await submitSignIn(page, email, "compiler-1952");
    await page.getByText("Confirm your email first").waitFor();
    const sentAt = Date.now();
    await page.getByRole("button", { name: "resend link" }).click();
    await page.getByText(`We sent a new confirmation link to ${email}`).waitFor();
    const second = await waitForMail(app, email, { after: sentAt - 1000 });
    expect(verifyLink(second)).not.toBe(verifyLink(first));

    // The resent link confirms the address. Against GoTrue it also signs in
    // (its /resend starts a new PKCE flow); the local Auth server keeps the
    // sign-up's flow, so the code cannot be exchanged and the app asks the
    // user to sign in instead. Either way the account is usable.
    await page.goto(verifyLink(second));
    await page.waitForURL(/\/dashboard$|\/login\?notice=email-confirmed$/);
    if (page.url().includes("/login")) {
      await page.getByText("Your email is confirmed. Sign in to continue.").waitFor();
      await submitSignIn(page, email, "compiler-1952");
      await page.waitForURL(`${app.url}/dashboard`);
    }
    await page.close();
  });
});

describe("sign-in", () => {
  it("explains a wrong password in plain language and keeps the email", async () => {
    const user = await createConfirmedUser(app);
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/login`);
    await submitSignIn(page, user.email, "not-the-password");
    await page.getByRole("alert").filter({ hasText: "That email and password don't match." }).waitFor();
    expect(await page.getByLabel("Email").inputValue()).toBe(user.email);
    expect(page.url()).toBe(`${app.url}/login`);
    // Validation in the browser: nothing is sent for an empty password.
    await page.getByLabel("Password", { exact: true }).fill("");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Enter your password.").waitFor();
    expect(unexpected(errors)).toEqual([]);
    await page.close();
  });

  it("redirects a protected page to the login page and back there after signing in", async () => {
    const user = await createConfirmedUser(app);
    const page = await browser.newPage();
    await page.goto(`${app.url}/settings/profile?tab=1`);
    await page.waitForURL(`${app.url}/login?redirectTo=${encodeURIComponent("/settings/profile?tab=1")}`);
    await submitSignIn(page, user.email, user.password);
    await page.waitForURL(`${app.url}/settings/profile?tab=1`);
    await page.getByRole("heading", { name: "Profile", exact: true }).waitFor();
    // Signed in, the auth pages send you on.
    await page.goto(`${app.url}/login`);
    await page.waitForURL(`${app.url}/dashboard`);
    await page.close();
  });

  it("refuses to redirect off-site after signing in", async () => {
    const user = await createConfirmedUser(app);
    const page = await browser.newPage();
    await page.goto(`${app.url}/login?redirectTo=${encodeURIComponent("//evil.example/steal")}`);
    await submitSignIn(page, user.email, user.password);
    await page.waitForURL(`${app.url}/dashboard`);
    await page.close();
  });

  it("works with JavaScript disabled: validation, wrong password, sign-in, redirect back and sign-out", async () => {
    const user = await createConfirmedUser(app, { fullName: "Nora Script" });
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${app.url}/journal`);
    await page.waitForURL(/\/login\?redirectTo=%2Fjournal$/);
    expect(await page.evaluate(() => 1).catch(() => "no js")).toBeDefined();

    // Server-side validation renders inline errors.
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Enter a valid email address").waitFor();

    await submitSignIn(page, user.email, "wrong-password");
    await page.getByText("That email and password don't match.").waitFor();
    expect(await page.getByLabel("Email").inputValue()).toBe(user.email);

    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${app.url}/journal`);
    await page.getByRole("heading", { name: "Journal" }).waitFor();

    await page.goto(`${app.url}/settings/profile`);
    await page.getByRole("button", { name: "Sign out on this device" }).click();
    await page.waitForURL(/\/login\?notice=signed-out$/);
    await context.close();
  });

  it("signs out everywhere: another device's session can no longer refresh", async () => {
    const user = await createConfirmedUser(app);
    const phone = await browser.newContext();
    const laptop = await browser.newContext();
    for (const context of [phone, laptop]) {
      const page = await context.newPage();
      await page.goto(`${app.url}/login`);
      await submitSignIn(page, user.email, user.password);
      await page.waitForURL(`${app.url}/dashboard`);
    }
    const laptopPage = laptop.pages()[0]!;
    await laptopPage.getByRole("button", { name: "Account menu" }).click();
    await laptopPage.getByRole("menuitem", { name: "Sign out everywhere" }).click();
    await laptopPage.waitForURL(/notice=signed-out-everywhere/);
    const { rows } = await app.db.pool.query("select count(*)::int as n from auth.sessions where user_id = $1", [user.id]);
    expect(rows[0].n).toBe(0);
    await phone.close();
    await laptop.close();
  });
});

describe("password reset", () => {
  it("emails a link, sets a new password and signs in with it", async () => {
    const user = await createConfirmedUser(app, { password: "old-password-1" });
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/login`);
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.waitForURL(`${app.url}/forgot-password`);
    await page.getByLabel("Email").fill(user.email);
    await page.getByRole("button", { name: "Email me a reset link" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();

    const mail = await waitForMail(app, user.email, { subject: /reset|password/i });
    await page.goto(verifyLink(mail));
    await page.waitForURL(`${app.url}/reset-password`);
    await page.getByLabel("New password").fill("new-password-2");
    await page.getByLabel("Type it again").fill("different");
    await page.getByRole("button", { name: "Save new password" }).click();
    await page.getByText("The two passwords don't match.").waitFor();
    await page.getByLabel("Type it again").fill("new-password-2");
    await page.getByRole("button", { name: "Save new password" }).click();
    await page.waitForURL(`${app.url}/dashboard?notice=password-updated`);
    await page.getByText("Your password was changed.").waitFor();

    // Old password no longer works; the new one does.
    const fresh = await browser.newPage();
    await fresh.goto(`${app.url}/login`);
    await submitSignIn(fresh, user.email, "old-password-1");
    await fresh.getByText("That email and password don't match.").waitFor();
    await submitSignIn(fresh, user.email, "new-password-2");
    await fresh.waitForURL(`${app.url}/dashboard`);
    await fresh.close();

    expect(unexpected(errors)).toEqual([]);
    await context.close();

    // The link works once.
    const other = await browser.newPage();
    await other.goto(verifyLink(mail));
    await other.waitForURL(/\/forgot-password\?notice=link-invalid/);
    await other.getByText("That link has expired or was already used.").waitFor();
    await other.close();
  });
});
