// What a real browser sends while a trader uses the app: headless Chromium
// clicks through the load test's round (dashboard, trade list, a trade,
// analytics) and its import round (trade list, Import, upload, preview,
// import, the batch page, Undo, confirm) with the app's own links and buttons,
// and every request it makes is recorded per click. The load test's client
// mode (bench/load-test/client-round.ts) replays exactly these requests; the
// test tests/e2e/load-test-navigation.test.ts fails when the two part ways,
// so when the app changes how it navigates, re-run this to see what changed:
//
//   npx tsx bench/load-test/record-navigation.ts        (JSON lines on stdout)
//
// A mouse user rests on a link before clicking it, so every link is hovered
// for 300 ms first: the sidebar's links prefetch on intent (100 ms), and that
// prefetch is part of what the browser really sends.
import type { Page } from "playwright-core";
import { IMPORT_CLICKS, READING_CLICKS, type Click } from "./client-round.ts";

export interface RecordedRequest {
  /** The click (or the first document load) that caused it. */
  click: string;
  method: string;
  /** Path and query, with this session's ids written as {trade}, {upload}, {batch}, {account}, {version}. */
  path: string;
  resourceType: string;
  /** 0: no answer (aborted). */
  status: number;
  /** Chromium answered it from its own cache: the server never saw it. */
  fromCache: boolean;
  /** Request headers that tell the server what kind of request this is. */
  headers: Record<string, string>;
  /** Response headers that say how the answer is encoded (single fetch's redirects, content type). */
  responseHeaders: Record<string, string>;
  /** Form fields of a POST (names and values, files by name), ids written as placeholders. */
  form?: Record<string, string>;
}

export interface NavigationIds {
  tradeId?: string;
  uploadId?: string;
  batchId?: string;
  accountId?: string;
}

const REQUEST_HEADERS = ["accept", "content-type", "purpose", "sec-purpose", "x-remix-response", "sec-fetch-mode", "sec-fetch-dest"];
const RESPONSE_HEADERS = ["content-type", "location", "x-remix-response", "x-remix-redirect", "x-remix-status", "x-remix-reload", "cache-control"];

/** A page's path with the session's ids as placeholders, so two sessions' recordings compare equal. */
export function placeholders(text: string, ids: NavigationIds): string {
  let out = text;
  for (const [key, name] of [
    ["tradeId", "trade"],
    ["uploadId", "upload"],
    ["batchId", "batch"],
    ["accountId", "account"],
  ] as const) {
    const id = ids[key];
    if (id) out = out.split(id).join(`{${name}}`);
  }
  return out.replace(/([?&]version=)[^&]+/, "$1{version}");
}

/** Fields of a urlencoded or multipart body as Chromium sent it (a file's part by its file name). */
function formFields(contentType: string, body: Buffer | null): Record<string, string> {
  // Chromium does not show DevTools the body of a post with a file in it.
  if (!body) return contentType.startsWith("multipart/form-data") ? { "(multipart)": "(fields not shown)" } : {};
  if (contentType.startsWith("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(body.toString("utf8")));
  const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
  if (!boundary) return { body: `${body.length} bytes of ${contentType}` };
  const fields: Record<string, string> = {};
  for (const part of body.toString("latin1").split(`--${boundary}`)) {
    const name = /name="([^"]*)"/.exec(part)?.[1];
    if (!name) continue;
    const file = /filename="([^"]*)"/.exec(part)?.[1];
    fields[name] = file !== undefined ? `(file ${file})` : part.slice(part.indexOf("\r\n\r\n") + 4).replace(/\r\n$/, "");
  }
  return fields;
}

interface Seen {
  click: string;
  url: string;
  method: string;
  resourceType: string;
  headers: Record<string, string>;
  postData: Buffer | null;
  status: number;
  responseHeaders: Record<string, string>;
  /** Answered from Chromium's cache (memory, disk or prefetch): the server never saw it. */
  fromCache: boolean;
  done: boolean;
}

const lower = (headers: Record<string, unknown>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));

/**
 * Records what the page requests, through Chromium's own network events (DevTools protocol): what went to the
 * server and what Chromium answered from its caches, with the headers it really sent. `step` runs a click and
 * waits until the network has been quiet for `quietMs` (a client navigation has no load event to wait for).
 */
export class NavigationRecorder {
  private readonly seen = new Map<string, Seen>();
  private click = "";

  private constructor(readonly appUrl: string) {}

  static async attach(page: Page, appUrl: string): Promise<NavigationRecorder> {
    const recorder = new NavigationRecorder(appUrl);
    const origin = new URL(appUrl).origin;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    cdp.on("Network.requestWillBeSent", (event) => {
      if (new URL(event.request.url).origin !== origin) return;
      // A new document ends the old one's requests (Chromium may not report them as failed).
      if (event.type === "Document") for (const seen of recorder.seen.values()) seen.done = true;
      const entries = event.request.postDataEntries?.map((entry) => Buffer.from(entry.bytes ?? "", "base64"));
      recorder.seen.set(event.requestId, {
        click: recorder.click,
        url: event.request.url,
        method: event.request.method,
        resourceType: event.type ?? "Other",
        headers: lower(event.request.headers),
        postData: entries?.length ? Buffer.concat(entries) : event.request.postData ? Buffer.from(event.request.postData) : null,
        status: 0,
        responseHeaders: {},
        fromCache: false,
        done: false,
      });
    });
    cdp.on("Network.requestWillBeSentExtraInfo", (event) => {
      const seen = recorder.seen.get(event.requestId);
      if (seen) Object.assign(seen.headers, lower(event.headers));
    });
    cdp.on("Network.requestServedFromCache", (event) => {
      const seen = recorder.seen.get(event.requestId);
      if (seen) seen.fromCache = true;
    });
    cdp.on("Network.responseReceived", (event) => {
      const seen = recorder.seen.get(event.requestId);
      if (!seen) return;
      seen.status = event.response.status;
      seen.responseHeaders = lower(event.response.headers);
      if (event.response.fromDiskCache || event.response.fromPrefetchCache || event.response.fromServiceWorker) seen.fromCache = true;
    });
    const finish = (event: { requestId: string }) => {
      const seen = recorder.seen.get(event.requestId);
      if (seen) seen.done = true;
    };
    cdp.on("Network.loadingFinished", finish);
    cdp.on("Network.loadingFailed", finish);
    return recorder;
  }

  async step(click: string, action: () => Promise<void>, quietMs = 700): Promise<void> {
    this.click = click;
    await action();
    let quietSince = Date.now();
    for (const deadline = Date.now() + 30_000; Date.now() - quietSince < quietMs;) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const pending = [...this.seen.values()].filter((s) => !s.done);
      if (pending.length) quietSince = Date.now();
      if (Date.now() > deadline) throw new Error(`${click}: still waiting after 30 s for ${pending.map((s) => `${s.method} ${s.url}`).join(", ")}`);
    }
  }

  /** Every request in the order Chromium sent it, the session's ids as placeholders. */
  result(ids: NavigationIds): RecordedRequest[] {
    return [...this.seen.values()].map((seen) => {
      const url = new URL(seen.url);
      return {
        click: seen.click,
        method: seen.method,
        path: placeholders(decodeURIComponent(url.pathname) + decodeURIComponent(url.search), ids),
        resourceType: seen.resourceType,
        status: seen.status,
        fromCache: seen.fromCache,
        headers: Object.fromEntries(REQUEST_HEADERS.filter((h) => seen.headers[h] !== undefined).map((h) => [h, seen.headers[h]!])),
        responseHeaders: Object.fromEntries(
          RESPONSE_HEADERS.filter((h) => seen.responseHeaders[h] !== undefined).map((h) => [h, placeholders(seen.responseHeaders[h]!, ids)]),
        ),
        ...(seen.method === "POST"
          ? {
              form: Object.fromEntries(
                Object.entries(formFields(seen.headers["content-type"] ?? "", seen.postData)).map(([k, v]) => [k, placeholders(v, ids)]),
              ),
            }
          : {}),
      };
    });
  }
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** Hover as a mouse user does (the sidebar prefetches on intent), then click. */
async function clickLink(page: Page, link: ReturnType<Page["locator"]>): Promise<void> {
  await link.hover();
  await page.waitForTimeout(300);
  await link.click();
}

/** One of the load test's clicks (bench/load-test/client-round.ts), done in Chromium with the app's own links and buttons. */
async function perform(page: Page, appUrl: string, click: Click, ids: NavigationIds, importFile: string): Promise<void> {
  const sidebar = (name: string) => page.getByRole("complementary", { name: "Main" }).getByRole("link", { name, exact: true });
  const heading = (name: string) => page.getByRole("heading", { level: 1, name }).waitFor();
  const dashboard = () => page.getByText("Your accounts as the broker reports them").waitFor();
  switch (click) {
    case "dashboard (reload)":
      await page.goto(`${appUrl}/dashboard`);
      return dashboard();
    case "dashboard":
      await clickLink(page, sidebar("Dashboard"));
      return dashboard();
    case "trade list":
      await clickLink(page, sidebar("Trades"));
      return heading("Trades");
    case "trade detail": {
      const link = page.locator(`main table a[href='/trades/${ids.tradeId}']`).first();
      await clickLink(page, link);
      await page.waitForURL(`${appUrl}/trades/${ids.tradeId}`);
      await page
        .getByRole("main")
        .getByRole("heading", { level: 1 })
        .filter({ hasNotText: /^Trades$/ })
        .waitFor();
      return;
    }
    case "analytics":
      await clickLink(page, sidebar("Analytics"));
      return heading("Analytics");
    case "import page":
      await clickLink(page, page.getByRole("main").getByRole("link", { name: "Import", exact: true }));
      await heading("Import trades");
      return page.getByLabel("Report file").waitFor();
    case "import upload":
      await page.getByLabel("Account", { exact: true }).selectOption(ids.accountId!);
      await page.getByLabel("Report file").setInputFiles(importFile);
      await page.getByRole("button", { name: "Upload and preview" }).click();
      await page.waitForURL(/\/trades\/import\/[0-9a-f-]{36}$/);
      ids.uploadId = page.url().split("/").pop();
      return page.getByRole("button", { name: /^Import \d+ trades?$/ }).waitFor();
    case "import confirm":
      await page.getByRole("button", { name: /^Import \d+ trades?$/ }).click();
      await page.waitForURL(/\/trades\/imports\/[0-9a-f-]{36}$/);
      ids.batchId = page.url().split("/").pop();
      return page.getByText("Import complete", { exact: true }).first().waitFor();
    case "undo link":
      await clickLink(page, page.getByRole("link", { name: /^Undo import of/ }));
      return page.getByRole("button", { name: "Yes, undo this import" }).waitFor();
    case "import undo":
      await page.getByRole("button", { name: "Yes, undo this import" }).click();
      return page.getByText(/This import was undone/).waitFor();
  }
}

/** The clicks of the load test's rounds after the session's first document: a round, then an import round. */
export const ROUND: Click[] = [...READING_CLICKS, ...IMPORT_CLICKS];

/**
 * The load test's rounds clicked in Chromium on a signed-in page, each click's requests labelled `<round>:<step>:<click>`:
 * the session's first document (round 0), `rounds` times a round and an import round (the first round starts
 * on the dashboard the document showed), then a reload of the dashboard. The trade opened is the trade list's
 * first; the import goes into `importAccountId`.
 */
export async function recordBrowsing(
  page: Page,
  appUrl: string,
  { importFile, importAccountId, rounds = 2 }: { importFile: string; importAccountId: string; rounds?: number },
): Promise<{ requests: RecordedRequest[]; ids: NavigationIds }> {
  const recorder = await NavigationRecorder.attach(page, appUrl);
  const ids: NavigationIds = { accountId: importAccountId };
  let n = 0;
  const step = (round: number, click: Click) => recorder.step(`${round}:${++n}:${click}`, () => perform(page, appUrl, click, ids, importFile));
  await step(0, "dashboard (reload)");
  for (let round = 1; round <= rounds; round++) {
    for (const click of ROUND) {
      if (round === 1 && click === "dashboard") continue;
      if (click === "trade detail" && !ids.tradeId) {
        ids.tradeId = UUID.exec((await page.locator("main table a[href^='/trades/']").first().getAttribute("href")) ?? "")?.[0];
      }
      await step(round, click);
    }
  }
  await step(rounds + 1, "dashboard (reload)");
  return { requests: recorder.result(ids), ids };
}

/** One request as the comparison reads it: method, path, whether a prefetch, the form's fields. */
export function describeRequest(method: string, path: string, prefetch: boolean, form?: Record<string, string>): string {
  const multipart = form && Object.values(form).some((value) => value.startsWith("(file ") || value === "(fields not shown)");
  const fields = multipart
    ? " multipart"
    : form
      ? ` ${JSON.stringify(Object.fromEntries(Object.entries(form).sort(([a], [b]) => a.localeCompare(b))))}`
      : "";
  return `${method} ${path}${prefetch ? " (prefetch)" : ""}${fields}`;
}

/**
 * What reached the server, click by click, from round `from` on: not what Chromium answered from its cache, not
 * the build's static files or the icon (cached for good after a session's first page), not a route-manifest
 * lookup of paths all looked up before in the recording (Chromium caches those answers; it asks again here
 * only because a reload forgot which links it had seen); the import's progress polls, as many as the import
 * took, counted once.
 */
export function serverRequests(requests: RecordedRequest[], from: number): Map<string, string[]> {
  const lookedUp = new Set<string>();
  const out = new Map<string, string[]>();
  for (const request of requests) {
    const round = Number(request.click.split(":")[0]);
    if (request.fromCache || request.path.startsWith("/build/") || request.path === "/favicon.svg") continue;
    if (request.path.startsWith("/__manifest?")) {
      const paths = new URLSearchParams(request.path.slice("/__manifest?".length)).getAll("p");
      const seen = paths.every((p) => lookedUp.has(p));
      paths.forEach((p) => lookedUp.add(p));
      if (seen) continue;
    }
    if (round < from) continue;
    const list = out.get(request.click) ?? [];
    const line = describeRequest(request.method, request.path, request.headers["sec-purpose"] === "prefetch", request.form);
    if (!(line.endsWith("/progress") && list.at(-1) === line)) list.push(line);
    out.set(request.click, list);
  }
  return out;
}

// Run on its own: the bench's stack, one seeded trader, the rounds in Chromium, every request as a JSON line.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { randomBytes } = await import("node:crypto");
  const path = await import("node:path");
  const pg = (await import("pg")).default;
  const { parseEncryptionKeys } = await import("../../app/lib/credential-crypto.server.ts");
  const { REPO_ROOT } = await import("../../supabase/local/database.ts");
  const { startBenchStack } = await import("../support/app-stack.ts");
  const { launchChromium, signedInPage } = await import("../support/browser.ts");
  const { seedUser, USER_PASSWORD } = await import("./seed.ts");
  const encryptionKeys = `legacy:${randomBytes(32).toString("base64")}`;
  const stack = await startBenchStack("record-navigation", { env: { ENCRYPTION_KEYS: encryptionKeys } });
  const owner = new pg.Client({ connectionString: stack.databaseUrl });
  const browser = await launchChromium();
  try {
    await owner.connect();
    const user = await seedUser(stack, owner, parseEncryptionKeys(encryptionKeys), 1, 300);
    const { page } = await signedInPage(browser, stack.appUrl, await stack.signIn(user.email, USER_PASSWORD));
    const importFile = path.resolve(REPO_ROOT, "tests/fixtures/real/public/vantage-en/ReportHistory-25858699.xlsx");
    const { requests } = await recordBrowsing(page, stack.appUrl, { importFile, importAccountId: user.importAccountId });
    for (const request of requests) console.log(JSON.stringify(request));
    process.stderr.write("\nWhat reached the server per click (from the second round on):\n");
    for (const [click, lines] of serverRequests(requests, 2)) process.stderr.write(`${click}\n${lines.map((l) => `    ${l}\n`).join("")}`);
  } finally {
    await browser.close();
    await owner.end();
    await stack.stop();
  }
}
