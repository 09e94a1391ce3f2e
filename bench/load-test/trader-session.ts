// One trader's browser as the load test drives it: its cookies, and the
// requests of a click (bench/load-test/client-round.ts) sent the way the
// browser sends them — the headers of a document, a `.data` fetch, a
// prefetch or a JSON fetch, Origin on posts, compression — each answer read
// to its end, timed and judged (a `.data` answer: 200 with a turbo-stream
// body; a form's redirect: 202 with the redirect in the body; a document's:
// 302). Used by the load test's traders (virtual-users.ts) and by the test
// that replays a round against the app (tests/e2e/load-test-navigation.test.ts).
import { clickRequests, type Click, type Navigation, type PlannedRequest, type SessionIds } from "./client-round.ts";

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

export interface SentRequest {
  method: string;
  path: string;
  prefetch: boolean;
  form?: Record<string, string>;
}

export interface ImportFile {
  bytes: Uint8Array<ArrayBuffer>;
  name: string;
}

const ACCEPT: Record<PlannedRequest["accept"], string> = {
  document: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  data: "*/*",
  json: "*/*",
};
const CONTENT_TYPE: Record<PlannedRequest["accept"], string> = { document: "text/html", data: "text/x-script", json: "application/json" };

export class TraderSession {
  readonly cookies = new Map<string, string>();
  /** Every request sent, in order (what the navigation test compares with Chromium's). */
  readonly sent: SentRequest[] = [];

  constructor(
    readonly appUrl: string,
    readonly records: RequestRecord[],
    readonly importFile: ImportFile | null = null,
  ) {}

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
   * One request as a browser makes it, the body read to its end. `expect` names what is wrong with the answer, or
   * null (default: anything but 200 is wrong).
   */
  async request(
    name: string,
    kind: RequestKind,
    path: string,
    init: {
      method?: string;
      body?: BodyInit;
      accept?: PlannedRequest["accept"];
      prefetch?: boolean;
      expect?: (response: Response, body: string) => string | null;
      burst?: boolean;
    } = {},
  ): Promise<{ response: Response | null; body: string }> {
    const started = performance.now();
    const at = Date.now();
    const headers: Record<string, string> = {
      cookie: this.cookie,
      "accept-encoding": "gzip, deflate, br",
      accept: ACCEPT[init.accept ?? "document"],
    };
    if (init.method === "POST") headers.origin = this.appUrl;
    if (init.prefetch) headers["sec-purpose"] = "prefetch";
    try {
      const response = await fetch(`${this.appUrl}${path}`, { method: init.method ?? "GET", body: init.body, headers, redirect: "manual" });
      const body = await response.text();
      const ms = performance.now() - started;
      this.keepCookies(response);
      const expect = init.expect ?? ((r: Response) => (r.status === 200 ? null : `answered ${r.status} ${r.headers.get("location") ?? ""}`));
      const error = expect(response, body);
      this.records.push({ name, kind, status: response.status, ms, at, ...(init.burst ? { burst: true } : {}), ...(error ? { error } : {}) });
      return { response, body };
    } catch (error) {
      const ms = performance.now() - started;
      this.records.push({ name, kind, status: 0, ms, at, error: error instanceof Error ? error.message : String(error) });
      return { response: null, body: "" };
    }
  }

  /** A page read outside a click (the burst, the warm-up): 200 with the answer's content type. */
  read(name: string, path: string, { burst = false } = {}): Promise<{ response: Response | null; body: string }> {
    const accept = path.includes(".data") ? "data" : "document";
    return this.request(name, "read", path, { accept, burst, expect: (r, body) => judge(accept, { status: 200 }, r, body) });
  }

  /**
   * The requests of one click, in the order the browser sends them; ids learned from a redirect (the upload, the
   * batch) are written into `ids`. Stops at the first request whose answer is wrong (a browser would show an error).
   */
  async click(click: Click, navigation: Navigation, ids: SessionIds): Promise<boolean> {
    const planned = clickRequests(click, navigation);
    for (let i = 0; i < planned.length; i++) {
      const step = planned[i]!;
      if (step.pollWhileBeforeMs !== undefined) continue; // sent alongside the request before it
      const poll = planned[i + 1]?.pollWhileBeforeMs !== undefined ? planned[i + 1]! : null;
      let inFlight = true;
      const polling = poll ? this.pollWhile(poll, ids, () => inFlight) : Promise.resolve();
      const ok = await this.send(step, ids).finally(() => (inFlight = false));
      await polling;
      if (!ok) return false;
    }
    return true;
  }

  private async pollWhile(step: PlannedRequest, ids: SessionIds, active: () => boolean): Promise<void> {
    // As the page does: one poll at once, then one 300 ms after each answer while the import runs.
    do {
      await this.send(step, ids);
      if (active()) await new Promise((resolve) => setTimeout(resolve, step.pollWhileBeforeMs));
    } while (active());
  }

  private async send(step: PlannedRequest, ids: SessionIds): Promise<boolean> {
    const path = step.path(ids);
    let body: BodyInit | undefined;
    let form: Record<string, string> | undefined;
    if (step.form) {
      form = step.form(ids);
      body = new URLSearchParams(form);
    } else if (step.upload) {
      if (!this.importFile) throw new Error("this session has no import file");
      const data = new FormData();
      data.set("accountId", ids.importAccountId);
      data.set("file", new Blob([this.importFile.bytes]), this.importFile.name);
      form = { accountId: ids.importAccountId, file: `(file ${this.importFile.name})` };
      body = data;
    }
    this.sent.push({ method: step.method, path, prefetch: step.prefetch ?? false, ...(form ? { form } : {}) });
    const { response, body: text } = await this.request(step.name, step.kind, path, {
      method: step.method,
      body,
      accept: step.accept,
      prefetch: step.prefetch,
      expect: (r, answer) => judge(step.accept, step.expect, r, answer),
    });
    if (!response || judge(step.accept, step.expect, response, text)) return false;
    if ("learn" in step.expect && step.expect.learn) {
      const location = response.headers.get("location") ?? "";
      ids[step.expect.learn] = /([0-9a-f-]{36})$/.exec(location)?.[1];
    }
    return true;
  }
}

/** What is wrong with an answer, or null: what a working app gives for this kind of request. */
export function judge(accept: PlannedRequest["accept"], expect: PlannedRequest["expect"], response: Response, body: string): string | null {
  const type = response.headers.get("content-type") ?? "";
  if ("redirect" in expect) {
    const location = response.headers.get("location") ?? "";
    if (accept === "data") {
      // Single fetch: 202 (never cached, never followed by fetch), the redirect in the turbo-stream body.
      if (response.status !== 202) return `answered ${response.status} (not a single-fetch redirect) ${location}`;
      if (!expect.redirect.test(location) || !body.includes(`"${location}"`)) return `redirected to ${location || "nowhere"}`;
      return null;
    }
    return response.status === 302 && expect.redirect.test(location) ? null : `answered ${response.status} ${location}`;
  }
  if (response.status !== 200) return `answered ${response.status} ${response.headers.get("location") ?? ""}`;
  if (!type.startsWith(CONTENT_TYPE[accept])) return `answered ${type || "no content type"}, not ${CONTENT_TYPE[accept]}`;
  if (accept === "data" && !body.startsWith("[")) return "the .data answer is not a turbo-stream";
  if (expect.contains && !body.includes(expect.contains)) return `no '${expect.contains}' in the answer`;
  return null;
}
