// The set-up every browser test file shares: the built app (with its own
// database and local Supabase) and one headless Chromium for the file, plus
// signing in through the real login form.
//
//   const { app, browser, signIn } = browserSuite({ testTimeout: 90_000 });
//
// Call it at the top level of the test file. `app` is filled in before the
// first test runs (its fields are assigned in beforeAll), and `browser` hands
// contexts and pages out of the file's Chromium.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, vi } from "vitest";
import { startAppForTests, type AppUnderTest } from "./app-server.ts";
import { launchChromium } from "./browser.ts";

export type ContextOptions = Parameters<Browser["newContext"]>[0];

export interface SignedIn {
  context: BrowserContext;
  page: Page;
}

export interface BrowserSuite {
  app: AppUnderTest;
  browser: Pick<Browser, "newContext" | "newPage">;
  /** A new browser context signed in as `user` through the login form, on /dashboard. */
  signIn: (user: { email: string; password: string }, options?: ContextOptions) => Promise<SignedIn>;
  /** The same session as `context` in a new context with JavaScript turned off. */
  withoutJavaScript: (context: BrowserContext, options?: ContextOptions) => Promise<SignedIn>;
}

/** Fills in the login form on the current page and submits it. */
export async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * How far the page is wider than its layout viewport (0: no horizontal
 * scroll). The root's clientWidth, not window.innerWidth: a mobile browser
 * zooms out to fit a page that is too wide, and innerWidth grows with it.
 */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

export function browserSuite({
  testTimeout = 60_000,
  app: appOptions,
}: { testTimeout?: number; app?: Parameters<typeof startAppForTests>[0] } = {}): BrowserSuite {
  vi.setConfig({ testTimeout });
  const app = {} as AppUnderTest;
  let chromium: Browser | undefined;
  const running = () => {
    if (!chromium) throw new Error("browserSuite: Chromium is not running yet (use it inside a test or hook)");
    return chromium;
  };

  beforeAll(async () => {
    Object.assign(app, await startAppForTests(appOptions));
    chromium = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
  });

  const browser: BrowserSuite["browser"] = {
    newContext: (options) => running().newContext(options),
    newPage: (options) => running().newPage(options),
  };

  async function signIn(user: { email: string; password: string }, options: ContextOptions = {}): Promise<SignedIn> {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    await page.goto(`${app.url}/login`);
    await submitSignIn(page, user.email, user.password);
    await page.waitForURL(`${app.url}/dashboard`);
    return { context, page };
  }

  async function withoutJavaScript(context: BrowserContext, options: ContextOptions = {}): Promise<SignedIn> {
    const plain = await browser.newContext({ ...options, javaScriptEnabled: false, storageState: await context.storageState() });
    return { context: plain, page: await plain.newPage() };
  }

  return { app, browser, signIn, withoutJavaScript };
}
