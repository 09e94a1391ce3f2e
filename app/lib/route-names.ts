// The route a URL reaches, by its Remix route id ("routes/_app.trades.$tradeId"):
// what a request's log line and error report name, the same for every trade
// id. Remix matches with React Router's matchRoutes, which flattens and ranks
// the whole route tree on every call (~160 µs for this app's 55 routes); this
// namer compiles each route's full path to a regex once and ranks candidates
// by React Router's own score, so naming a request costs a few microseconds.
// tests/logging/route-names.test.ts checks it names every route as
// matchRoutes does. A single-fetch data URL (/trades.data, /_root.data)
// names the page it loads.
import { matchRoutes, type AgnosticRouteObject } from "@remix-run/router";

export interface ManifestRoute {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
}

type Manifest = Record<string, ManifestRoute | undefined>;

interface CompiledRoute {
  id: string;
  pattern: RegExp;
  score: number;
}

/** The page a single-fetch data URL loads. */
export function pagePathOf(pathname: string): string {
  if (pathname === "/_root.data") return "/";
  return pathname.endsWith(".data") ? pathname.slice(0, -".data".length) : pathname;
}

/** React Router's computeScore: static segments outrank dynamic ones, a splat ranks last, an index route gains. */
function scoreOf(fullPath: string, index: boolean): number {
  const segments = fullPath.split("/");
  let score = segments.length + (segments.includes("*") ? -2 : 0) + (index ? 2 : 0);
  for (const segment of segments) {
    if (segment === "*") continue;
    score += /^:[\w-]+$/.test(segment) ? 3 : segment === "" ? 1 : 10;
  }
  return score;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** React Router's compilePath for an end-anchored match. */
function patternOf(fullPath: string, caseSensitive: boolean): RegExp {
  const base = fullPath.replace(/\/*\*?$/, "").replace(/^\/*/, "/");
  let source =
    "^" +
    base
      .split(/(:[\w-]+)/)
      .map((part) => (part.startsWith(":") ? "([^\\/]+)" : escapeRegex(part)))
      .join("");
  if (fullPath.endsWith("*")) source += fullPath === "*" || fullPath === "/*" ? "(.*)$" : "(?:\\/(.+)|\\/*)$";
  else source += "\\/*$";
  return new RegExp(source, caseSensitive ? undefined : "i");
}

function fullPathOf(manifest: Manifest, route: ManifestRoute): string {
  const parts: string[] = [];
  for (let current: ManifestRoute | undefined = route; current; current = current.parentId ? manifest[current.parentId] : undefined) {
    if (current.path) parts.unshift(current.path.replace(/^\/+|\/+$/g, ""));
  }
  return "/" + parts.filter(Boolean).join("/");
}

function compile(manifest: Manifest): CompiledRoute[] {
  const routes = Object.values(manifest).filter((route): route is ManifestRoute => route !== undefined);
  if (routes.some((route) => route.path?.includes("?"))) throw new Error("optional route segments: name routes with matchRoutes instead");
  return (
    routes
      // A route with neither path nor index (a pathless layout) never ends a match (React Router's flattenRoutes).
      .filter((route) => route.path !== undefined || route.index)
      .map((route) => {
        const fullPath = fullPathOf(manifest, route);
        return { id: route.id, pattern: patternOf(fullPath, route.caseSensitive ?? false), score: scoreOf(fullPath, route.index ?? false) };
      })
      .sort((a, b) => b.score - a.score)
  );
}

/** A namer over one build's routes: the deepest matching route's id, or null when none matches. */
export function routeNamer(manifest: Manifest): (pathname: string) => string | null {
  let compiled: CompiledRoute[] | null;
  try {
    compiled = compile(manifest);
  } catch {
    compiled = null;
  }
  if (!compiled) return slowRouteNamer(manifest);
  const routes = compiled;
  return (pathname) => {
    const path = pagePathOf(pathname) || "/";
    for (const route of routes) if (route.pattern.test(path)) return route.id;
    return null;
  };
}

function routeTree(manifest: Manifest, parentId?: string): AgnosticRouteObject[] {
  return Object.values(manifest)
    .filter((route): route is ManifestRoute => route !== undefined && route.parentId === parentId)
    .map((route) =>
      route.index
        ? { id: route.id, index: true, path: route.path, caseSensitive: route.caseSensitive }
        : { id: route.id, path: route.path, caseSensitive: route.caseSensitive, children: routeTree(manifest, route.id) },
    );
}

/** React Router's own matching: exact by definition, and what the fast namer is tested against. */
export function slowRouteNamer(manifest: Manifest): (pathname: string) => string | null {
  const tree = routeTree(manifest);
  return (pathname) => matchRoutes(tree, pagePathOf(pathname))?.at(-1)?.route.id ?? null;
}
