// `npm start`: everything for local use on the embedded default — PostgreSQL
// with the Supabase bootstrap and our migrations, the local Supabase services
// (Auth, Realtime, Storage, mail catcher) and the web app on :3000.
// Ctrl-C stops it all. Set DATABASE_URL to use another PostgreSQL instead.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa, type ResultPromise } from "execa";
import { ensureLocalKeys, parseEnvFile } from "../supabase/local/keys.ts";
import { prepareDatabase, REPO_ROOT } from "../supabase/local/database.ts";
import { stopClusterOnlyWhenAsked } from "../supabase/local/postgres.ts";
import { startLocalSupabase } from "../supabase/local/server.ts";
import { localServices } from "../supabase/local/services.ts";
import { ensureLocalStripeEnv, priceIdsFrom, usesLocalStripe } from "../supabase/local/stripe/env.ts";
import { startLocalStripe } from "../supabase/local/stripe/server.ts";
import { wallClockEnvironment } from "../app/lib/wall-clock.server.ts";
import { bridgeEnvironment } from "../jobs/config.ts";
import { DEMO_MT5, DEMO_USER, seedDemo } from "./seed-demo.ts";
import { seedDemoJournal } from "./seed-demo-journal.ts";
import { syncDemoHistory } from "./sync-demo-history.ts";
import { WEB_NODE_ARGS, webProcessEnv } from "./process-env.ts";

const dev = process.argv.includes("--dev");
// Overridable so tests can run a second stack beside a developer's own.
const envFile = process.env.RAWJOURNAL_ENV_FILE ?? path.join(REPO_ROOT, ".env");
const dataDir = process.env.RAWJOURNAL_DATA_DIR ?? path.join(REPO_ROOT, ".data");

function say(line: string) {
  console.log(`[start] ${line}`);
}

async function main() {
  const startedAt = performance.now();
  const keys = await ensureLocalKeys(envFile);
  ensureLocalStripeEnv(envFile);
  const fileEnv = parseEnvFile(readFileSync(envFile, "utf8"));
  // Real environment variables win over .env.
  const env: Record<string, string> = { ...fileEnv, ...(process.env as Record<string, string>) };
  // A shifted clock (RAWJOURNAL_CLOCK, e.g. a Saturday for the demo) is fixed
  // once here and shared by the app, the jobs and the simulator.
  if (env.RAWJOURNAL_CLOCK && !process.env.RAWJOURNAL_CLOCK) process.env.RAWJOURNAL_CLOCK = env.RAWJOURNAL_CLOCK;
  Object.assign(env, wallClockEnvironment());
  if (env.RAWJOURNAL_CLOCK_OFFSET_MS)
    say(`the clock reads ${new Date(Date.now() + Number(env.RAWJOURNAL_CLOCK_OFFSET_MS)).toISOString()} (RAWJOURNAL_CLOCK)`);

  const dbPort = Number(env.LOCAL_DB_PORT ?? 54322);
  const supabasePort = Number(env.LOCAL_SUPABASE_PORT ?? 54321);
  const appPort = Number(env.PORT ?? 3000);
  const supabaseUrl = env.SUPABASE_URL ?? `http://127.0.0.1:${supabasePort}`;
  const siteUrl = env.SITE_URL ?? `http://localhost:${appPort}`;

  // stop() below stops the children first and the database last.
  stopClusterOnlyWhenAsked();
  const database = await prepareDatabase({
    dataDir: path.join(dataDir, "postgres"),
    port: dbPort,
    databaseUrl: env.DATABASE_URL,
    log: say,
  });
  const appDatabaseUrl = env.APP_DATABASE_URL ?? database.url.replace(/\/\/postgres:postgres@/, "//authenticator:postgres@");
  // The web process's own login (its APP_DATABASE_URL): it can become anon and authenticated only (docs/decisions/021).
  const webDatabaseUrl = env.WEB_DATABASE_URL ?? database.url.replace(/\/\/postgres:postgres@/, "//rawjournal_web:postgres@");
  say(`database ready (${database.embedded ? `embedded, port ${dbPort}` : "DATABASE_URL"})`);

  const supabase = await startLocalSupabase({
    databaseUrl: database.url,
    keys,
    port: supabasePort,
    config: {
      publicUrl: supabaseUrl,
      siteUrl,
      additionalRedirectUrls: [siteUrl],
      autoconfirm: env.AUTH_AUTOCONFIRM === "true",
      jwtExpirySeconds: Number(env.JWT_EXPIRY ?? 3600),
      emailRateLimitPerHour: Number(env.AUTH_EMAIL_RATE_LIMIT_PER_HOUR ?? 30),
      storageDir: path.join(dataDir, "storage"),
    },
    services: localServices,
    log: (line) => console.log(`[supabase] ${line}`),
  });

  // Billing: the local Stripe stand-in, unless a real Stripe key is set (supabase/local/stripe/README.md).
  const stripe = usesLocalStripe(env)
    ? await startLocalStripe({
        secretKey: env.STRIPE_SECRET_KEY!,
        webhookSecret: env.STRIPE_WEBHOOK_SECRET!,
        webhookUrl: env.STRIPE_WEBHOOK_URL ?? `${siteUrl}/webhooks/stripe`,
        priceIds: priceIdsFrom(env),
        port: Number(env.LOCAL_STRIPE_PORT ?? 12111),
        stateFile: path.join(dataDir, "stripe.json"),
        log: (line) => console.log(`[stripe] ${line}`),
      })
    : null;

  const childEnv = {
    ...env,
    ...(stripe ? { STRIPE_API_URL: stripe.url } : {}),
    NODE_ENV: dev ? "development" : "production",
    PORT: String(appPort),
    SITE_URL: siteUrl,
    SUPABASE_URL: supabaseUrl,
    SUPABASE_ANON_KEY: keys.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: keys.serviceRoleKey,
    SUPABASE_JWT_SECRET: keys.jwtSecret,
    DATABASE_URL: database.url,
    APP_DATABASE_URL: appDatabaseUrl,
    CREDENTIALS_PUBLIC_KEYS: env.CREDENTIALS_PUBLIC_KEYS ?? keys.credentialPublicKeys,
    CREDENTIALS_PRIVATE_KEYS: env.CREDENTIALS_PRIVATE_KEYS ?? keys.credentialPrivateKeys,
    ...(keys.legacyEncryptionKeys || env.ENCRYPTION_KEYS ? { ENCRYPTION_KEYS: env.ENCRYPTION_KEYS ?? keys.legacyEncryptionKeys! } : {}),
  };
  // The web process gets no key that opens an investor password and no login
  // or API key that bypasses RLS (docs/decisions/021): those stay with the jobs.
  const webEnv = webProcessEnv(childEnv, webDatabaseUrl);

  // Locally the MT5 terminals are the simulator playing mt5/scenarios/demo.json,
  // whose world persists across restarts through its state file; the market data
  // terminal uses the same demo broker. Set RAWJOURNAL_MT5_MODULE=MetaTrader5 (and
  // MARKET_DATA_*) to drive real terminals instead.
  const simulated = (env.RAWJOURNAL_MT5_MODULE ?? "simulator") === "simulator";
  const jobsEnv = simulated
    ? {
        ...childEnv,
        RAWJOURNAL_MT5_MODULE: "simulator",
        RAWJOURNAL_SIM_SCENARIO: env.RAWJOURNAL_SIM_SCENARIO ?? "demo",
        RAWJOURNAL_SIM_STATE_FILE: env.RAWJOURNAL_SIM_STATE_FILE ?? path.join(dataDir, "mt5-sim-demo.json"),
        MARKET_DATA_SERVER: env.MARKET_DATA_SERVER ?? DEMO_MT5.server,
        MARKET_DATA_LOGIN: env.MARKET_DATA_LOGIN ?? String(DEMO_MT5.login),
        MARKET_DATA_PASSWORD: env.MARKET_DATA_PASSWORD ?? DEMO_MT5.password,
      }
    : childEnv;
  if (simulated && env.RAWJOURNAL_SEED_DEMO !== "false") {
    const seeded = await seedDemo({
      databaseUrl: database.url,
      supabaseUrl: `http://127.0.0.1:${supabasePort}`,
      serviceRoleKey: keys.serviceRoleKey,
      credentialPublicKeys: childEnv.CREDENTIALS_PUBLIC_KEYS,
    });
    say(seeded.created ? "demo user created" : "demo user ready");
    // Read the demo's history now, so its first page shows it rather than a $0.00 account.
    const started = performance.now();
    const synced = await syncDemoHistory({
      databaseUrl: database.url,
      appDatabaseUrl,
      credentialPrivateKeys: childEnv.CREDENTIALS_PRIVATE_KEYS,
      legacyEncryptionKeys: childEnv.ENCRYPTION_KEYS,
      accountId: seeded.accountId,
      python: env.MT5_PYTHON ?? "python3",
      bridgeEnv: { ...bridgeEnvironment(jobsEnv), RAWJOURNAL_MT5_MODULE: "simulator" },
      log: say,
    }).catch((error: unknown) => {
      say(`the demo's history was not read (${error instanceof Error ? error.message : String(error)}); it is read when you sign in`);
      return false;
    });
    if (synced) say(`demo history synced in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const journaled = await seedDemoJournal(database.url, seeded.accountId).catch((error: unknown) => {
      say(`the demo's journal was not written (${error instanceof Error ? error.message : String(error)})`);
      return false;
    });
    if (journaled) say("demo journal written (five trade entries, a playbook, a daily review)");
  }

  // Services only: scripts/image/run-against-local-stack.ts runs the app and the jobs in containers, with these environments.
  const servicesOnlyEnvFile = process.env.RAWJOURNAL_SERVICES_ONLY_ENV_FILE;
  if (servicesOnlyEnvFile) {
    writeFileSync(servicesOnlyEnvFile, JSON.stringify({ web: webEnv, jobs: jobsEnv }), { mode: 0o600 });
    const stopServices = async () => {
      await supabase.close();
      await stripe?.close();
      await database.stop();
      process.exit(0);
    };
    process.on("SIGINT", () => void stopServices());
    process.on("SIGTERM", () => void stopServices());
    say(`services ready; the app's and the jobs' environments are in ${servicesOnlyEnvFile}`);
    return;
  }

  const serverBuild = `${env.RAWJOURNAL_BUILD_DIR ?? "build"}/index.js`;
  const children: ResultPromise[] = [];
  const bin = (name: string) => path.join(REPO_ROOT, "node_modules/.bin", name);
  if (dev) {
    children.push(
      execa(bin("remix"), ["dev", "--manual", "-c", `${bin("remix-serve")} ${serverBuild}`], {
        cwd: REPO_ROOT,
        env: webEnv,
        extendEnv: false,
        stdio: "inherit",
      }),
    );
  } else {
    // The test suite builds once in its global setup and sets this.
    if (env.RAWJOURNAL_SKIP_BUILD !== "1") {
      say("building the app");
      await execa(bin("remix"), ["build"], { cwd: REPO_ROOT, env: webEnv, extendEnv: false, stdio: "inherit" });
    }
    // The app's own server entry: it hands loaders the socket's address (rate limits).
    children.push(
      execa(process.execPath, [...WEB_NODE_ARGS, "scripts/serve.ts", serverBuild], {
        cwd: REPO_ROOT,
        env: webEnv,
        extendEnv: false,
        stdio: "inherit",
      }),
    );
  }

  children.push(execa(bin("tsx"), ["jobs/index.ts"], { cwd: REPO_ROOT, env: jobsEnv, stdio: "inherit" }));

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say("stopping");
    for (const child of children) child.kill("SIGTERM");
    await Promise.allSettled(children);
    await supabase.close();
    await stripe?.close();
    await database.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  for (const child of children) {
    child.catch((error: unknown) => {
      if (!stopping) {
        console.error(`[start] a process stopped unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
        void stop(1);
      }
    });
  }

  await waitForHttp(`http://127.0.0.1:${appPort}/healthz`, 60_000);
  say(`ready in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  say(`app            ${siteUrl}`);
  say(`supabase       ${supabaseUrl}`);
  say(`mail catcher   ${supabaseUrl}/_mail`);
  say(`stripe         ${stripe ? `${stripe.url} (local stand-in; advance time and events at ${stripe.url}/_local)` : "api.stripe.com"}`);
  say(`database       ${database.embedded ? `postgres://postgres:postgres@127.0.0.1:${dbPort}/postgres` : "(DATABASE_URL)"}`);
  if (simulated && env.RAWJOURNAL_SEED_DEMO !== "false") {
    say(`demo sign-in   ${DEMO_USER.email} / ${DEMO_USER.password} (a simulated MT5 account that trades every 20–40 s)`);
  }
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

if (!existsSync(path.join(REPO_ROOT, "node_modules"))) {
  console.error("Dependencies are missing: run `npm install` first.");
  process.exit(1);
}
main().catch((error: unknown) => {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
