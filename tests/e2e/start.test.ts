// The README's run command, end to end: `npm start`'s script on a fresh data
// directory brings up PostgreSQL, the local Supabase and the app, and the page
// renders in real Chromium at phone and desktop widths. The stack runs on a
// Saturday whatever the real day (RAWJOURNAL_CLOCK shifts the clock of the
// app, the jobs and the simulator alike): the demo must be alive at the
// weekend, when only its crypto CFDs trade.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { readFile } from "node:fs/promises";
import { PLANS } from "../../app/domain/entitlements.ts";
import { stripeClientFor } from "../../app/lib/stripe-client.server.ts";
import { DEMO_USER } from "../../scripts/seed-demo.ts";
import { parseEnvFile } from "../../supabase/local/keys.ts";
import { REPO_ROOT } from "../../supabase/local/database.ts";
import { collectPageErrors, launchChromium, saveScreenshot } from "../support/browser.ts";
import { horizontalOverflow } from "../support/browser-suite.ts";
import { freePort } from "../support/local-supabase.ts";

let stack: ReturnType<typeof execa> | null = null;
let scratch = "";
let appUrl = "";
let dbPort = 0;
let supabasePort = 0;
let stripePort = 0;
let output = "";
let readySeconds = Number.NaN;
/** Saturday 5 December 2026, 15:00 UTC: the FX week is closed. */
const SATURDAY = "2026-12-05T15:00:00Z";

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "rj-start-"));
  const appPort = await freePort();
  dbPort = await freePort();
  supabasePort = await freePort();
  stripePort = await freePort();
  appUrl = `http://localhost:${appPort}`;
  const started = performance.now();
  stack = execa(path.join(REPO_ROOT, "node_modules/.bin/tsx"), ["scripts/start.ts"], {
    cwd: REPO_ROOT,
    env: {
      PORT: String(appPort),
      LOCAL_DB_PORT: String(dbPort),
      LOCAL_SUPABASE_PORT: String(supabasePort),
      LOCAL_STRIPE_PORT: String(stripePort),
      RAWJOURNAL_DATA_DIR: path.join(scratch, "data"),
      RAWJOURNAL_ENV_FILE: path.join(scratch, ".env"),
      DATABASE_URL: "",
      RAWJOURNAL_CLOCK: SATURDAY,
      RAWJOURNAL_CLOCK_OFFSET_MS: "",
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

  it("gives the web process the public key and its own login only; the jobs process the private key (ADR 021)", async () => {
    // The real children's environments, as the kernel holds them.
    const environments: Array<{ command: string; env: Record<string, string> }> = [];
    for (const pid of (await readdir("/proc")).filter((name) => /^\d+$/.test(name))) {
      const [command, environ] = await Promise.all([
        readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => ""),
        readFile(`/proc/${pid}/environ`, "utf8").catch(() => ""),
      ]);
      const env = Object.fromEntries(environ.split("\0").map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]));
      if (env.RAWJOURNAL_DATA_DIR === path.join(scratch, "data")) environments.push({ command: command.replaceAll("\0", " "), env });
    }
    const web = environments.find((p) => p.command.includes("scripts/serve.ts"))?.env;
    const jobs = environments.find((p) => p.command.includes("jobs/index.ts") && p.env.CREDENTIALS_PRIVATE_KEYS)?.env;
    expect(web, "the web process").toBeDefined();
    expect(jobs, "the jobs process").toBeDefined();
    for (const name of ["CREDENTIALS_PRIVATE_KEYS", "ENCRYPTION_KEYS", "DATABASE_URL", "SUPABASE_SERVICE_ROLE_KEY"])
      expect(web, name).not.toHaveProperty(name);
    expect(web!.CREDENTIALS_PUBLIC_KEYS).toMatch(/^sealed1:/);
    expect(new URL(web!.APP_DATABASE_URL!).username).toBe("rawjournal_web");
    expect(Object.values(web!).join("\n")).not.toContain(jobs!.CREDENTIALS_PRIVATE_KEYS!.split(":")[1]);
    expect(new URL(jobs!.APP_DATABASE_URL!).username).toBe("authenticator");
    // The demo's MT5 password is stored sealed to that key pair.
    const client = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${dbPort}/postgres` });
    await client.connect();
    const { rows } = await client.query<{ key_id: string; version: number }>(
      "select key_id, get_byte(password_ciphertext, 0) as version from public.account_credentials",
    );
    await client.end();
    expect(rows).toEqual([{ key_id: "sealed1", version: 2 }]);
  });

  it("serves the local Stripe stand-in with the plan prices and delivers its signed events to the app's webhook", async () => {
    const env = parseEnvFile(await readFile(path.join(scratch, ".env"), "utf8"));
    expect(env.STRIPE_SECRET_KEY).toMatch(/^sk_test_local_\w+$/);
    expect(env.STRIPE_WEBHOOK_SECRET).toMatch(/^whsec_\w+$/);
    const stripe = stripeClientFor({ secretKey: env.STRIPE_SECRET_KEY, apiUrl: `http://127.0.0.1:${stripePort}` });
    expect(await stripe.prices.retrieve(env.STRIPE_PRICE_ELITE_YEARLY!)).toMatchObject({ unit_amount: PLANS.elite.yearlyPriceUsdCents });
    const customer = await stripe.customers.create({ email: "start-test@example.test" });
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer: customer.id,
      line_items: [{ price: env.STRIPE_PRICE_PRO_MONTHLY!, quantity: 1 }],
      success_url: `${appUrl}/settings/billing/success?session_id={CHECKOUT_SESSION_ID}`,
    });
    const pay = await fetch(`${session.url}/pay`, { method: "POST", redirect: "manual" });
    expect(pay.status).toBe(303);
    // The app verified the signature with its own STRIPE_WEBHOOK_SECRET (a bad one is answered 400).
    await expect.poll(() => output, { timeout: 10_000 }).toMatch(/\[stripe\] webhook checkout\.session\.completed evt_\w+ → 200/);
    expect(output).not.toContain(env.STRIPE_SECRET_KEY!);
    expect(output).not.toContain(env.STRIPE_WEBHOOK_SECRET!);
  });

  it("renders the page at 375 px without horizontal scroll or console errors, and at desktop width", async () => {
    const browser = await launchChromium();
    try {
      for (const [width, height] of [
        [375, 812],
        [1280, 800],
      ] as const) {
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
      // The first paint never shows the demo's balance as $0.00: either its figures or "Syncing…".
      const card = page.locator("[data-account-id]").first();
      expect(
        (await card.locator('[data-figure="balance"]').count()) ? await card.locator('[data-figure="balance"]').innerText() : "syncing",
      ).not.toBe("$0.00");
      // The sign-in puts the tab on the user's presence topic; the first sync fills the page within a minute.
      const recent = page.getByRole("list", { name: "Recently closed trades" });
      await recent.locator("li").first().waitFor({ timeout: 60_000 });
      const client = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${dbPort}/postgres` });
      // The stack stops the database at teardown; a connection left open must not surface as an unhandled 57P01.
      client.on("error", () => {});
      await client.connect();
      try {
        const demo = async () =>
          (
            await client.query<{ n: number; synced: Date | null; world: string; symbols: string[]; crypto: number }>(
              `select (select count(*)::int from public.trades t where t.account_id = a.id) as n,
                    a.last_synced_at as synced,
                    (select count(*) || ':' || coalesce(sum(t.closed_volume), 0) from public.trades t where t.account_id = a.id)
                      || '|' || coalesce((select string_agg(p.position_id, ',' order by p.position_id) from public.open_positions p where p.account_id = a.id), '') as world,
                    array(select distinct t.symbol from public.trades t where t.account_id = a.id and t.opened_at >= $1::timestamptz - interval '15 hours') as symbols,
                    (select count(*)::int from public.trades t where t.account_id = a.id and t.symbol in ('BTCUSD', 'ETHUSD')) as crypto
               from public.accounts a where a.mt5_login = 50100100`,
              [SATURDAY],
            )
          ).rows[0]!;
        const first = await demo();
        expect(first.n).toBeGreaterThan(10);
        // The demo shows the journal in use: entries on its latest trades, a playbook, a daily review.
        const { rows: journal } = await client.query<{ entries: number; reviews: number; playbooks: number; tagged: number }>(
          `select (select count(*)::int from public.journals j join public.trades t on t.id = j.trade_id join public.accounts a on a.id = t.account_id
                    where a.mt5_login = 50100100) as entries,
                  (select count(*)::int from public.daily_journals d join public.accounts a on a.user_id = d.user_id where a.mt5_login = 50100100) as reviews,
                  (select count(*)::int from public.playbooks p join public.accounts a on a.user_id = p.user_id where a.mt5_login = 50100100) as playbooks,
                  (select count(*)::int from public.trade_tags g join public.accounts a on a.user_id = g.user_id where a.mt5_login = 50100100) as tagged`,
        );
        expect(journal[0]).toEqual({ entries: 5, reviews: 1, playbooks: 1, tagged: expect.any(Number) });
        expect(journal[0]!.tagged).toBeGreaterThan(5);
        // Saturday: only the demo's crypto CFDs have traded since Friday's FX close (Saturday 00:00 UTC at the latest);
        // its history's crypto trades are what keep its sync at the weekday cadence.
        expect(first.crypto).toBeGreaterThan(0);
        expect(first.symbols.every((symbol) => symbol === "BTCUSD" || symbol === "ETHUSD")).toBe(true);
        // The demo keeps trading (a deal every 20–40 s) and the light syncs keep running every 15 s, weekend or not:
        // within a minute the stored world (trades, closed volume, open positions) changes and the sync time moves.
        const deadline = Date.now() + 60_000;
        let now = first;
        while (Date.now() < deadline && (now.world === first.world || now.synced!.getTime() <= first.synced!.getTime())) {
          await new Promise((r) => setTimeout(r, 1_000));
          now = await demo();
        }
        expect(now.synced!.getTime()).toBeGreaterThan(first.synced!.getTime());
        expect(now.world).not.toBe(first.world);
      } finally {
        await client.end().catch(() => {});
      }
      expect(await page.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
      await saveScreenshot(page, "start-demo-dashboard");
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 150_000);
});
