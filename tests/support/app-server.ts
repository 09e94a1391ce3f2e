// The built app (tests/support/global-setup.ts runs `remix build` once per
// run) served by the app's server entry (scripts/serve.ts) on a free port, in front of this test file's own
// database and local Supabase, the way `npm start` wires them. Browser tests
// drive it; helpers read the mail catcher and create users.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { createClient } from "@supabase/supabase-js";
import { execa, type ResultPromise } from "execa";
import { afterAll, inject } from "vitest";
import { REPO_ROOT } from "../../supabase/local/database.ts";
import type { LocalSupabaseConfig } from "../../supabase/local/context.ts";
import type { TestDatabase } from "./database.ts";
import { freePort, startSupabaseForTests, type SupabaseUnderTest } from "./local-supabase.ts";
import { startStripeForTests, type StripeUnderTest } from "./local-stripe.ts";

export interface AppUnderTest {
  /** http://localhost:<port>, the app's SITE_URL. */
  url: string;
  supabase: SupabaseUnderTest;
  /** The local Stripe stand-in posting its events to this app's /webhooks/stripe (supabase/local/stripe/). */
  stripe: StripeUnderTest;
  db: TestDatabase;
  /** Everything the app server printed, for failure messages. */
  output: () => string;
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
  links: string[];
}

const SERVE = path.join(REPO_ROOT, "scripts/serve.ts");

/** The server bundle this run's global setup built (relative to the repo root, where the app server runs). */
export function serverBuildPath(): string {
  return `${inject("appBuildDir")}/index.js`;
}

/**
 * The app server runs React in production mode; a build made with NODE_ENV=test
 * (vitest's default, inherited by `remix build`) calls the development JSX
 * runtime and every page answers 500. Say so plainly instead.
 */
async function assertProductionBuild(): Promise<void> {
  const server = await readFile(path.join(REPO_ROOT, serverBuildPath()), "utf8").catch(() => "");
  if (!server) throw new Error(`${serverBuildPath()} is missing: the global setup's \`remix build\` did not run`);
  if (server.includes("jsxDEV")) {
    throw new Error(
      `${serverBuildPath()} is a development build (built with NODE_ENV=test?): the global setup must run \`remix build\` with NODE_ENV=production`,
    );
  }
}

export async function startAppForTests({
  env = {},
  supabase: supabaseConfig = {},
}: { env?: Record<string, string>; supabase?: Partial<LocalSupabaseConfig> } = {}): Promise<AppUnderTest> {
  await assertProductionBuild();
  const port = await freePort();
  const url = `http://localhost:${port}`;
  // Email links must be allowed to come back to this app.
  const supabase = await startSupabaseForTests({ siteUrl: url, additionalRedirectUrls: [url, `http://127.0.0.1:${port}`], ...supabaseConfig });
  if (supabase.external || !supabase.db || !supabase.jwtSecret) {
    throw new Error("app tests need the local Supabase (they read its database and mail catcher)");
  }
  const stripe = await startStripeForTests({ webhookUrl: `http://127.0.0.1:${port}/webhooks/stripe` });
  let output = "";
  // process.execPath is the pinned Node 22 running the tests.
  const child: ResultPromise = execa(process.execPath, [SERVE, serverBuildPath()], {
    cwd: REPO_ROOT,
    env: {
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      SITE_URL: url,
      SUPABASE_URL: supabase.url,
      SUPABASE_ANON_KEY: supabase.anonKey,
      SUPABASE_JWT_SECRET: supabase.jwtSecret,
      // The web process's own login; no owner URL, no service-role key (docs/decisions/021).
      APP_DATABASE_URL: supabase.db.webUrl,
      ...stripe.env,
      ...env,
    },
    extendEnv: true,
    reject: false,
    all: true,
  });
  child.all!.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  afterAll(async () => {
    child.kill("SIGTERM");
    await child;
  });
  await waitForApp(`${url}/healthz`, child, () => output);
  return { url, supabase, stripe, db: supabase.db, output: () => output };
}

async function waitForApp(url: string, child: ResultPromise, output: () => string): Promise<void> {
  let exited = false;
  void child.then(() => {
    exited = true;
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the app server exited:\n${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the app server did not answer ${url} within 30 s:\n${output()}`);
}

/** The newest mail to `to`, waiting for it to arrive. */
export async function waitForMail(app: AppUnderTest, to: string, { subject, after = 0 }: { subject?: RegExp; after?: number } = {}): Promise<Mail> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${app.supabase.url}/_mail/api/messages?to=${encodeURIComponent(to)}`);
    const messages = (await response.json()) as (Mail & { created_at: string })[];
    const found = messages.find((m) => (!subject || subject.test(m.subject)) && new Date(m.created_at).getTime() >= after);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${to}${subject ? ` matching ${subject}` : ""} within 10 s`);
}

/** The link in a mail that goes through the Auth server's /verify. */
export function verifyLink(mail: Mail): string {
  const link = mail.links.find((l) => l.includes("/auth/v1/verify"));
  if (!link) throw new Error(`no verify link in "${mail.subject}": ${mail.links.join(", ")}`);
  return link;
}

let userCount = 0;

/** A confirmed user made through the Auth admin API (the trigger creates profile and settings). */
export async function createConfirmedUser(
  app: AppUnderTest,
  { fullName = "Test Trader", password = "correct-horse-battery", email }: { fullName?: string; password?: string; email?: string } = {},
): Promise<{ id: string; email: string; password: string; fullName: string }> {
  const address = email ?? `trader-${process.pid}-${++userCount}-${Date.now()}@example.test`;
  const admin = createClient(app.supabase.url, app.supabase.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  const { data, error } = await admin.auth.admin.createUser({
    email: address,
    password,
    email_confirm: true,
    user_metadata: { full_name: fullName },
  });
  if (error || !data.user) throw new Error(`createUser failed: ${error?.message}`);
  return { id: data.user.id, email: address, password, fullName };
}
