// Billing in real Chromium against the built app and the local Stripe
// stand-in (supabase/local/stripe/), which signs and sends its webhooks to the
// app's /webhooks/stripe: the public pricing page (375 and 1280 px, without
// JavaScript too), Free → Pro through the hosted checkout, cancel at period end
// and resume, the customer portal, the past-due banner after a failed renewal,
// and no secret or card number in any page or server log line.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { PLANS } from "../../app/domain/entitlements.ts";
import { createConfirmedUser, waitForMail } from "../support/app-server.ts";
import { collectPageErrors, saveScreenshot } from "../support/browser.ts";
import { browserSuite, horizontalOverflow } from "../support/browser-suite.ts";
import { createAccount, createTrade } from "../support/fixtures.ts";

// The app under test comes with its own local Stripe (app.stripe), which posts
// its signed events to this app's /webhooks/stripe.
const { app, browser, signIn, withoutJavaScript } = browserSuite({ testTimeout: 120_000, app: { env: { BILLING_GRACE_DAYS: "7" } } });

const shots: string[] = [];
async function screenshot(page: Page, name: string) {
  shots.push(await saveScreenshot(page, `billing-${name}`));
  await page.screenshot({ path: `/tmp/f-${name}.png`, fullPage: true });
}

async function tierOf(userId: string) {
  const { rows } = await app.db.pool.query(
    "select subscription_tier as tier, subscription_status as status, subscription_cancel_at_period_end as cancelling, stripe_customer_id as customer from public.profiles where id = $1",
    [userId],
  );
  return rows[0] as { tier: string; status: string; cancelling: boolean; customer: string | null };
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function control(path: string, form: Record<string, string> = {}) {
  const answer = await fetch(`${app.stripe.local!.url}${path}`, {
    method: "POST",
    body: new URLSearchParams(form),
    headers: { accept: "application/json" },
  });
  expect(answer.status).toBe(200);
}

/** Free → Pro through /pricing and the stand-in's hosted checkout; returns the signed-in page. */
async function subscribeToPro(viewport = { width: 1280, height: 900 }) {
  const user = await createConfirmedUser(app);
  const signedIn = await signIn(user, { viewport });
  const { page } = signedIn;
  await page.goto(`${app.url}/pricing`);
  await page.locator('[data-plan="pro"] button', { hasText: "Upgrade to Pro" }).click();
  await page.waitForURL((url) => url.href.startsWith(app.stripe.local!.url));
  await page.getByRole("button", { name: /^Pay/ }).click();
  await page.locator('[data-checkout-result="confirmed"]').waitFor();
  return { user, ...signedIn };
}

describe("pricing", () => {
  it("shows the plans and the comparison from the enforced plan table, monthly and yearly, at 1280 and 375 px", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/pricing`);
    expect(await page.locator('[data-plan="pro"] [data-price]').innerText()).toBe("$12.99");
    expect(await page.locator('[data-plan="elite"] [data-price]').innerText()).toBe("$30");
    const row = page.locator("[data-comparison] tr", { hasText: "MT5 accounts synced live" });
    expect(await row.locator("td").allInnerTexts()).toEqual(["—", String(PLANS.pro.maxMt5Accounts), String(PLANS.elite.maxMt5Accounts)]);
    const trades = page.locator("[data-comparison] tr", { hasText: "Trades added a month" });
    expect(await trades.locator("td").allInnerTexts()).toEqual([String(PLANS.free.monthlyTradeLimit), "Unlimited", "Unlimited"]);
    expect(await page.locator('[data-plan="pro"] a').getAttribute("href")).toBe("/signup?plan=pro&interval=month");
    await screenshot(page, "pricing-1280");
    await page.getByRole("link", { name: /Yearly/ }).click();
    await page.waitForURL(/interval=year/);
    await page.locator('[data-plan="pro"] [data-price]', { hasText: "$129.90" }).waitFor();
    expect(await page.locator('[data-plan="elite"] [data-price]').innerText()).toBe("$300");
    expect(await page.locator('[data-plan="pro"] a').getAttribute("href")).toBe("/signup?plan=pro&interval=year");
    expect(errors).toEqual([]);
    await page.close();

    const phone = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    await phone.goto(`${app.url}/pricing?interval=year`);
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
    await screenshot(phone, "pricing-375");
    await phone.close();
  });

  it("works without JavaScript: the interval is a link and the page is rendered on the server", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${app.url}/pricing`);
    await page.getByRole("link", { name: /Yearly/ }).click();
    await page.locator('[data-plan="elite"] [data-price]', { hasText: "$300" }).waitFor();
    await context.close();
  });
});

describe("subscription", () => {
  it("Free → Pro through the local checkout: the success page waits for the webhook, the plan's limits apply", async () => {
    const { user, page, context } = await subscribeToPro();
    expect(await page.locator('[data-checkout-result="confirmed"] h2').innerText()).toBe("You are on Pro");
    await screenshot(page, "checkout-success-1280");
    expect(await tierOf(user.id)).toMatchObject({ tier: "pro", status: "active" });
    await page.goto(`${app.url}/settings/billing`);
    expect(await page.locator("[data-current-tier]").getAttribute("data-current-tier")).toBe("pro");
    await expect.poll(() => page.locator("[data-billing-status]").innerText()).toMatch(/^Renews on /);
    await page.locator("[data-invoices] tbody tr").first().waitFor();
    await screenshot(page, "billing-pro-1280");
    // The server enforces Pro: one MT5 account, not two.
    const insert = (login: number) =>
      app.db.pool
        .query("insert into public.accounts (user_id, name, kind, mt5_server, mt5_login) values ($1, $2, 'mt5', 'Demo', $3)", [
          user.id,
          `MT5 ${login}`,
          login,
        ])
        .then(
          () => "ok",
          (error: { code?: string }) => error.code,
        );
    expect(await insert(1001)).toBe("ok");
    expect(await insert(1002)).toBe("RJ004");
    await context.close();
  });

  it("the success page does not trust the redirect (waiting, then a timeout message); a cancelled checkout changes nothing", async () => {
    const user = await createConfirmedUser(app);
    const { page, context } = await signIn(user);
    // Opening the success page proves nothing: it waits for Stripe, then says it is still waiting.
    await page.goto(`${app.url}/settings/billing/success?session_id=cs_made_up`);
    await page.locator('[data-checkout-result="waiting"]').waitFor();
    expect(await page.locator('meta[http-equiv="refresh"]').getAttribute("content")).toBe("2");
    await page.goto(`${app.url}/settings/billing/success?session_id=cs_made_up&since=${Date.now() - 61_000}`);
    expect(await page.locator('[data-checkout-result="timeout"]').innerText()).toContain("Stripe has not confirmed the payment to us yet");
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
    await page.goto(`${app.url}/settings/billing`);
    await page.locator('[data-form="checkout"] input[value="elite"]').check();
    await page.getByRole("button", { name: "Continue to checkout" }).click();
    await page.waitForURL((url) => url.href.startsWith(app.stripe.local!.url));
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.locator('[data-checkout-result="cancelled"]').waitFor();
    expect((await tierOf(user.id)).tier).toBe("free");
    await context.close();
  });

  it("cancel at period end, then resume, then the customer portal", async () => {
    const { user, page, context } = await subscribeToPro();
    await page.goto(`${app.url}/settings/billing`);
    await page.getByRole("button", { name: "Cancel at period end" }).click();
    await waitFor(
      () => tierOf(user.id),
      (s) => s.cancelling,
      "the cancellation webhook",
    );
    await page.goto(`${app.url}/settings/billing`);
    expect(await page.locator("[data-billing-status]").innerText()).toMatch(/^Cancelled: Pro ends on /);
    expect((await tierOf(user.id)).tier).toBe("pro");
    await screenshot(page, "billing-cancelling-1280");
    await page.getByRole("button", { name: "Resume subscription" }).click();
    await waitFor(
      () => tierOf(user.id),
      (s) => !s.cancelling,
      "the resume webhook",
    );
    await page.goto(`${app.url}/settings/billing`);
    expect(await page.locator("[data-billing-status]").innerText()).toMatch(/^Renews on /);

    await page.getByRole("button", { name: "Open customer portal" }).click();
    await page.waitForURL((url) => url.href.startsWith(app.stripe.local!.url));
    await page.getByRole("link", { name: "Return to RawJournal" }).click();
    await page.waitForURL(`${app.url}/settings/billing`);
    await context.close();
  });

  it("a failed renewal shows the past-due banner with a fix-payment link, and the plan stays on", async () => {
    const { user, context } = await subscribeToPro({ width: 375, height: 812 });
    const { customer } = await tierOf(user.id);
    await control(`/_local/customers/${customer}/fail-next-payment`);
    await control("/_local/clock/advance", { days: "32" });
    await waitFor(
      () => tierOf(user.id),
      (s) => s.status === "past_due",
      "the past_due webhook",
    );
    const page = await context.newPage();
    await page.goto(`${app.url}/dashboard`);
    const banner = page.locator('[data-billing-banner="grace"]');
    await banner.waitFor();
    expect(await banner.innerText()).toMatch(/Your last payment failed\. Your Pro plan stays on until/);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, "past-due-banner-375");
    expect((await tierOf(user.id)).tier).toBe("pro");
    await banner.getByRole("link", { name: "Fix payment" }).click();
    await page.waitForURL(`${app.url}/settings/billing`);
    await page.getByRole("button", { name: "Fix payment method" }).waitFor();
    await screenshot(page, "billing-past-due-375");
    // The payment-failed email, as the local mail catcher received it.
    const mail = await waitForMail(app, user.email, { subject: /payment failed/ });
    expect(mail.subject).toBe("Your RawJournal Pro payment failed");
    expect(mail.text).toContain(`${app.url}/settings/billing`);
    await context.close();
  });
});

describe("downgrade", () => {
  it("a trade in an account kept read-only after a downgrade stays visible, and editing it says why it is refused", async () => {
    const user = await createConfirmedUser(app);
    const pool = app.db.pool;
    await pool.query("update public.profiles set subscription_tier = 'elite' where id = $1", [user.id]);
    await createAccount(pool, user.id, { name: "Kept" });
    const beyond = await createAccount(pool, user.id, { name: "Beyond Free" });
    const tradeId = await createTrade(pool, user.id, beyond);
    await pool.query("update public.profiles set subscription_tier = 'free' where id = $1", [user.id]);
    const { page, context } = await signIn(user);
    await page.goto(`${app.url}/trades/${tradeId}`);
    await page
      .getByRole("heading", { name: /EURUSD/ })
      .first()
      .waitFor();
    await page.goto(`${app.url}/trades/${tradeId}/edit`);
    // The edit page says so before anyone fills the form (the action still refuses a stale one).
    const alert = page.getByRole("status").filter({ hasText: "read-only" });
    await alert.waitFor();
    expect(await alert.innerText()).toContain('"Beyond Free" is read-only on the free plan');
    await page.goto(`${app.url}/settings/billing`);
    expect(await page.locator("[data-restricted-accounts]").innerText()).toContain("Beyond Free — read-only");
    await context.close();
  });
});

describe("secrets", () => {
  it("no page or server log line shows the secret key, the webhook secret or a card number", async () => {
    const { page, context } = await subscribeToPro();
    const pages: string[] = [];
    for (const path of ["/pricing", "/settings/billing", "/settings/billing/success", "/settings/billing/cancel", "/dashboard"]) {
      await page.goto(`${app.url}${path}`);
      pages.push(await page.content());
    }
    const plain = await withoutJavaScript(context);
    await plain.page.goto(`${app.url}/settings/billing`);
    pages.push(await plain.page.content());
    for (const text of [...pages, app.output()]) {
      expect(text).not.toContain(app.stripe.secretKey);
      expect(text).not.toContain(app.stripe.webhookSecret);
      expect(text).not.toMatch(/4242\s?4242\s?4242\s?4242/);
    }
    expect(app.output()).toMatch(/\[billing\] evt_\w+ customer\.subscription\.created/);
    await plain.context.close();
    await context.close();
  });
});
