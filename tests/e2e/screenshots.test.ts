// Screenshots in real Chromium on /trades/$id: paste an image (a clipboard
// event carrying a file), see it compressed to WebP and shown as a thumbnail,
// open the viewer by keyboard, set a caption, delete it and find the object
// gone from Storage; at 375 px the file picker; without JavaScript the plain
// form uploads the original and refusals come back as a message.
import { existsSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createConfirmedUser } from "../support/app-server.ts";
import { collectPageErrors, saveScreenshot } from "../support/browser.ts";
import { browserSuite, horizontalOverflow } from "../support/browser-suite.ts";
import { createAccount, createTrade } from "../support/fixtures.ts";

const { app, signIn, withoutJavaScript } = browserSuite({ testTimeout: 120_000 });

const PNG_3X2 = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAYAAACddGYaAAAAEklEQVR4AWI6Y2z8H4aZGJAAAAAA///qnsSoAAAABklEQVQDAH+1BpjuJVuvAAAAAElFTkSuQmCC",
  "base64",
);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');

async function userWithTrade() {
  const user = await createConfirmedUser(app);
  const accountId = await createAccount(app.db.pool, user.id);
  const tradeId = await createTrade(app.db.pool, user.id, accountId);
  return { user, tradeId };
}

async function rowsOf(tradeId: string) {
  const { rows } = await app.db.pool.query<{
    id: string;
    object_path: string;
    content_type: string;
    width: number;
    height: number;
    bytes: number;
    caption: string | null;
  }>("select id, object_path, content_type, width, height, bytes, caption from public.journal_screenshots where trade_id = $1 order by created_at", [
    tradeId,
  ]);
  return rows;
}

async function objectExists(name: string): Promise<boolean> {
  const { rowCount } = await app.db.pool.query("select 1 from storage.objects where bucket_id = 'trade-screenshots' and name = $1", [name]);
  return (rowCount ?? 0) > 0;
}

const onDisk = (name: string) => existsSync(path.join(app.supabase.local!.ctx.config.storageDir, "trade-screenshots", ...name.split("/")));

/** A 2400 × 1500 chart-like PNG drawn in the page, pasted as a clipboard file. */
async function pasteChart(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const canvas = document.createElement("canvas");
    canvas.width = 2400;
    canvas.height = 1500;
    const ctx = canvas.getContext("2d")!;
    ctx.fillStyle = "#0b0f19";
    ctx.fillRect(0, 0, 2400, 1500);
    for (let i = 0; i < 200; i++) {
      const x = i * 12;
      const open = 700 + Math.sin(i / 9) * 300;
      const close = open + Math.cos(i / 3) * 60;
      ctx.fillStyle = close > open ? "#22c55e" : "#ef4444";
      ctx.fillRect(x, Math.min(open, close), 8, Math.abs(close - open) + 2);
    }
    const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), "image/png"));
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], "chart.png", { type: "image/png" }));
    document.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }));
    return blob.size;
  });
}

const thumbnails = (page: Page) => page.locator("[data-screenshot-thumb]");

async function thumbnailLoaded(page: Page, index = 0) {
  // Thumbnails load lazily: bring this one into view first.
  await thumbnails(page).nth(index).scrollIntoViewIfNeeded();
  await expect
    .poll(() =>
      thumbnails(page)
        .nth(index)
        .locator("img")
        .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
    )
    .toBe(true);
}

describe("screenshots on a trade", () => {
  it("pastes an image, shows it compressed, opens it by keyboard, captions it and deletes it with its object", async () => {
    const { user, tradeId } = await userWithTrade();
    const { context, page } = await signIn(user, { viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/trades/${tradeId}`);
    const panel = page.locator("[data-screenshots-panel]");
    await panel.getByText("No screenshots yet.").waitFor();

    const pastedBytes = await pasteChart(page);
    await thumbnails(page).first().waitFor();
    await thumbnailLoaded(page);
    const [row] = await rowsOf(tradeId);
    // Compressed in the browser: long edge 1920, WebP, far smaller than what was pasted.
    expect(row).toMatchObject({ content_type: "image/webp", width: 1920, height: 1200 });
    expect(row!.bytes).toBeLessThan(pastedBytes);
    expect(row!.object_path).toMatch(new RegExp(`^${user.id}/${tradeId}/[0-9a-f-]{36}\\.webp$`));
    expect(await objectExists(row!.object_path)).toBe(true);
    await panel.getByText("1 of 10").waitFor();
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: "/tmp/b-panel-1280.png", fullPage: false });
    await saveScreenshot(page, "screenshots-panel-1280");

    // Keyboard: focus the thumbnail, Enter opens the viewer, Escape closes it and focus returns.
    await thumbnails(page).first().focus();
    await page.keyboard.press("Enter");
    const viewer = page.getByRole("dialog", { name: "Screenshot 1 of 1" });
    await viewer.waitFor();
    await expect.poll(() => viewer.getByTestId("screenshot-full").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1920);
    await page.keyboard.press("Escape");
    await viewer.waitFor({ state: "hidden" });
    expect(
      await thumbnails(page)
        .first()
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);

    // Caption.
    await thumbnails(page).first().click();
    await viewer.getByLabel("Caption").fill("London open sweep, entry on the retest");
    await viewer.getByRole("button", { name: "Save caption" }).click();
    await viewer.getByText("Caption saved.").waitFor();
    expect((await rowsOf(tradeId))[0]!.caption).toBe("London open sweep, entry on the retest");
    await page.screenshot({ path: "/tmp/b-viewer-1280.png" });
    await page.keyboard.press("Escape");
    await panel.getByText("London open sweep, entry on the retest").waitFor();

    // Delete: the row, the Storage object and its bytes are gone.
    await thumbnails(page).first().click();
    await viewer.getByRole("button", { name: "Delete" }).click();
    await viewer.getByRole("button", { name: "Yes, delete" }).click();
    await panel.getByText("No screenshots yet.").waitFor();
    expect(await rowsOf(tradeId)).toEqual([]);
    expect(await objectExists(row!.object_path)).toBe(false);
    expect(onDisk(row!.object_path)).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("uploads from the file picker at 375 px and fits the phone", async () => {
    const { user, tradeId } = await userWithTrade();
    const { context, page } = await signIn(user, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const errors = collectPageErrors(page);
    await page.goto(`${app.url}/trades/${tradeId}`);
    const panel = page.locator("[data-screenshots-panel]");
    await panel.getByText("No screenshots yet.").waitFor();
    await panel.locator('input[type="file"]').setInputFiles([
      { name: "tiny.png", mimeType: "image/png", buffer: PNG_3X2 },
      { name: "script.svg", mimeType: "image/svg+xml", buffer: SVG },
    ]);
    await thumbnails(page).first().waitFor();
    await thumbnailLoaded(page);
    // The SVG is turned away in the browser already; the server would refuse it by its bytes anyway.
    await panel
      .getByRole("alert")
      .getByText(/Only images can be added|not a PNG, JPEG or WebP/)
      .waitFor();
    const rows = await rowsOf(tradeId);
    // A 3 × 2 PNG is smaller than any re-encoding, so it goes up as it was.
    expect(rows.map((r) => r.content_type)).toEqual(["image/png"]);
    await pasteChart(page);
    await expect.poll(() => thumbnails(page).count()).toBe(2);
    await thumbnailLoaded(page, 1);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: "/tmp/b-panel-375.png" });
    await saveScreenshot(page, "screenshots-panel-375");
    await thumbnails(page).nth(1).click();
    await page.getByRole("dialog", { name: "Screenshot 2 of 2" }).waitFor();
    await page.screenshot({ path: "/tmp/b-viewer-375.png" });
    await page.getByRole("button", { name: "Previous screenshot" }).click();
    await page.getByRole("dialog", { name: "Screenshot 1 of 2" }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("uploads the original with the plain form when JavaScript is off, and says why a file was refused", async () => {
    const { user, tradeId } = await userWithTrade();
    const { context } = await signIn(user);
    const plain = await withoutJavaScript(context, { viewport: { width: 1280, height: 900 } });
    await plain.page.goto(`${app.url}/trades/${tradeId}`);
    const panel = plain.page.locator("[data-screenshots-panel]");
    await panel.locator('input[name="file"]').setInputFiles({ name: "tiny.png", mimeType: "image/png", buffer: PNG_3X2 });
    await panel.getByRole("button", { name: "Upload" }).click();
    await plain.page.waitForURL(`${app.url}/trades/${tradeId}`);
    await plain.page.locator("[data-screenshots-panel]").waitFor();
    await expect.poll(async () => (await rowsOf(tradeId)).map((r) => [r.content_type, r.bytes])).toEqual([["image/png", PNG_3X2.length]]);

    // An SVG renamed .png is refused by its bytes; the page comes back with the reason.
    await plain.page.locator('[data-screenshots-panel] input[name="file"]').setInputFiles({ name: "chart.png", mimeType: "image/png", buffer: SVG });
    await plain.page.locator("[data-screenshots-panel]").getByRole("button", { name: "Upload" }).click();
    await plain.page.waitForURL(/screenshotError=unsupported/);
    await plain.page
      .locator("[data-screenshots-panel]")
      .getByRole("alert")
      .getByText(/SVG is not accepted/)
      .waitFor();
    expect(await rowsOf(tradeId)).toHaveLength(1);
    await plain.page.screenshot({ path: "/tmp/b-nojs-1280.png", fullPage: true });
    await plain.context.close();
    await context.close();
  });
});
