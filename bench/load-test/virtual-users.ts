// The load test's traders, in a process of their own (forked by
// bench/load-test.ts, so their CPU and memory are not counted as the
// stack's). Each signs in through the login form, keeps a browser tab's
// Realtime connection (app/lib/realtime-session.ts: presence on its private
// topic, which is what makes the jobs process sync its MT5 account, and the
// live channel), then on "go" browses in a bounded loop with think time —
// dashboard, trade list, a trade, analytics; every few rounds the import page,
// an upload of a small real MT5 report, its preview, the import, the batch
// page and the undo (so the next import stores the same trades again) — until
// the stage ends. Halfway through, a burst of concurrent reads. Every request
// is recorded with its status; the parent judges them.
import { readFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { createClient } from "@supabase/supabase-js";
import { RealtimeSession, type LiveStatus } from "../../app/lib/realtime-session.ts";

export interface VirtualUser {
  email: string;
  password: string;
  userId: string;
  importAccountId: string;
  tradeIds: string[];
}

export interface VirtualUsersConfig {
  appUrl: string;
  supabaseUrl: string;
  anonKey: string;
  users: VirtualUser[];
  /** Pause between two requests of one user, uniform in [min, max] ms. */
  thinkMs: [number, number];
  /** Every this many rounds a user imports (and undoes) the file. */
  importEvery: number;
  importFile: string;
}

export type RequestKind = "read" | "write";

export interface RequestRecord {
  name: string;
  kind: RequestKind;
  status: number;
  ms: number;
  at: number;
  burst?: boolean;
  /** Set when the answer is not what a working app gives. */
  error?: string;
}

export type ParentMessage = { type: "go"; durationMs: number; burstAtMs: number; burstSize: number } | { type: "stop" };
export type ChildMessage =
  | { type: "ready"; signInMs: number[]; liveTabs: number }
  | { type: "done"; records: RequestRecord[]; liveTabsAtEnd: number }
  | { type: "failed"; message: string };

const send = (message: ChildMessage) => process.send!(message);
// The bench gone (it failed or was stopped): so are its traders, whatever they were waiting for.
process.on("disconnect", () => process.exit(0));

const config = JSON.parse(await readFile(process.argv[2]!, "utf8")) as VirtualUsersConfig;
const importBytes = new Uint8Array(await readFile(config.importFile));
const importName = config.importFile.split("/").pop()!;
const records: RequestRecord[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const think = () => sleep(config.thinkMs[0] + Math.random() * (config.thinkMs[1] - config.thinkMs[0]));

class Browser {
  readonly cookies = new Map<string, string>();
  session: RealtimeSession | null = null;
  status: LiveStatus = "connecting";
  round = 0;

  constructor(readonly user: VirtualUser) {}

  get cookie(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  keepCookies(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /**
   * One request as a browser makes it (cookies, compression, Origin on posts),
   * the body read to its end. `expect` names what is wrong with the answer, or null.
   */
  async request(
    name: string,
    kind: RequestKind,
    path: string,
    init: { method?: string; body?: BodyInit; expect?: (response: Response, body: string) => string | null; burst?: boolean } = {},
  ): Promise<{ response: Response | null; body: string }> {
    const started = performance.now();
    const at = Date.now();
    const headers: Record<string, string> = { cookie: this.cookie, "accept-encoding": "gzip, deflate, br", accept: "text/html" };
    if (init.method === "POST") headers.origin = config.appUrl;
    try {
      const response = await fetch(`${config.appUrl}${path}`, { method: init.method ?? "GET", body: init.body, headers, redirect: "manual" });
      const body = await response.text();
      const ms = performance.now() - started;
      this.keepCookies(response);
      const expect = init.expect ?? ((r: Response) => (r.status === 200 ? null : `answered ${r.status} ${r.headers.get("location") ?? ""}`));
      const error = expect(response, body);
      records.push({ name, kind, status: response.status, ms, at, ...(init.burst ? { burst: true } : {}), ...(error ? { error } : {}) });
      return { response, body };
    } catch (error) {
      const ms = performance.now() - started;
      records.push({ name, kind, status: 0, ms, at, error: error instanceof Error ? error.message : String(error) });
      return { response: null, body: "" };
    }
  }

  async signIn(): Promise<number> {
    const started = performance.now();
    const response = await fetch(`${config.appUrl}/login`, {
      method: "POST",
      body: new URLSearchParams({ email: this.user.email, password: this.user.password }),
      headers: { origin: config.appUrl },
      redirect: "manual",
    });
    if (response.status !== 302) throw new Error(`sign-in of ${this.user.email} answered ${response.status}`);
    this.keepCookies(response);
    return performance.now() - started;
  }

  /** The tab's Realtime connection, as the app shell opens it. */
  async openTab(): Promise<void> {
    const fetchToken = async () => {
      const { response, body } = await this.request("realtime token", "read", "/realtime/token");
      if (!response || response.status !== 200) throw new Error(`token: ${response?.status}`);
      const answer = JSON.parse(body) as { token: string; expiresInMs: number };
      return { token: answer.token, expiresAt: Date.now() + answer.expiresInMs };
    };
    this.session = new RealtimeSession({
      url: config.supabaseUrl,
      anonKey: config.anonKey,
      userId: this.user.userId,
      tabId: `tab-${randomBytes(12).toString("hex")}`,
      fetchToken,
      createClient,
      onStatus: (status) => (this.status = status),
    });
    await this.session.start();
  }

  pickTrade(): string {
    return this.user.tradeIds[Math.floor(Math.random() * this.user.tradeIds.length)]!;
  }

  async browse(until: number): Promise<void> {
    await sleep(Math.random() * config.thinkMs[1]);
    while (Date.now() < until) {
      const pages: [string, string][] = [
        ["dashboard", "/dashboard"],
        ["trade list", "/trades"],
        ["trade detail", `/trades/${this.pickTrade()}`],
        ["analytics", "/analytics"],
      ];
      for (const [name, path] of pages) {
        if (Date.now() >= until) return;
        await this.request(name, "read", path);
        await think();
      }
      this.round++;
      if (this.round % config.importEvery === 0 && Date.now() < until) await this.importAndUndo();
    }
  }

  /** The import page, upload, preview, import, the batch page, undo: what a trader does to bring in a report. */
  async importAndUndo(): Promise<void> {
    const redirectTo = (pattern: RegExp) => (response: Response) => {
      const location = response.headers.get("location") ?? "";
      return response.status === 302 && pattern.test(location) ? null : `answered ${response.status} ${location}`;
    };
    await this.request("import page", "read", "/trades/import");
    await think();
    const form = new FormData();
    form.set("accountId", this.user.importAccountId);
    form.set("file", new Blob([importBytes]), importName);
    const uploaded = await this.request("import upload", "write", "/trades/import", {
      method: "POST",
      body: form,
      expect: redirectTo(/\/trades\/import\/[0-9a-f-]{36}$/),
    });
    const uploadId = uploaded.response?.headers.get("location")?.split("/").pop();
    if (!uploadId || uploaded.response?.status !== 302) return;
    await this.request("import preview", "read", `/trades/import/${uploadId}`);
    await think();
    const confirmed = await this.request("import confirm", "write", `/trades/import/${uploadId}`, {
      method: "POST",
      body: new URLSearchParams({ intent: "import", accountId: this.user.importAccountId }),
      expect: redirectTo(/\/trades\/imports\/[0-9a-f-]{36}/),
    });
    const batchId = /\/trades\/imports\/([0-9a-f-]{36})/.exec(confirmed.response?.headers.get("location") ?? "")?.[1];
    if (!batchId) return;
    await this.request("import result", "read", `/trades/imports/${batchId}`, {
      expect: (r, body) => (r.status !== 200 ? `answered ${r.status}` : body.includes("Import complete") ? null : "no 'Import complete' on the page"),
    });
    await think();
    await this.request("import undo", "write", "/trades/imports", {
      method: "POST",
      body: new URLSearchParams({ intent: "undo", batchId, returnTo: "/trades/imports" }),
      expect: redirectTo(/^\/trades\/imports\?undone=1$/),
    });
    await this.request("import history", "read", "/trades/imports?undone=1");
    await think();
  }
}

/** `size` reads at once, spread over the users and the four pages. */
async function burst(browsers: Browser[], size: number): Promise<void> {
  await Promise.all(
    Array.from({ length: size }, (_, i) => {
      const browser = browsers[i % browsers.length]!;
      const pages: [string, string][] = [
        ["dashboard", "/dashboard"],
        ["trade list", "/trades"],
        ["trade detail", `/trades/${browser.pickTrade()}`],
        ["analytics", "/analytics"],
      ];
      const [name, path] = pages[i % pages.length]!;
      return browser.request(name, "read", path, { burst: true });
    }),
  );
}

async function main(): Promise<void> {
  const browsers = config.users.map((user) => new Browser(user));
  const signInMs: number[] = [];
  for (const browser of browsers) signInMs.push(await browser.signIn());
  await Promise.all(browsers.map((b) => b.openTab()));
  for (let i = 0; i < 100 && browsers.some((b) => b.status !== "live"); i++) await sleep(100);
  // Each page once per user first (the server's caches and JIT warm, as after any deploy's first minutes).
  for (const browser of browsers) {
    for (const path of ["/dashboard", "/trades", `/trades/${browser.pickTrade()}`, "/analytics"]) await browser.request("warm-up", "read", path);
  }
  const warmUpErrors = records.filter((r) => r.error).map((r) => `${r.name}: ${r.error}`);
  if (warmUpErrors.length) throw new Error(`the pages fail before the stage starts: ${warmUpErrors.slice(0, 3).join("; ")}`);
  records.length = 0; // sign-in, the first token and the warm-up are not the stage
  send({ type: "ready", signInMs, liveTabs: browsers.filter((b) => b.status === "live").length });

  const go = await new Promise<ParentMessage>((resolve) => process.once("message", (m) => resolve(m as ParentMessage)));
  if (go.type !== "go") process.exit(0);
  const until = Date.now() + go.durationMs;
  const bursting = sleep(go.burstAtMs).then(() => burst(browsers, go.burstSize));
  await Promise.all([...browsers.map((b) => b.browse(until)), bursting]);
  const liveTabsAtEnd = browsers.filter((b) => b.status === "live").length;
  send({ type: "done", records, liveTabsAtEnd });
  await new Promise((resolve) => process.once("message", resolve));
  await Promise.all(browsers.map((b) => b.session?.stop()));
  process.exit(0);
}

main().catch((error: unknown) => {
  send({ type: "failed", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  setTimeout(() => process.exit(1), 100);
});
