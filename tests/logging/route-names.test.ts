// The request log's route names (app/lib/route-names.ts): the compiled namer
// names every URL as React Router's matchRoutes (Remix's own matching) does.
import { describe, expect, it } from "vitest";
import { pagePathOf, routeNamer, slowRouteNamer, type ManifestRoute } from "~/lib/route-names.ts";

// The shapes the app's routes take (app/routes): root, a pathless layout with
// index-less children, an index page, static siblings of a dynamic segment,
// nested dynamic segments, an escaped dot, a splat.
const manifest: Record<string, ManifestRoute> = Object.fromEntries(
  (
    [
      { id: "root", path: "" },
      { id: "routes/_index", parentId: "root", index: true },
      { id: "routes/_app", parentId: "root" },
      { id: "routes/_app.dashboard", parentId: "routes/_app", path: "dashboard" },
      { id: "routes/_app.trades", parentId: "routes/_app", path: "trades" },
      { id: "routes/_app.trades._index", parentId: "routes/_app.trades", index: true },
      { id: "routes/_app.trades.new", parentId: "routes/_app.trades", path: "new" },
      { id: "routes/_app.trades.$tradeId", parentId: "routes/_app", path: "trades/:tradeId" },
      { id: "routes/_app.trades.$tradeId_.edit", parentId: "routes/_app", path: "trades/:tradeId/edit" },
      { id: "routes/trades.imports.$batchId.rejected[.csv]", parentId: "root", path: "trades/imports/:batchId/rejected.csv" },
      { id: "routes/_app.journal.$date.review", parentId: "routes/_app", path: "journal/:date/review" },
      { id: "routes/healthz", parentId: "root", path: "healthz" },
      { id: "routes/$", parentId: "root", path: "*" },
    ] satisfies ManifestRoute[]
  ).map((route) => [route.id, route]),
);

const paths = [
  "/",
  "/dashboard",
  "/DASHBOARD/",
  "/dashboard.data",
  "/_root.data",
  "/trades",
  "/trades/",
  "/trades/new",
  "/trades/new.data",
  "/trades/9b2f",
  "/trades/9b2f/edit",
  "/trades/9b2f/edit/x",
  "/trades/imports/7/rejected.csv",
  "/trades/imports/7/rejectedxcsv",
  "/journal/2026-12-07/review",
  "/healthz",
  "/no/such/page",
  "/build/_shared/chunk.js",
];

describe("route names", () => {
  it("names every path as React Router's matchRoutes does", () => {
    const fast = routeNamer(manifest);
    const exact = slowRouteNamer(manifest);
    for (const path of paths) expect([path, fast(path)]).toEqual([path, exact(path)]);
  });

  it("names the page, the same for every id, and the page a data URL loads", () => {
    const name = routeNamer(manifest);
    expect(name("/trades/1")).toBe("routes/_app.trades.$tradeId");
    expect(name("/trades/2.data")).toBe("routes/_app.trades.$tradeId");
    expect(name("/trades/new")).toBe("routes/_app.trades.new");
    expect(name("/")).toBe("routes/_index");
    expect(name("/no/such/page")).toBe("routes/$");
    expect(pagePathOf("/_root.data")).toBe("/");
  });

  it("without a splat route an unknown path names none", () => {
    const { "routes/$": _splat, ...withoutSplat } = manifest;
    expect(routeNamer(withoutSplat)("/no/such/page")).toBeNull();
  });
});
