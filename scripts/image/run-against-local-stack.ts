// Runs the app and jobs images (built by scripts/image/build-and-run.sh) on the
// host network against a local stack of their own, and checks what an operator
// would: /healthz, /readyz, a signed-in page, that the jobs container holds the
// jobs leader lock and writes its terminals' heartbeat, that both images'
// HEALTHCHECKs pass and run as a non-root user. Exits 1 on the first failure,
// after printing the containers' logs.
//
//   tsx scripts/image/run-against-local-stack.ts --app-image <ref> --jobs-image <ref>
//
// The stack is `npm start`'s own (scripts/start.ts: embedded PostgreSQL with
// our migrations, local Supabase, the Stripe stand-in, the demo user) in its
// services-only mode, on free ports and in a fresh data directory, so it
// neither meets nor disturbs anyone's running stack.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { execa, type ResultPromise } from "execa";
import pg from "pg";
import { REPO_ROOT } from "../../supabase/local/database.ts";
import { freePort } from "../../supabase/local/free-port.ts";
import { JOBS_LEADER_LOCK_KEY } from "../../jobs/leader-lock.ts";
import { DEMO_USER } from "../seed-demo.ts";

const { values: args } = parseArgs({ options: { "app-image": { type: "string" }, "jobs-image": { type: "string" } } });
if (!args["app-image"] || !args["jobs-image"]) {
  console.error("Usage: tsx scripts/image/run-against-local-stack.ts --app-image <ref> --jobs-image <ref>");
  process.exit(2);
}
const appImage: string = args["app-image"];
const jobsImage: string = args["jobs-image"];

const work = path.join(REPO_ROOT, ".data/image/run");
const podman = (argv: string[]) => execa("podman", ["--runtime", "runc", ...argv], { reject: false });
const say = (line: string) => console.log(`[image] ${line}`);

/** Host-side variables that mean nothing (or the wrong thing) inside a container. */
const HOST_ONLY = new Set(["PATH", "HOME", "PWD", "OLDPWD", "SHLVL", "_", "TERM", "HOSTNAME", "USER", "LOGNAME", "SHELL", "TMPDIR"]);

function containerEnv(env: Record<string, string>, overrides: Record<string, string>): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries({ ...env, ...overrides })) {
    if (HOST_ONLY.has(key) || key.startsWith("npm_") || key.startsWith("RAWJOURNAL_SERVICES_ONLY")) continue;
    if (value.includes("\n")) throw new Error(`${key} holds a line break: an --env-file cannot carry it`);
    lines.push(`${key}=${value}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Thrown inside a waitFor attempt: stop waiting at once. */
class GiveUp extends Error {}

async function waitFor<T>(what: string, timeoutMs: number, attempt: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const result = await attempt();
      if (result !== null) return result;
    } catch (error) {
      if (error instanceof GiveUp) throw error;
      last = error;
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s${last ? ` (${last instanceof Error ? last.message : String(last)})` : ""}`);
}

async function main(): Promise<number> {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const [dbPort, supabasePort, stripePort, appPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const envHandOver = path.join(work, "environments.json");
  const suffix = String(process.pid);
  const names = { app: `rawjournal-check-app-${suffix}`, jobs: `rawjournal-check-jobs-${suffix}` };
  const jobsHostname = `rawjournal-jobs-${suffix}`;
  const appUrl = `http://localhost:${appPort}`;

  say(`local stack: PostgreSQL :${dbPort}, Supabase :${supabasePort}, Stripe :${stripePort}; app container :${appPort}`);
  let stackOutput = "";
  const stack: ResultPromise = execa(path.join(REPO_ROOT, "node_modules/.bin/tsx"), ["scripts/start.ts"], {
    cwd: REPO_ROOT,
    extendEnv: false,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? "/root",
      LOCAL_DB_PORT: String(dbPort),
      LOCAL_SUPABASE_PORT: String(supabasePort),
      LOCAL_STRIPE_PORT: String(stripePort),
      PORT: String(appPort),
      RAWJOURNAL_ENV_FILE: path.join(work, "stack.env"),
      RAWJOURNAL_DATA_DIR: path.join(work, "data"),
      RAWJOURNAL_SERVICES_ONLY_ENV_FILE: envHandOver,
    },
    all: true,
    reject: false,
  });
  stack.all?.on("data", (chunk: Buffer) => (stackOutput += chunk.toString()));
  let stackExited = false;
  void stack.then(() => (stackExited = true));

  const started: string[] = [];
  let failed = false;
  const db = { pool: null as pg.Pool | null };
  try {
    await waitFor("the local stack", 300_000, async () => {
      if (stackExited) throw new GiveUp(`scripts/start.ts stopped:\n${stackOutput.slice(-3000)}`);
      return existsSync(envHandOver) ? true : null;
    });
    const { web, jobs } = JSON.parse(readFileSync(envHandOver, "utf8")) as { web: Record<string, string>; jobs: Record<string, string> };
    say("local stack ready (migrations applied, demo user seeded)");
    db.pool = new pg.Pool({ connectionString: jobs.DATABASE_URL, max: 2 });

    writeFileSync(path.join(work, "app.env"), containerEnv(web, { NODE_ENV: "production", PORT: String(appPort) }), { mode: 0o600 });
    writeFileSync(
      path.join(work, "jobs.env"),
      // The simulator's world lives in the container's one writable folder.
      containerEnv(jobs, { NODE_ENV: "production", RAWJOURNAL_SIM_STATE_FILE: "/app/.data/mt5-sim-demo.json" }),
      { mode: 0o600 },
    );
    for (const [role, image] of [
      ["jobs", jobsImage],
      ["app", appImage],
    ] as const) {
      const run = await podman([
        "run",
        "--detach",
        "--name",
        names[role],
        "--network",
        "host",
        ...(role === "jobs" ? ["--hostname", jobsHostname] : []),
        "--env-file",
        path.join(work, `${role}.env`),
        image,
      ]);
      if (run.exitCode !== 0) throw new Error(`podman run ${image}: ${run.stderr}`);
      started.push(names[role]);
      say(`started ${image} as ${names[role]}`);
    }

    // /healthz: the process is up.
    const health = await waitFor("/healthz answering 200", 90_000, async () => {
      const response = await fetch(`${appUrl}/healthz`);
      return response.ok ? ((await response.json()) as { ok?: boolean }) : null;
    });
    if (health.ok !== true) throw new Error(`/healthz answered ${JSON.stringify(health)}`);
    say("/healthz 200 {ok: true}");

    // The jobs leader lock (jobs/leader-lock.ts): a session-level advisory lock on the leader's own connection.
    // Nothing else runs jobs against this private stack, so its holder is the container.
    const holder = await waitFor("the jobs container taking the leader lock", 90_000, async () => {
      const { rows } = await db.pool!.query<{ application_name: string; backend_start: Date }>(
        `select a.application_name, a.backend_start from pg_locks l join pg_stat_activity a on a.pid = l.pid
          where l.locktype = 'advisory' and l.granted and ((l.classid::bigint << 32) | l.objid::bigint) = $1`,
        [JOBS_LEADER_LOCK_KEY],
      );
      return rows[0] ?? null;
    });
    if (holder.application_name !== "rawjournal-jobs-leader") throw new Error(`the leader lock is held by ${holder.application_name}`);
    say(`the leader lock is held (${holder.application_name}); nothing but the jobs container runs jobs against this stack`);

    // Its terminals beat from inside the container (worker_health.host is the container's hostname).
    const beats = await waitFor("a market-data heartbeat from the jobs container", 120_000, async () => {
      const { rows } = await db.pool!.query<{ kind: string }>(
        "select kind from public.worker_health where host = $1 and status <> 'stopped' and last_heartbeat_at > now() - interval '60 seconds'",
        [jobsHostname],
      );
      return rows.some((row) => row.kind === "market_data") ? rows : null;
    });
    say(`the jobs container leads: its terminals beat from host ${jobsHostname} (${beats.map((b) => b.kind).join(", ")})`);

    // /readyz: database, migrations, jobs leader and market data all ok.
    const ready = await waitFor("/readyz answering 200", 90_000, async () => {
      const response = await fetch(`${appUrl}/readyz`);
      return response.status === 200 ? ((await response.json()) as { ok: boolean; checks: Record<string, { ok: boolean }> }) : null;
    });
    const failing = Object.entries(ready.checks).filter(([, check]) => !check.ok);
    if (!ready.ok || failing.length) throw new Error(`/readyz: ${JSON.stringify(ready)}`);
    say(`/readyz 200: ${Object.keys(ready.checks).join(", ")} ok`);

    // A signed-in page: sign in through the form as a browser without JavaScript would, then open the accounts list.
    const signIn = await fetch(`${appUrl}/login?index`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: appUrl },
      body: new URLSearchParams({ email: DEMO_USER.email, password: DEMO_USER.password }).toString(),
    });
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    if (signIn.status !== 302 || !cookie)
      throw new Error(`sign-in answered ${signIn.status} without a session: ${(await signIn.text()).slice(0, 500)}`);
    const accounts = await fetch(`${appUrl}/accounts`, { headers: { cookie }, redirect: "manual" });
    const page = await accounts.text();
    if (accounts.status !== 200 || !page.includes("Demo MT5 (simulated)")) {
      throw new Error(
        `/accounts signed in answered ${accounts.status}${accounts.headers.get("location") ? ` → ${accounts.headers.get("location")}` : ""}`,
      );
    }
    say("signed in as the demo user: /accounts 200 lists the demo MT5 account");

    // The images' own HEALTHCHECKs and users.
    for (const role of ["app", "jobs"] as const) {
      const check = await podman(["healthcheck", "run", names[role]]);
      if (check.exitCode !== 0) throw new Error(`${role} HEALTHCHECK: ${check.stdout}${check.stderr}`.trim());
      const user = await podman(["exec", names[role], "id", "-u"]);
      if (user.stdout.trim() === "0" || user.exitCode !== 0) throw new Error(`${role} container runs as uid ${user.stdout.trim()}`);
      say(`${role}: HEALTHCHECK healthy, runs as uid ${user.stdout.trim()}`);
    }

    // A clean stop lets the lock go (the next leader need not wait for a dropped connection).
    const stopped = await podman(["stop", "--time", "20", names.jobs]);
    if (stopped.exitCode !== 0) throw new Error(`podman stop jobs: ${stopped.stderr}`);
    await waitFor("the leader lock released after SIGTERM", 20_000, async () => {
      const { rows } = await db.pool!.query(
        "select 1 from pg_locks where locktype = 'advisory' and granted and ((classid::bigint << 32) | objid::bigint) = $1",
        [JOBS_LEADER_LOCK_KEY],
      );
      return rows.length === 0 ? true : null;
    });
    say("jobs container stopped on SIGTERM and released the leader lock");
    return 0;
  } catch (error) {
    failed = true;
    console.error(`[image] FAILED: ${error instanceof Error ? error.message : String(error)}`);
    for (const name of started) {
      const logs = await podman(["logs", "--tail", "60", name]);
      console.error(`----- ${name} (last 60 lines) -----\n${logs.stdout}${logs.stderr}`);
    }
    if (!started.length) console.error(`----- scripts/start.ts -----\n${stackOutput.slice(-3000)}`);
    return 1;
  } finally {
    for (const name of started) await podman(["rm", "--force", "--time", "10", name]);
    await db.pool?.end().catch(() => {});
    stack.kill("SIGTERM");
    await stack;
    // The env files hold this throwaway stack's keys; the data directory goes too unless a failure is to be read.
    rmSync(path.join(work, "app.env"), { force: true });
    rmSync(path.join(work, "jobs.env"), { force: true });
    if (!failed) rmSync(work, { recursive: true, force: true });
  }
}

process.exitCode = await main();
