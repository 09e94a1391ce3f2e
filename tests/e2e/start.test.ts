// The README's run command, end to end: `npm start`'s script on a fresh data
// directory brings up PostgreSQL, the local Supabase and the app, and the page
// renders in real Chromium at phone and desktop widths.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_USER } from "../../scripts/seed-demo.ts";
import { REPO_ROOT } from "../../supabase/local/database.ts";
import { collectPageErrors, launchChromium, saveScreenshot } from "../support/browser.ts";
import { horizontalOverflow } from "../support/browser-suite.ts";
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
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
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

  it("seeds a demo user whose simulated MT5 account syncs live once they sign in", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors = collectPageErrors(page);
      await page.goto(`${appUrl}/login`);
      await page.getByLabel("Email").fill(DEMO_USER.email);
      await page.getByLabel("Password", { exact: true }).fill(DEMO_USER.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(`${appUrl}/dashboard`);
      await page.evaluate(() => ((window as unknown as { stillTheSamePage: boolean }).stillTheSamePage = true));
      // The sign-in puts the tab on the user's presence topic; the first sync fills the page within a minute.
      const recent = page.getByRole("list", { name: "Recently closed trades" });
      await recent.locator("li").first().waitFor({ timeout: 60_000 });
      const client = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${dbPort}/postgres` });
      await client.connect();
      const synced = async () =>
        (await client.query<{ n: number; synced: Date | null }>(
          `select (select count(*)::int from public.trades t join public.accounts a on a.id = t.account_id where a.mt5_login = 50100100) as n,
                  (select last_synced_at from public.accounts where mt5_login = 50100100) as synced`,
        )).rows[0]!;
      const first = await synced();
      expect(first.n).toBeGreaterThan(10);
      // The demo account keeps trading (a deal every 20–40 s) and the light syncs keep running every 15 s.
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && (await synced()).synced!.getTime() <= first.synced!.getTime()) await new Promise((r) => setTimeout(r, 1_000));
      expect((await synced()).synced!.getTime()).toBeGreaterThan(first.synced!.getTime());
      await client.end();
      expect(await page.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
      await saveScreenshot(page, "start-demo-dashboard");
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 150_000);
});
