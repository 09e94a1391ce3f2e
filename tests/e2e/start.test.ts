// The README's run command, end to end: `npm start`'s script on a fresh data
// directory brings up PostgreSQL, the local Supabase and the app, and the page
// renders in real Chromium at phone and desktop widths.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { REPO_ROOT } from "../../supabase/local/database.ts";
import { collectPageErrors, launchChromium, saveScreenshot } from "../support/browser.ts";
import { freePort } from "../support/local-supabase.ts";

let stack: ReturnType<typeof execa> | null = null;
let scratch = "";
let appUrl = "";
let dbPort = 0;
let supabasePort = 0;
let output = "";
let readySeconds = Number.NaN;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "rj-start-"));
  const appPort = await freePort();
  dbPort = await freePort();
  supabasePort = await freePort();
  appUrl = `http://localhost:${appPort}`;
  const started = performance.now();
  stack = execa(path.join(REPO_ROOT, "node_modules/.bin/tsx"), ["scripts/start.ts"], {
    cwd: REPO_ROOT,
    env: {
      PORT: String(appPort),
      LOCAL_DB_PORT: String(dbPort),
      LOCAL_SUPABASE_PORT: String(supabasePort),
      RAWJOURNAL_DATA_DIR: path.join(scratch, "data"),
      RAWJOURNAL_ENV_FILE: path.join(scratch, ".env"),
      DATABASE_URL: "",
      // tests/support/global-setup.ts has built the app once for the whole run.
      RAWJOURNAL_SKIP_BUILD: "1",
      RAWJOURNAL_BUILD_DIR: inject("appBuildDir"),
    },
    extendEnv: true,
    reject: false,
    all: true,
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in 60 s:\n${output}`)), 60_000);
    stack!.all!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("[start] ready in")) {
        readySeconds = (performance.now() - started) / 1000;
        clearTimeout(timer);
        resolve();
      }
    });
    void stack!.then(() => reject(new Error(`npm start exited early:\n${output}`)));
  });
}, 90_000);

afterAll(async () => {
  stack?.kill("SIGINT");
  await stack;
  await rm(scratch, { recursive: true, force: true });
}, 30_000);

describe("npm start on a fresh data directory", () => {
  it("is ready within 60 s", () => {
    expect(readySeconds).toBeLessThan(60);
  });

  it("serves the app, the local Supabase and a migrated database", async () => {
    expect((await fetch(`${appUrl}/healthz`)).status).toBe(200);
    const settings = await fetch(`http://127.0.0.1:${supabasePort}/auth/v1/settings`);
    expect(settings.status).toBeLessThan(500);
    const client = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${dbPort}/postgres` });
    await client.connect();
    const { rows } = await client.query("select count(*)::int as n from supabase_migrations.schema_migrations");
    await client.end();
    expect(rows[0].n).toBeGreaterThan(0);
  });

  it("renders the page at 375 px without horizontal scroll or console errors, and at desktop width", async () => {
    const browser = await launchChromium();
    try {
      for (const [width, height] of [[375, 812], [1280, 800]] as const) {
        const page = await browser.newPage({ viewport: { width, height } });
        const errors = collectPageErrors(page);
        const response = await page.goto(appUrl, { waitUntil: "networkidle" });
        expect(response?.status()).toBe(200);
        expect(await page.locator("h1").first().textContent()).toMatch(/RawJournal|journal/i);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        expect(background).toBe("rgb(10, 10, 15)");
        await saveScreenshot(page, `start-landing-${width}`);
        expect(errors).toEqual([]);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
});
