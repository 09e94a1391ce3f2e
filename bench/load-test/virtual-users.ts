// The load test's traders, in a process of their own (forked by
// bench/load-test.ts, so their CPU and memory are not counted as the
// stack's). Each signs in through the login form, keeps a browser tab's
// Realtime connection (app/lib/realtime-session.ts: presence on its private
// topic, which is what makes the jobs process sync its MT5 account, and the
// live channel), then on "go" browses in a bounded loop with think time —
// dashboard, trade list, a trade, analytics; every few rounds the trade list,
// the import page, an upload of a small real MT5 report (its preview), the
// import (the batch page), Undo and its confirmation (so the next import
// stores the same trades again) — until the stage ends. Each click makes the
// requests a browser makes for it (client-round.ts: `.data` fetches as
// Chromium sends them, a document load at the session's start and every few
// rounds as a reload; or, for comparison, a document per click). Halfway
// through, a burst of concurrent reads. Every request is recorded with its
// status; the parent judges them.
import { readFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { createClient } from "@supabase/supabase-js";
import { RealtimeSession, type LiveStatus } from "../../app/lib/realtime-session.ts";
import { burstPaths, IMPORT_CLICKS, manifestVersion, READING_CLICKS, type Navigation, type SessionIds } from "./client-round.ts";
import { TraderSession, type RequestRecord } from "./trader-session.ts";

export type { RequestKind, RequestRecord } from "./trader-session.ts";

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
  /** How the traders' browsers navigate (client-round.ts). */
  navigation: Navigation;
  /** In client mode, every this many rounds starts with a reload (a document) instead of a click. */
  reloadEvery: number;
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

class Browser extends TraderSession {
  session: RealtimeSession | null = null;
  status: LiveStatus = "connecting";
  round = 0;
  /** The build's manifest version, read from the session's first document. */
  version = "";

  constructor(readonly user: VirtualUser) {
    super(config.appUrl, records, { bytes: importBytes, name: importName });
  }

  /**
   * Every trader signs in from 127.0.0.1, so past GoTrue's burst of 30 password grants an address
   * (the local Auth keeps its limits, ADR 020) a sign-in is refused with Retry-After: waited out as a
   * person would, before the stage (sign-ins are not the stage's requests).
   */
  async signIn(): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      const response = await fetch(`${config.appUrl}/login`, {
        method: "POST",
        body: new URLSearchParams({ email: this.user.email, password: this.user.password }),
        headers: { origin: config.appUrl },
        redirect: "manual",
      });
      if (response.status === 429 && attempt < 30) {
        await response.arrayBuffer();
        await sleep(Math.max(1, Number(response.headers.get("retry-after") ?? 2)) * 1000);
        continue;
      }
      if (response.status !== 302) throw new Error(`sign-in of ${this.user.email} answered ${response.status}`);
      this.keepCookies(response);
      return performance.now() - started;
    }
  }

  /** The tab's Realtime connection, as the app shell opens it. */
  async openTab(): Promise<void> {
    const fetchToken = async () => {
      const { response, body } = await this.request("realtime token", "read", "/realtime/token", { accept: "json" });
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

  ids(): SessionIds {
    return { tradeId: this.pickTrade(), importAccountId: this.user.importAccountId, version: this.version };
  }

  async browse(until: number): Promise<void> {
    await sleep(Math.random() * config.thinkMs[1]);
    while (Date.now() < until) {
      // The session opens with a document, and people reload now and then; otherwise the dashboard is a click.
      const reload = config.navigation === "client" && this.round % config.reloadEvery === 0;
      const ids = this.ids();
      for (const click of READING_CLICKS) {
        if (Date.now() >= until) return;
        await this.click(click === "dashboard" && reload ? "dashboard (reload)" : click, config.navigation, ids);
        await think();
      }
      this.round++;
      if (this.round % config.importEvery === 0 && Date.now() < until) await this.importAndUndo();
    }
  }

  /** Trades, Import, upload (the preview), Import N trades (the batch page), Undo, Yes: what a trader does to bring in a report. */
  async importAndUndo(): Promise<void> {
    const ids = this.ids();
    for (const click of IMPORT_CLICKS) {
      if (!(await this.click(click, config.navigation, ids))) return;
      await think();
    }
  }
}

/** `size` reads at once, spread over the users and the four pages (`.data` in client mode, documents otherwise). */
async function burst(browsers: Browser[], size: number): Promise<void> {
  await Promise.all(
    Array.from({ length: size }, (_, i) => {
      const browser = browsers[i % browsers.length]!;
      const [name, path] = burstPaths(config.navigation, browser.pickTrade())[i % 4]!;
      return browser.read(name, path, { burst: true });
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
    for (const path of ["/dashboard", "/trades", `/trades/${browser.pickTrade()}`, "/analytics"]) {
      const { body } = await browser.read("warm-up", path);
      browser.version ||= manifestVersion(body) ?? "";
    }
    if (!browser.version) throw new Error("the documents name no manifest version (/build/manifest-<version>.js)");
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
