// Real headless Chromium (the system package) driven by playwright-core.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { REPO_ROOT } from "../../supabase/local/database.ts";

export const ARTIFACTS_DIR = path.join(REPO_ROOT, "test-results");

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/** Saves a full-page screenshot under test-results/ and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * A fetch the page itself aborted: a link followed while a revalidation's
 * response was still streaming in. app/entry.client.tsx does not report
 * these (the browser did what it was asked); Chromium can still surface one
 * before that handler runs, so it is no error of the page's here either.
 */
const ABORTED_FETCH = /^AbortError: (?:BodyStreamBuffer was aborted|The user aborted a request\.|signal is aborted without reason)/;

/** Collects console errors and page errors (but aborted fetches); tests assert it stays empty. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  const note = (text: string) => {
    if (!ABORTED_FETCH.test(text)) errors.push(text);
  };
  page.on("console", (message) => {
    if (message.type() === "error") note(message.text());
  });
  page.on("pageerror", (error) => note(error.message));
  return errors;
}
