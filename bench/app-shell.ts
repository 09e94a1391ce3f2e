// App shell figures (issue 4):
//  - server time of the signed-in dashboard shell with a real session cookie
//    against the app server, p95 (target < 30 ms; the JWT is verified locally);
//  - JavaScript a first visit downloads, gzip: /login (target < 150 KB) and the
//    dashboard shell (script tags + modulepreload links, each gzipped);
//  - a Lighthouse-style load in headless Chromium: no layout shift
//    (PerformanceObserver layout-shift sum == 0) and no console errors.
import { gzipSync } from "node:zlib";
import pg from "pg";
import { startBenchStack } from "./support/app-stack.ts";
import { launchChromium } from "./support/browser.ts";

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return +sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(2);
};

const stack = await startBenchStack("app-shell", { fast: true });
const { appUrl } = stack;

// A confirmed user with two accounts, signed in through the real login form.
const email = "bench@example.test";
const password = "bench-password-1";
const userId = await stack.createUser(email, password, "pro");
const owner = new pg.Client({ connectionString: stack.databaseUrl });
await owner.connect();
await owner.query("insert into public.accounts (user_id, name) values ($1, 'Main'), ($1, 'Prop firm')", [userId]);
await owner.end();
const cookie = await stack.signIn(email, password);

// 1. Server time of the signed-in shell (document request, loopback).
async function timeRequests(url: string, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const response = await fetch(url, { headers: { cookie } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    times.push(performance.now() - started);
  }
  return times;
}
await timeRequests(`${appUrl}/dashboard`, 50);
const shellTimes = await timeRequests(`${appUrl}/dashboard`, 400);
const dataTimes = await timeRequests(`${appUrl}/dashboard.data`, 200);

// 2. JavaScript on first load, gzip.
async function firstLoadJs(pathname: string, headers: Record<string, string> = {}) {
  const html = await (await fetch(`${appUrl}${pathname}`, { headers })).text();
  const urls = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) urls.add(m[1]!);
  for (const m of html.matchAll(/<link\b[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) urls.add(m[1]!);
  for (const m of html.matchAll(/<link\b[^>]*href="([^"]+)"[^>]*rel="modulepreload"/g)) urls.add(m[1]!);
  let gzip = 0;
  let raw = 0;
  for (const url of urls) {
    const body = Buffer.from(await (await fetch(new URL(url, appUrl))).arrayBuffer());
    raw += body.length;
    gzip += gzipSync(body, { level: 9 }).length;
  }
  const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!).join("");
  const inlineGzip = gzipSync(Buffer.from(inline), { level: 9 }).length;
  return {
    files: urls.size,
    rawKb: +(raw / 1024).toFixed(1),
    gzipKb: +(gzip / 1024).toFixed(1),
    inlineScriptsGzipKb: +(inlineGzip / 1024).toFixed(1),
  };
}
const loginJs = await firstLoadJs("/login");
const dashboardJs = await firstLoadJs("/dashboard", { cookie });

// 3. Lighthouse-style load checks in Chromium.
const browser = await launchChromium();
async function pageLoad(pathname: string, width: number, signedIn: boolean) {
  const context = await browser.newContext({ viewport: { width, height: 800 } });
  if (signedIn) {
    await context.addCookies(
      cookie.split("; ").map((pair) => {
        const [name, ...value] = pair.split("=");
        return { name: name!, value: value.join("="), url: appUrl };
      }),
    );
  }
  await context.addInitScript(() => {
    const w = window as unknown as { __cls: number; __shifted: string[] };
    w.__cls = 0;
    w.__shifted = [];
    type Shift = PerformanceEntry & { value: number; hadRecentInput: boolean; sources?: { node?: Node }[] };
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as Shift[]) {
        if (entry.hadRecentInput) continue;
        w.__cls += entry.value;
        for (const source of entry.sources ?? []) w.__shifted.push((source.node as Element | undefined)?.outerHTML?.slice(0, 100) ?? "?");
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${appUrl}${pathname}`, { waitUntil: "networkidle" });
  await page.waitForTimeout(500);
  const { cls, shifted } = await page.evaluate(() => {
    const w = window as unknown as { __cls: number; __shifted: string[] };
    return { cls: w.__cls, shifted: w.__shifted };
  });
  const nav = await page.evaluate(() => {
    const [entry] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
    return { ttfbMs: +(entry!.responseStart - entry!.requestStart).toFixed(1), loadMs: +entry!.loadEventEnd.toFixed(1) };
  });
  await context.close();
  return {
    path: pathname,
    width,
    layoutShift: cls,
    consoleErrors: errors.length,
    ...nav,
    ...(shifted.length ? { shifted } : {}),
    ...(errors.length ? { errors } : {}),
  };
}
const loads = [];
for (const width of [375, 1280]) {
  loads.push(await pageLoad("/", width, false));
  loads.push(await pageLoad("/login", width, false));
  loads.push(await pageLoad("/dashboard", width, true));
  loads.push(await pageLoad("/settings/profile", width, true));
}
await browser.close();

const summary = {
  signedInShellServerMs: {
    document: { p50: percentile(shellTimes, 50), p95: percentile(shellTimes, 95), n: shellTimes.length },
    data: { p50: percentile(dataTimes, 50), p95: percentile(dataTimes, 95), n: dataTimes.length },
    targetP95: 30,
  },
  firstLoadJsGzipKb: { login: loginJs, dashboard: dashboardJs, targetLogin: 150 },
  pageLoads: loads,
  allLoadsClean: loads.every((l) => l.layoutShift === 0 && l.consoleErrors === 0),
};
console.log(JSON.stringify(summary, null, 2));

await stack.stop();
