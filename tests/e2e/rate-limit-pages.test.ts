// What a person sees when a limit refuses them, and when another site's form
// posts to the app (issue 19 item 5), in Chromium at phone and desktop widths:
// the sign-in form's inline message, the friendly 429 page, the standalone 429
// page of a refused download, and the app's 403 page. Screenshots go to /tmp.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createConfirmedUser } from "../support/app-server.ts";
import { browserSuite, horizontalOverflow, submitSignIn } from "../support/browser-suite.ts";

const { app, browser, signIn } = browserSuite({ testTimeout: 120_000 });
const WIDTHS = [375, 1280] as const;

async function setRule(name: string, maxHits: number, windowSeconds: number): Promise<void> {
  await app.db.pool.query("update public.rate_limit_rules set max_hits = $2, window_seconds = $3 where name = $1", [name, maxHits, windowSeconds]);
}

async function pageAt(width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: width < 500 ? 812 : 900 } });
  return context.newPage();
}

async function shoot(page: Page, name: string, width: number): Promise<void> {
  expect(await horizontalOverflow(page)).toBe(0);
  await page.screenshot({ path: `/tmp/h-${name}-${width}.png`, fullPage: true });
}

describe("refused requests, as a person sees them", () => {
  it("the sign-in form says how long to wait and keeps the email", async () => {
    await setRule("sign-in-address", 1, 3600);
    try {
      for (const width of WIDTHS) {
        await app.db.pool.query("delete from rate_limit.counters where rule = 'sign-in-address'");
        const page = await pageAt(width);
        await page.goto(`${app.url}/login`);
        await submitSignIn(page, "someone@example.test", "wrong-password");
        await page.getByText("That email and password don't match.").waitFor();
        await submitSignIn(page, "someone@example.test", "wrong-password");
        // The limits count in windows aligned to the clock (ADR 020): in an hour's last minute or two the wait is "1 minute" or seconds.
        await page.getByText(/Too many sign-in attempts\. Try again in \d+ (?:second|minute)s?\./).waitFor();
        expect(await page.getByLabel("Email").inputValue()).toBe("someone@example.test");
        await shoot(page, "sign-in-429", width);
        await page.context().close();
      }
    } finally {
      await setRule("sign-in-address", 20, 60);
    }
  });

  it("past the limit on every action, the friendly 429 page", async () => {
    await setRule("action-address", 1, 3600);
    try {
      for (const width of WIDTHS) {
        await app.db.pool.query("delete from rate_limit.counters where rule = 'action-address'");
        const page = await pageAt(width);
        await page.goto(`${app.url}/login`);
        await submitSignIn(page, "someone@example.test", "wrong-password");
        await page.getByText("That email and password don't match.").waitFor();
        await submitSignIn(page, "someone@example.test", "wrong-password");
        await page.getByRole("heading", { name: "Slow down a little" }).waitFor();
        expect(await page.getByText("Error 429").count()).toBe(1);
        expect(
          await page
            .getByText(/You have sent a lot of requests in a short time\. Try again in \d+ (?:second|minute)s?\. Nothing you saved is lost\./)
            .count(),
        ).toBe(1);
        await shoot(page, "action-429", width);
        await page.context().close();
      }
    } finally {
      await setRule("action-address", 300, 60);
    }
  });

  it("a refused CSV export shows a page, not a bare line of text", async () => {
    const user = await createConfirmedUser(app);
    await setRule("export-user", 1, 3600);
    try {
      for (const width of WIDTHS) {
        await app.db.pool.query("delete from rate_limit.counters where rule = 'export-user'");
        const { context, page } = await signIn(user, { viewport: { width, height: width < 500 ? 812 : 900 } });
        expect((await page.request.get(`${app.url}/trades/export`)).status()).toBe(200);
        const answer = await page.goto(`${app.url}/trades/export`);
        expect(answer?.status()).toBe(429);
        await page.getByRole("heading", { name: "Slow down a little" }).waitFor();
        await page.getByRole("link", { name: "Back to your trades" }).waitFor();
        await shoot(page, "export-429", width);
        await context.close();
      }
    } finally {
      await setRule("export-user", 60, 3600);
    }
  });

  it("another site's form posting to the app gets the app's 403 page", async () => {
    for (const width of WIDTHS) {
      const page = await pageAt(width);
      await page.setContent(
        `<form method="post" action="${app.url}/login?index"><input name="email" value="a@b.c"><input name="password" value="x"><button>Post</button></form>`,
      );
      await page.getByRole("button", { name: "Post" }).click();
      await page.getByRole("heading", { name: "Not allowed" }).waitFor();
      expect(await page.getByText("This request did not come from RawJournal, so it was refused.").count()).toBe(1);
      await shoot(page, "cross-site-403", width);
      await page.context().close();
    }
  });
});
