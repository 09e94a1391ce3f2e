// The whole product path in real Chromium with nothing stood in but the MT5
// terminal: a Pro user connects an account on /accounts/connect (the real jobs
// process verifies the investor login on the simulator), the dashboard they
// land on tracks presence, the first sync fills it, and when a simulated trade
// closes the toast and the new row appear without a reload.
// The jobs run on an injected clock that also drives the simulator
// (`default` scenario: deal D opens at +60 s and closes at +240 s).
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createConfirmedUser, startAppForTests, type AppUnderTest } from "../support/app-server.ts";
import { collectPageErrors, launchChromium, saveScreenshot } from "../support/browser.ts";
import { startJobsHarness, waitFor, type JobsHarness } from "../support/jobs-harness.ts";
import { generateCredentialKeyPair } from "../../jobs/credentials/credential-keys.ts";

vi.setConfig({ testTimeout: 120_000 });

const START = new Date("2026-03-04T10:00:00Z");
const CREDENTIAL_KEYS = generateCredentialKeyPair("e2e");
let app: AppUnderTest;
let jobs: JobsHarness;
let browser: Browser;

beforeAll(async () => {
  app = await startAppForTests({ env: { CREDENTIALS_PUBLIC_KEYS: CREDENTIAL_KEYS.publicEntry } });
  jobs = await startJobsHarness({ start: START, supabase: app.supabase, credentialPrivateKeys: CREDENTIAL_KEYS.privateEntry, tradeWorkers: 2 });
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
});

describe("live MT5 sync in the browser", () => {
  it("connects through the real jobs process, fills the dashboard, and shows a closed trade as a toast and a row without reload", async () => {
    const user = await createConfirmedUser(app);
    await app.db.pool.query("update public.profiles set subscription_tier = 'pro' where id = $1", [user.id]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/login`);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${app.url}/dashboard`);

    // Connect: a wrong password first (the terminal says no), then the investor password.
    await page.goto(`${app.url}/accounts/connect`);
    await page.getByLabel("Server", { exact: true }).fill("RawBroker-Demo");
    await page.getByLabel("Login", { exact: true }).fill("51000001");
    await page.getByLabel("Investor password").fill("not-the-password");
    await page.getByRole("button", { name: "Connect account" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: /investor password/i })
      .first()
      .waitFor({ timeout: 30_000 });
    expect((await app.db.pool.query("select 1 from public.accounts where user_id = $1", [user.id])).rowCount).toBe(0);
    await page.getByLabel("Investor password").fill("inv-51000001!");
    await page.getByRole("button", { name: "Connect account" }).click();
    await page.waitForURL(`${app.url}/dashboard?**`, { timeout: 30_000 }).catch(() => page.waitForURL(`${app.url}/dashboard`));
    const { rows: accounts } = await app.db.pool.query<{ id: string; currency: string; broker: string }>(
      "select id, currency, broker from public.accounts where user_id = $1 and kind = 'mt5'",
      [user.id],
    );
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({ currency: "USD", broker: "RawBroker Ltd" });
    const accountId = accounts[0]!.id;
    jobs.runtime.scheduler.accountsChanged();
    // The refused attempt answered 400, which Chromium logs; from here on the page must stay clean.
    errors.length = 0;

    // The dashboard's presence starts the first sync; the page shows its result live.
    await waitFor(
      async () =>
        (
          await app.db.pool.query("select 1 from public.account_sync_state where account_id = $1 and first_sync_completed_at is not null", [
            accountId,
          ])
        ).rowCount === 1,
      "the first sync",
      30_000,
    );
    await jobs.settle();
    const recent = page.getByRole("list", { name: "Recently closed trades" });
    await recent.locator("li").first().waitFor({ timeout: 15_000 });
    await page.evaluate(() => ((window as unknown as { stillTheSamePage: boolean }).stillTheSamePage = true));

    // Time passes on the simulator: D opens at +60 s …
    for (let seconds = 15; seconds <= 240; seconds += 15) {
      jobs.advance(15_000);
      await jobs.settle(`the syncs at +${seconds} s`);
    }
    const { rows: closed } = await app.db.pool.query<{ id: string }>(
      "select id from public.trades where account_id = $1 and symbol = 'EURUSD' and direction = 'sell' and status = 'closed'",
      [accountId],
    );
    expect(closed).toHaveLength(1);

    // … and closes at +240 s: a toast with "Add notes", and its row at the top of the list.
    const toast = page
      .getByRole("region", { name: /Notifications/ })
      .locator("li")
      .filter({ hasText: /EURUSD sell closed [+−-]\$[\d,.]+ \([+−-]?[\d.]+ pips\)/ });
    await toast.waitFor({ timeout: 15_000 });
    expect(await toast.getByRole("link", { name: "Add notes" }).getAttribute("href")).toBe(`/trades/${closed[0]!.id}#journal`);
    await recent.locator(`li[data-trade-id="${closed[0]!.id}"]`).waitFor({ timeout: 15_000 });
    // Six closed trades now; the list keeps showing the latest five as rows arrive live.
    expect(await recent.locator("li").count()).toBe(5);
    expect(await page.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
    await saveScreenshot(page, "live-sync-toast-1280");
    expect(errors).toEqual([]);
    await context.close();
  });
});
