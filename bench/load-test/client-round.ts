// The load test's clicks and the requests each one makes, in either way of
// navigating (BENCH_NAVIGATION):
//
// - "client", as Chromium browses this app (Remix v2 single fetch with lazy
//   route discovery; recorded by bench/load-test/record-navigation.ts, kept
//   equal by tests/e2e/load-test-navigation.test.ts): only a session's first
//   page and a reload are documents; a click on a link fetches
//   `<path>.data` (every loader of the page: the app has no route that opts
//   out, so no `_routes`); the navigation links do not prefetch (their
//   answers are `no-store`, so a prefetch only doubled the server's work
//   until the app dropped it). A form posts to
//   `<path>.data`, answered 202 with the redirect in the body, and the page
//   then loads the new location's `.data`. A path the browser has not seen
//   yet (a new upload, a new batch) is first looked up in `/__manifest`
//   (lookups of links seen before are answered from Chromium's cache and
//   never reach the server). The trade page loads its screenshots through a
//   fetcher; the dashboard loads itself again once its Realtime socket joins
//   after a document load; the preview polls the import's progress every
//   300 ms while the import runs.
// - "document", as the load test browsed before: every click a full
//   server-rendered document, every form a post answered 302 and the
//   redirect's document.
//
// The clicks are the same in both: a round is dashboard, trade list, a trade,
// analytics; an import round is trade list, Import, upload (then the
// preview), Import N trades (then the batch page), Undo, Yes, undo.
import type { RequestKind } from "./trader-session.ts";

export type Navigation = "client" | "document";

export interface SessionIds {
  tradeId: string;
  importAccountId: string;
  /** The build's manifest version, as the page sends it to `/__manifest`. */
  version: string;
  uploadId?: string;
  batchId?: string;
}

export type Expect =
  | { status: 200; contains?: string }
  /** A redirect to a location matching `to`: 302 for a document post, 202 with the redirect in the body for `.data`. */
  | { redirect: RegExp; learn?: "uploadId" | "batchId" };

export interface PlannedRequest {
  /** The figure it counts under. */
  name: string;
  kind: RequestKind;
  method: "GET" | "POST";
  /** Path and query; may use ids learned from earlier answers of the same click. */
  path: (ids: SessionIds) => string;
  /** Sent as a prefetch (`Sec-Purpose: prefetch`), as a sidebar link's hover does. */
  prefetch?: boolean;
  /** A `.data` answer (turbo-stream), a document, or JSON. */
  accept: "data" | "document" | "json";
  /** A urlencoded form body. */
  form?: (ids: SessionIds) => Record<string, string>;
  /** The import page's multipart upload (the account and the report file). */
  upload?: boolean;
  /** Repeated every this many ms while the request before it in the click is in flight (the import's progress). */
  pollWhileBeforeMs?: number;
  expect: Expect;
}

export type Click =
  | "dashboard"
  | "dashboard (reload)"
  | "trade list"
  | "trade detail"
  | "analytics"
  | "import page"
  | "import upload"
  | "import confirm"
  | "undo link"
  | "import undo";

export const READING_CLICKS: Click[] = ["dashboard", "trade list", "trade detail", "analytics"];
export const IMPORT_CLICKS: Click[] = ["trade list", "import page", "import upload", "import confirm", "undo link", "import undo"];

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const ok: Expect = { status: 200 };
const get = (
  name: string,
  path: (ids: SessionIds) => string,
  accept: PlannedRequest["accept"],
  extra: Partial<PlannedRequest> = {},
): PlannedRequest => ({
  name,
  kind: "read",
  method: "GET",
  path,
  accept,
  expect: ok,
  ...extra,
});
const manifest = (paths: (ids: SessionIds) => string[]): PlannedRequest =>
  get(
    "route manifest",
    (ids) =>
      `/__manifest?${paths(ids)
        .map((p) => `p=${encodeURIComponent(p)}`)
        .join("&")}&version=${ids.version}`,
    "json",
  );

/** A sidebar link: the click's own fetch (no prefetch on intent). */
const sidebar = (name: string, path: string): PlannedRequest[] => [get(name, () => `${path}.data`, "data")];

const batchPath = (ids: SessionIds) => `/trades/imports/${ids.batchId}`;

/** The requests one click makes, in order. */
export function clickRequests(click: Click, navigation: Navigation): PlannedRequest[] {
  if (navigation === "document") return documentRequests(click);
  switch (click) {
    case "dashboard (reload)":
      return [
        get("dashboard", () => "/dashboard", "document"),
        get("realtime token", () => "/realtime/token", "json"),
        // The dashboard catches up once the new document's socket joins (use-live-dashboard.ts).
        get("dashboard (socket joined)", () => "/dashboard.data", "data"),
      ];
    case "dashboard":
      return sidebar("dashboard", "/dashboard");
    case "trade list":
      return sidebar("trade list", "/trades");
    case "trade detail":
      return [
        get("trade detail", (ids) => `/trades/${ids.tradeId}.data`, "data"),
        get("trade screenshots", (ids) => `/screenshots.data?trade=${ids.tradeId}&_routes=routes/screenshots`, "data"),
      ];
    case "analytics":
      return sidebar("analytics", "/analytics");
    case "import page":
      return [get("import page", () => "/trades/import.data", "data")];
    case "import upload":
      return [
        {
          name: "import upload",
          kind: "write",
          method: "POST",
          path: () => "/trades/import.data",
          accept: "data",
          upload: true,
          expect: { redirect: new RegExp(`^/trades/import/${UUID}$`), learn: "uploadId" },
        },
        manifest((ids) => [`/trades/import/${ids.uploadId}`]),
        get("import preview", (ids) => `/trades/import/${ids.uploadId}.data`, "data"),
      ];
    case "import confirm":
      return [
        {
          name: "import confirm",
          kind: "write",
          method: "POST",
          path: (ids) => `/trades/import/${ids.uploadId}.data`,
          accept: "data",
          form: (ids) => ({ accountId: ids.importAccountId, intent: "import" }),
          expect: { redirect: new RegExp(`^/trades/imports/${UUID}$`), learn: "batchId" },
        },
        get("import progress", (ids) => `/trades/import/${ids.uploadId}/progress`, "json", { pollWhileBeforeMs: 300 }),
        manifest((ids) => [batchPath(ids)]),
        get("import result", (ids) => `${batchPath(ids)}.data`, "data"),
      ];
    case "undo link":
      return [get("undo confirm", (ids) => `${batchPath(ids)}.data?undo=${ids.batchId}`, "data")];
    case "import undo":
      return [
        {
          name: "import undo",
          kind: "write",
          method: "POST",
          path: () => "/trades/imports.data",
          accept: "data",
          form: (ids) => ({ batchId: ids.batchId!, returnTo: batchPath(ids), intent: "undo" }),
          expect: { redirect: new RegExp(`^/trades/imports/${UUID}\\?undone=1$`) },
        },
        get("import result (undone)", (ids) => `${batchPath(ids)}.data?undone=1`, "data"),
      ];
  }
}

/** The same clicks as documents: a GET per page; a form posts, is answered 302, and the browser loads the redirect. */
function documentRequests(click: Click): PlannedRequest[] {
  const doc = (name: string, path: (ids: SessionIds) => string, extra: Partial<PlannedRequest> = {}) => get(name, path, "document", extra);
  switch (click) {
    case "dashboard":
    case "dashboard (reload)":
      return [doc("dashboard", () => "/dashboard")];
    case "trade list":
      return [doc("trade list", () => "/trades")];
    case "trade detail":
      return [doc("trade detail", (ids) => `/trades/${ids.tradeId}`)];
    case "analytics":
      return [doc("analytics", () => "/analytics")];
    case "import page":
      return [doc("import page", () => "/trades/import")];
    case "import upload":
      return [
        {
          name: "import upload",
          kind: "write",
          method: "POST",
          path: () => "/trades/import",
          accept: "document",
          upload: true,
          expect: { redirect: new RegExp(`/trades/import/${UUID}$`), learn: "uploadId" },
        },
        doc("import preview", (ids) => `/trades/import/${ids.uploadId}`),
      ];
    case "import confirm":
      return [
        {
          name: "import confirm",
          kind: "write",
          method: "POST",
          path: (ids) => `/trades/import/${ids.uploadId}`,
          accept: "document",
          form: (ids) => ({ accountId: ids.importAccountId, intent: "import" }),
          expect: { redirect: new RegExp(`/trades/imports/${UUID}$`), learn: "batchId" },
        },
        doc("import result", batchPath, { expect: { status: 200, contains: "Import complete" } }),
      ];
    case "undo link":
      return [doc("undo confirm", (ids) => `${batchPath(ids)}?undo=${ids.batchId}`)];
    case "import undo":
      return [
        {
          name: "import undo",
          kind: "write",
          method: "POST",
          path: () => "/trades/imports",
          accept: "document",
          form: (ids) => ({ batchId: ids.batchId!, returnTo: batchPath(ids), intent: "undo" }),
          expect: { redirect: new RegExp(`/trades/imports/${UUID}\\?undone=1$`) },
        },
        doc("import result (undone)", (ids) => `${batchPath(ids)}?undone=1`),
      ];
  }
}

/** The four pages of a round as the burst reads them: `.data` in client mode, documents otherwise. */
export function burstPaths(navigation: Navigation, tradeId: string): [string, string][] {
  const suffix = navigation === "client" ? ".data" : "";
  return [
    ["dashboard", `/dashboard${suffix}`],
    ["trade list", `/trades${suffix}`],
    ["trade detail", `/trades/${tradeId}${suffix}`],
    ["analytics", `/analytics${suffix}`],
  ];
}

/** The manifest version a document names (its `/build/manifest-<VERSION>.js`), which `/__manifest` lookups send. */
export function manifestVersion(html: string): string | null {
  return /\/build\/manifest-([0-9A-Fa-f]+)\.js/.exec(html)?.[1]?.toLowerCase() ?? null;
}
