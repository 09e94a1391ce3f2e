// deploy/Caddyfile, adapted to Caddy's JSON by a real Caddy (Debian's caddy
// package; .ci/run installs it) and checked for what the deployment relies on:
// TLS for DOMAIN, Supabase's paths to Kong with X-Real-IP overwritten by the
// client's address (GoTrue's limits key on it), none on the app's and jobs'
// own calls (their fixed addresses, taken from docker-compose.yml), the rest
// to the app. Caddy 2.6 here, 2.10 in the image: the directives used are in both.
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { readCompose } from "./compose-checks.ts";
import { REPO_ROOT } from "./env-readers.ts";

const DOMAIN = "journal.example.com";

interface CaddyRoute {
  group?: string;
  match?: { host?: string[]; path?: string[]; remote_ip?: { ranges: string[] } }[];
  handle: {
    handler: string;
    routes?: CaddyRoute[];
    upstreams?: { dial: string }[];
    headers?: { request?: { set?: Record<string, string[]>; delete?: string[] } };
  }[];
}

async function adapt(
  file: string,
): Promise<
  { ok: true; config: { apps: { http: { servers: Record<string, { listen: string[]; routes: CaddyRoute[] }> } } } } | { ok: false; error: string }
> {
  const result = await execa("caddy", ["adapt", "--config", file, "--adapter", "caddyfile"], {
    cwd: REPO_ROOT,
    env: { DOMAIN, ACME_EMAIL: "ops@example.com" },
    reject: false,
  }).catch((error: unknown) => {
    throw new Error(`caddy is not installed (Debian: apt-get install caddy; .ci/run does it): ${String(error)}`);
  });
  return result.exitCode === 0 ? { ok: true, config: JSON.parse(result.stdout) } : { ok: false, error: result.stderr };
}

interface Proxy {
  paths: string[] | null;
  remoteIps: string[] | null;
  dial: string;
  setsRealIp: string | null;
  dropsRealIp: boolean;
}

/** The reverse proxies of DOMAIN's site, in the order Caddy tries them. */
function proxiesOf(routes: CaddyRoute[]): Proxy[] {
  const site = routes.find((route) => route.match?.some((m) => m.host?.includes(DOMAIN)));
  if (!site) throw new Error(`no site for ${DOMAIN}`);
  const proxies: Proxy[] = [];
  for (const route of site.handle.flatMap((h) => h.routes ?? [])) {
    const proxy = route.handle
      .flatMap((h) => h.routes ?? [])
      .flatMap((r) => r.handle)
      .find((h) => h.handler === "reverse_proxy");
    if (!proxy) continue;
    const realIp = Object.entries(proxy.headers?.request?.set ?? {}).find(([name]) => name.toLowerCase() === "x-real-ip");
    proxies.push({
      paths: route.match?.[0]?.path ?? null,
      remoteIps: route.match?.[0]?.remote_ip?.ranges ?? null,
      dial: proxy.upstreams![0]!.dial,
      setsRealIp: realIp ? realIp[1][0]! : null,
      dropsRealIp: (proxy.headers?.request?.delete ?? []).some((name) => name.toLowerCase() === "x-real-ip"),
    });
  }
  return proxies;
}

/** What the deployment needs from the proxy; an empty list when all holds. */
function routingProblems(proxies: Proxy[], ourAddresses: string[]): string[] {
  const problems: string[] = [];
  const supabasePaths = ["/auth/v1/*", "/realtime/v1/*", "/storage/v1/*"];
  const toKong = proxies.filter((p) => p.dial === "kong:8000");
  const publicKong = toKong.find((p) => p.remoteIps === null);
  const internalKong = toKong.find((p) => p.remoteIps !== null);
  if (!publicKong || !supabasePaths.every((path) => publicKong.paths?.includes(path))) problems.push("Supabase's paths do not all reach Kong");
  else if (publicKong.setsRealIp !== "{http.request.remote.host}") problems.push("X-Real-IP to Kong is not overwritten with the client's address");
  if (!internalKong) problems.push("the app's and jobs' own calls are not told apart");
  else {
    if (!internalKong.dropsRealIp) problems.push("the app's and jobs' own calls keep an X-Real-IP");
    if ([...internalKong.remoteIps!].sort().join() !== [...ourAddresses].sort().join())
      problems.push(`our servers are ${internalKong.remoteIps!.join(", ")}, not ${ourAddresses.join(", ")}`);
    if (proxies.indexOf(internalKong) > proxies.indexOf(publicKong!)) problems.push("the public Kong route is tried before our servers' one");
  }
  const last = proxies.at(-1);
  if (!last || last.dial !== "app:3000" || last.paths !== null) problems.push("everything else does not reach the app");
  return problems;
}

describe("deploy/Caddyfile", () => {
  const compose = readCompose(path.join(REPO_ROOT, "deploy/docker-compose.yml")) as unknown as {
    services: Record<string, { networks: Record<string, { ipv4_address?: string }> }>;
  };
  const ourAddresses = ["app", "jobs"].map((name) => compose.services[name]!.networks.rawjournal!.ipv4_address!);

  it("adapts, serves DOMAIN on 443 and routes as the deployment needs", async () => {
    const adapted = await adapt("deploy/Caddyfile");
    if (!adapted.ok) throw new Error(adapted.error);
    const server = Object.values(adapted.config.apps.http.servers).find((s) => s.listen.includes(":443"));
    expect(server).toBeDefined();
    expect(routingProblems(proxiesOf(server!.routes), ourAddresses)).toEqual([]);
  });

  it("refuses a Caddyfile that passes the client's X-Real-IP through and never tells our servers apart", async () => {
    const adapted = await adapt("tests/deploy/fixtures/Caddyfile.passes-x-real-ip");
    if (!adapted.ok) throw new Error(adapted.error);
    const routes = Object.values(adapted.config.apps.http.servers)[0]!.routes;
    expect(routingProblems(proxiesOf(routes), ourAddresses)).toEqual([
      "Supabase's paths do not all reach Kong",
      "the app's and jobs' own calls are not told apart",
    ]);
  });

  it("fails on an unknown directive", async () => {
    const adapted = await adapt("tests/deploy/fixtures/Caddyfile.syntax-error");
    expect(adapted.ok).toBe(false);
  });
});
