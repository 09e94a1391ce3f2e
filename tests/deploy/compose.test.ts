// Static checks of the production compose file (issue 19 item 1). Nothing here
// runs Docker: the file is parsed and checked, and each check is shown to
// refuse a broken fixture, so a check that stopped looking would fail too.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  interpolatedVariables,
  memoryLimitTotal,
  excessEnvironment,
  missingEnvironment,
  missingHealthchecks,
  missingLimits,
  parseBytes,
  readCompose,
  undocumentedVariables,
  unpinnedImages,
} from "./compose-checks.ts";
import { appVariables, jobsVariables, REPO_ROOT } from "./env-readers.ts";

const COMPOSE_FILE = path.join(REPO_ROOT, "deploy/docker-compose.yml");
const FIXTURES = path.join(import.meta.dirname, "fixtures");
const fixture = (name: string) => readCompose(path.join(FIXTURES, name));

/** The box: 2 vCPU, 8 GB. Limits must leave 1 GB to the kernel, Docker and page cache. */
const BOX_CORES = 2;
/** 7 GB read as 7e9 bytes, the stricter of 7 GB and 7 GiB. */
const MEMORY_BUDGET_BYTES = 7_000_000_000;

/**
 * Variables a process reads that production leaves unset on purpose. Each is
 * still documented in .env.example (checked below) and must still be read by
 * the code (else this list has gone stale).
 */
const UNSET_IN_PRODUCTION: Record<"app" | "jobs", Record<string, string>> = {
  app: {
    STRIPE_API_URL: "the local Stripe stand-in's URL; unset, the Stripe client talks to api.stripe.com",
    // credential-crypto.server.ts is loaded for its shared types, but since ADR 021 the web never decrypts.
    ENCRYPTION_KEYS: "the pre-021 symmetric keys: only the jobs re-seal rows stored under them",
  },
  jobs: {},
};

/** Read by Node itself and by libraries (NODE_ENV), not necessarily by our code. */
const RUNTIME_ONLY = ["NODE_OPTIONS", "NODE_ENV"];

function required(service: "app" | "jobs"): string[] {
  const reads = service === "app" ? appVariables() : jobsVariables();
  return [...reads].filter((name) => !(name in UNSET_IN_PRODUCTION[service]));
}

describe("deploy/docker-compose.yml", () => {
  const compose = readCompose(COMPOSE_FILE);

  it("parses, with the Supabase services, our three images and the proxy", () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ["app", "auth", "caddy", "db", "jobs", "kong", "mt5-worker", "realtime", "rest", "storage"].sort(),
    );
    expect(compose.services.db!.image).toMatch(/^supabase\/postgres:15\./);
    expect(compose.services.auth!.image).toMatch(/^supabase\/gotrue:/);
    expect(compose.services.realtime!.image).toMatch(/^supabase\/realtime:/);
    expect(compose.services.storage!.image).toMatch(/^supabase\/storage-api:/);
    expect(compose.services.kong!.image).toMatch(/^kong:/);
  });

  it("pins every image to an explicit version, ours to package.json's", () => {
    expect(unpinnedImages(compose)).toEqual([]);
    const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    for (const ours of ["app", "jobs", "mt5-worker"]) expect(compose.services[ours]!.image).toBe(`rawjournal-${ours}:${version}`);
  });

  it("gives every service a healthcheck", () => {
    expect(missingHealthchecks(compose)).toEqual([]);
  });

  it("limits every service's memory and CPUs", () => {
    expect(missingLimits(compose, BOX_CORES)).toEqual([]);
  });

  it("keeps the memory limits within 7 GB of the 8 GB box", () => {
    expect(memoryLimitTotal(compose)).toBeLessThanOrEqual(MEMORY_BUDGET_BYTES);
  });

  it("justifies each memory limit in deploy/README.md's table, with the same figure", () => {
    const readme = readFileSync(path.join(REPO_ROOT, "deploy/README.md"), "utf8");
    const rows = new Map(
      [...readme.matchAll(/^\|\s*`([a-z0-9-]+)`\s*\|\s*(\d+(?:\.\d+)?[MG])\s*\|/gm)].map((match) => [match[1]!, match[2]!] as const),
    );
    for (const [name, service] of Object.entries(compose.services)) {
      expect(rows.get(name), `README row for ${name}`).toBe(String(service.deploy!.resources!.limits!.memory));
    }
    expect([...rows.keys()].sort()).toEqual(Object.keys(compose.services).sort());
  });

  it("sets, for the app and the jobs, every variable each reads", () => {
    expect(missingEnvironment(compose, "app", required("app"))).toEqual([]);
    expect(missingEnvironment(compose, "jobs", required("jobs"))).toEqual([]);
  });

  it("gives the app and the jobs nothing they do not read (least privilege: no owner URL or private key in the web)", () => {
    expect(excessEnvironment(compose, "app", [...required("app"), ...RUNTIME_ONLY])).toEqual([]);
    expect(excessEnvironment(compose, "jobs", [...required("jobs"), ...RUNTIME_ONLY])).toEqual([]);
  });

  it("documents in .env.example every variable the app and the jobs read", () => {
    const envExample = readFileSync(path.join(REPO_ROOT, ".env.example"), "utf8");
    expect(undocumentedVariables(envExample, [...appVariables(), ...jobsVariables()])).toEqual([]);
  });

  it("lists only variables the code still reads as unset in production", () => {
    const reads = { app: appVariables(), jobs: jobsVariables() };
    for (const service of ["app", "jobs"] as const) {
      for (const name of Object.keys(UNSET_IN_PRODUCTION[service])) expect(reads[service].has(name), name).toBe(true);
    }
  });

  it("gives the MT5 worker a bridge slot for every terminal the jobs start by default", () => {
    const text = readFileSync(COMPOSE_FILE, "utf8");
    const fallback = (name: string) => Number(new RegExp(`\\$\\{${name}:-(\\d+)\\}`).exec(text)?.[1]);
    const terminals = fallback("SYNC_TRADE_WORKERS") + fallback("SYNC_MARKET_DATA_WORKERS");
    expect(terminals).toBe(4);
    const worker = compose.services["mt5-worker"]!.environment as Record<string, string>;
    expect(Number(worker.MT5_WORKER_MAX_BRIDGES)).toBeGreaterThanOrEqual(terminals);
  });

  it("points Kong only at services (or aliases) of this file, with the keys compose gives it", () => {
    const raw = parse(readFileSync(COMPOSE_FILE, "utf8")) as {
      services: Record<string, { networks?: Record<string, { aliases?: string[] } | null> | string[] }>;
    };
    const hosts = new Set(Object.keys(raw.services));
    for (const service of Object.values(raw.services)) {
      if (service.networks && !Array.isArray(service.networks)) {
        for (const network of Object.values(service.networks)) for (const alias of network?.aliases ?? []) hosts.add(alias);
      }
    }
    const kongText = readFileSync(path.join(REPO_ROOT, "deploy/kong.yml"), "utf8");
    const kong = parse(kongText) as { services: { name: string; url: string; routes: { paths: string[] }[] }[] };
    for (const service of kong.services) expect(hosts.has(new URL(service.url).hostname), `${service.name} → ${service.url}`).toBe(true);
    const paths = kong.services.flatMap((service) => service.routes.flatMap((route) => route.paths));
    for (const prefix of ["/auth/v1/", "/realtime/v1/", "/storage/v1/", "/rest/v1/"]) expect(paths).toContain(prefix);
    const kongEnvironment = compose.services.kong!.environment as Record<string, string>;
    for (const placeholder of kongText.matchAll(/\$([A-Z_]+)/g)) expect(kongEnvironment, placeholder[1]).toHaveProperty(placeholder[1]!);
  });

  it("names in deploy/.env.example every variable it interpolates", () => {
    const used = interpolatedVariables(readFileSync(COMPOSE_FILE, "utf8"));
    expect(used.size).toBeGreaterThan(10);
    expect(undocumentedVariables(readFileSync(path.join(REPO_ROOT, "deploy/.env.example"), "utf8"), used)).toEqual([]);
  });
});

describe("the compose checks refuse broken files", () => {
  it("unpinned images: untagged, latest, build-only, a variable tag, a registry port without a tag", () => {
    expect(unpinnedImages(fixture("unpinned.yml"))).toEqual([
      "untagged: caddy has no tag",
      "latest: kong:latest is not pinned to a version",
      'build-only: no image (a build alone is tagged "latest")',
      "variable-tag: rawjournal-app:${TAG} takes its tag from a variable",
      "registry-port-untagged: registry.example.com:5000/team/app has no tag",
    ]);
  });

  it("a missing, disabled or NONE healthcheck", () => {
    expect(missingHealthchecks(fixture("no-healthcheck.yml"))).toEqual([
      "missing: no healthcheck",
      "disabled: no healthcheck",
      "none: no healthcheck",
    ]);
  });

  it("missing memory or CPU limits, and a CPU limit above the box's cores", () => {
    expect(missingLimits(fixture("no-limits.yml"), BOX_CORES)).toEqual([
      "unlimited: no memory limit",
      "unlimited: no cpu limit",
      "memory-only: no cpu limit",
      "cpus-only: no memory limit",
      "too-many-cpus: cpu limit 4 exceeds the box's 2 cores",
    ]);
  });

  it("memory limits over 7 GB, in every unit Compose accepts", () => {
    expect(parseBytes("1792M")).toBe(1792 * 1024 ** 2);
    expect(parseBytes("1.75g")).toBe(1792 * 1024 ** 2);
    expect(parseBytes("512mb")).toBe(512 * 1024 ** 2);
    expect(() => parseBytes("lots")).toThrow(/not a memory size/);
    const total = memoryLimitTotal(fixture("over-budget.yml"));
    expect(total).toBe(4 * 1792 * 1024 ** 2);
    expect(total).toBeGreaterThan(MEMORY_BUDGET_BYTES);
  });

  it("an app or jobs service without the variables its code reads (mapping and list forms)", () => {
    const broken = fixture("missing-env.yml");
    const app = missingEnvironment(broken, "app", required("app"));
    expect(app).toContain("app: SUPABASE_URL is not in its environment");
    expect(app).not.toContain("app: SITE_URL is not in its environment");
    const jobs = missingEnvironment(broken, "jobs", required("jobs"));
    expect(jobs).toContain("jobs: MT5_PYTHON is not in its environment");
    expect(jobs).not.toContain("jobs: DATABASE_URL is not in its environment");
    expect(jobs).not.toContain("jobs: SMTP_HOST is not in its environment");
    expect(missingEnvironment(broken, "mt5-worker", [])).toEqual(['no service "mt5-worker"']);
  });

  it("an app service handed secrets it does not read", () => {
    expect(excessEnvironment(fixture("missing-env.yml"), "app", [...required("app"), ...RUNTIME_ONLY])).toEqual([
      "app: DATABASE_URL is set but the app does not read it",
      "app: CREDENTIALS_PRIVATE_KEYS is set but the app does not read it",
    ]);
  });

  it("a variable .env.example neither sets nor shows commented out", () => {
    const example = "PORT=3000\n# SITE_URL=http://localhost:3000\n# mentions DATABASE_URL only in prose\n";
    expect(undocumentedVariables(example, ["PORT", "SITE_URL", "DATABASE_URL"])).toEqual(["DATABASE_URL"]);
  });

  it("the variable readers see schema keys and literal process.env reads, not tests", () => {
    const app = appVariables();
    expect(app.has("SITE_URL")).toBe(true); // env-schema.ts
    expect(app.has("HOST")).toBe(true); // process.env.HOST in scripts/serve.ts
    const jobs = jobsVariables();
    expect(jobs.has("MT5_PYTHON")).toBe(true); // jobs/config.ts
    expect(jobs.has("PYTHON")).toBe(false); // only jobs/mt5/bridge-client.test.ts reads it
  });
});
