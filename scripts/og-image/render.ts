// Renders og-image.svg into public/og-image.png (1200 × 630), the preview
// image link previews show for the public pages (app/lib/seo-meta.ts). Run it
// after editing the SVG and commit both; nothing renders it at build time.
//
//   node scripts/og-image/render.ts
import { readFile } from "node:fs/promises";
import path from "node:path";
import { chromium } from "playwright-core";
import { REPO_ROOT } from "../../supabase/local/database.ts";

const SOURCE = path.join(REPO_ROOT, "scripts/og-image/og-image.svg");
const TARGET = path.join(REPO_ROOT, "public/og-image.png");

const svg = await readFile(SOURCE, "utf8");
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 630 }, deviceScaleFactor: 1 });
  await page.setContent(`<!doctype html><html><body style="margin:0;background:#0a0a0f">${svg}</body></html>`);
  await page.screenshot({ path: TARGET, clip: { x: 0, y: 0, width: 1200, height: 630 } });
  console.log(`wrote ${path.relative(REPO_ROOT, TARGET)}`);
} finally {
  await browser.close();
}
