// The whole local stack for a benchmark, as `npm start` wires it: PostgreSQL
// (durability on unless asked), the Supabase bootstrap and migrations, the
// local Supabase services, and the built app on scripts/serve.ts. Everything lives
// under .data/bench-<name> and on free ports.
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { createClient } from "@supabase/supabase-js";
import { execa, type ResultPromise } from "execa";
import { REPO_ROOT, runBootstrap } from "../../supabase/local/database.ts";
import { freePort } from "../../supabase/local/free-port.ts";
import { signApiKey } from "../../supabase/local/keys.ts";
import { startLocalPostgres, type LocalPostgres } from "../../supabase/local/postgres.ts";
import { WEB_MEMORY_ENV, WEB_NODE_ARGS } from "../../scripts/process-env.ts";
import { startLocalSupabase } from "../../supabase/local/server.ts";
import { localServices } from "../../supabase/local/services.ts";
import { migrate } from "../../supabase/migrate.ts";

export interface BenchStack {
  dataDir: string;
  cluster: LocalPostgres;
  /** Owner URL (migrations, the jobs process's pg-boss). */
  databaseUrl: string;
  /** The `authenticator` login (the jobs process's, and what in-process model calls as a user use). */
  appDatabaseUrl: string;
  /** The web process's `rawjournal_web` login (anon and authenticated only, ADR 021), as the app server uses it. */
  webDatabaseUrl: string;
  supabaseUrl: string;
  keys: { jwtSecret: string; anonKey: string; serviceRoleKey: string };
  appUrl: string;
  /** The app server's process (its RSS is what the import benchmark measures). */
  serverPid: number;
  /** A confirmed user signed up through the admin API. */
  createUser(email: string, password: string, tier: "free" | "pro" | "elite"): Promise<string>;
  /** `count` more users written straight into auth.users (their profile and settings rows follow by trigger), on Pro; their ids. */
  addOtherUsers(count: number): Promise<string[]>;
  /** Signs in through the real login form; the session cookie to send with requests. */
  signIn(email: string, password: string): Promise<string>;
  /** Stops everything and removes the data directory. */
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  /** Extra environment for the app server. */
  env?: Record<string, string>;
  /** Node options for the app server alone, after WEB_NODE_ARGS (e.g. --cpu-prof, which NODE_OPTIONS refuses). */
  nodeArgs?: string[];
  /** PostgreSQL without durability (fsync, synchronous commit, full-page writes off). */
  fast?: boolean;
  /** Build the app from this tree instead of the working copy (a snapshot, to compare two versions). */
  sourceDir?: string;
}

export async function startBenchStack(
  name: string,
  { env = {}, nodeArgs = [], fast = false, sourceDir }: BenchStackOptions = {},
): Promise<BenchStack> {
  const dataDir = path.join(REPO_ROOT, `.data/bench-${name}`);
  await rm(dataDir, { recursive: true, force: true });
  const cluster = await startLocalPostgres({ dataDir: path.join(dataDir, "postgres"), port: await freePort(), fast });
  await runBootstrap(cluster.url);
  await migrate(cluster.url);
  const appDatabaseUrl = cluster.url.replace("//postgres:postgres@", "//authenticator:postgres@");
  const webDatabaseUrl = cluster.url.replace("//postgres:postgres@", "//rawjournal_web:postgres@");
  const jwtSecret = `bench-jwt-secret-${name}-with-at-least-32-characters`;
  const keys = { jwtSecret, anonKey: await signApiKey(jwtSecret, "anon"), serviceRoleKey: await signApiKey(jwtSecret, "service_role") };
  const supabasePort = await freePort();
  const supabaseUrl = `http://127.0.0.1:${supabasePort}`;
  const appPort = await freePort();
  const appUrl = `http://localhost:${appPort}`;
  const supabase = await startLocalSupabase({
    databaseUrl: cluster.url,
    keys,
    port: supabasePort,
    config: {
      publicUrl: supabaseUrl,
      siteUrl: appUrl,
      additionalRedirectUrls: [appUrl],
      autoconfirm: false,
      jwtExpirySeconds: 3600,
      emailRateLimitPerHour: 30,
      storageDir: path.join(dataDir, "storage"),
    },
    services: localServices,
    log: () => {},
  });
  // Under .data/ inside the repository, so the bundle resolves node_modules; its own
  // directory, so a concurrent test run's build is left alone.
  const buildDir = path.join(dataDir, "build");
  await execa(path.join(REPO_ROOT, "node_modules/.bin/remix"), ["build"], {
    cwd: sourceDir ?? REPO_ROOT,
    env: { NODE_ENV: "production", RAWJOURNAL_BUILD_DIR: buildDir },
    stdout: "ignore",
  });
  // The production server entry (scripts/serve.ts: compression settings, socket address), of the tree being built.
  const serveEntry = path.join(sourceDir ?? REPO_ROOT, "scripts/serve.ts");
  const server: ResultPromise = execa(
    process.execPath,
    [...WEB_NODE_ARGS, ...nodeArgs, existsSync(serveEntry) ? serveEntry : path.join(REPO_ROOT, "scripts/serve.ts"), `${buildDir}/index.js`],
    {
      cwd: REPO_ROOT,
      env: {
        NODE_ENV: "production",
        // As the Dockerfile's app stage and `npm start` run it.
        ...WEB_MEMORY_ENV,
        PORT: String(appPort),
        HOST: "127.0.0.1",
        SITE_URL: appUrl,
        SUPABASE_URL: supabaseUrl,
        SUPABASE_ANON_KEY: keys.anonKey,
        SUPABASE_JWT_SECRET: jwtSecret,
        // The web process's own login (anon and authenticated only); no owner URL, no service-role key (docs/decisions/021).
        APP_DATABASE_URL: webDatabaseUrl,
        ...env,
      },
      stdout: "ignore",
      stderr: "inherit",
      reject: false,
    },
  );
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${appUrl}/healthz`)).ok) break;
    } catch {
      if (i > 300) throw new Error("the app did not start");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const admin = createClient(supabaseUrl, keys.serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false } });
  return {
    dataDir,
    cluster,
    databaseUrl: cluster.url,
    appDatabaseUrl,
    webDatabaseUrl,
    supabaseUrl,
    keys,
    appUrl,
    serverPid: server.pid!,
    async createUser(email, password, tier) {
      const { data, error } = await admin.auth.admin.createUser({
        email,
        password,
        email_confirm: true,
        user_metadata: { full_name: "Bench Trader" },
      });
      if (error || !data.user) throw new Error(`createUser: ${error?.message}`);
      if (tier !== "free") {
        const { default: pg } = await import("pg");
        const owner = new pg.Client({ connectionString: cluster.url });
        await owner.connect();
        await owner.query("update public.profiles set subscription_tier = $2 where id = $1", [data.user.id, tier]);
        await owner.end();
      }
      return data.user.id;
    },
    async addOtherUsers(count) {
      const { default: pg } = await import("pg");
      const owner = new pg.Client({ connectionString: cluster.url });
      await owner.connect();
      try {
        const { rows } = await owner.query<{ id: string }>(
          `with added as (
             insert into auth.users (id, aud, role, email, created_at, updated_at)
             select gen_random_uuid(), 'authenticated', 'authenticated', 'other' || g || '@bench.test', now(), now()
               from generate_series(1, $1::int) g
             returning id)
           select id from added`,
          [count],
        );
        const ids = rows.map((row) => row.id);
        await owner.query("update public.profiles set subscription_tier = 'pro' where id = any($1::uuid[])", [ids]);
        return ids;
      } finally {
        await owner.end();
      }
    },
    async signIn(email, password) {
      const login = await fetch(`${appUrl}/login`, {
        method: "POST",
        body: new URLSearchParams({ email, password }),
        headers: { Origin: appUrl },
        redirect: "manual",
      });
      if (login.status !== 302) throw new Error(`sign-in failed: ${login.status}`);
      return login.headers
        .getSetCookie()
        .map((c) => c.split(";")[0]!)
        .filter((c) => !c.endsWith("="))
        .join("; ");
    },
    async stop() {
      server.kill("SIGTERM");
      await server;
      await supabase.close();
      await cluster.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
