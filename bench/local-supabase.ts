// Local Supabase figures (issue: local Supabase services):
//  - token refresh and GET /user p95 (target < 20 ms), password sign-in next to
//    bare bcrypt (sign-in should be dominated by bcrypt);
//  - memory of the whole local stack idle — PostgreSQL processes + this server —
//    as PSS so PostgreSQL's shared memory is not counted once per process
//    (target < 400 MB).
import { readdirSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import bcrypt from "bcryptjs";
import { createClient } from "@supabase/supabase-js";
import { REPO_ROOT, runBootstrap } from "../supabase/local/database.ts";
import { signApiKey } from "../supabase/local/keys.ts";
import { startLocalPostgres } from "../supabase/local/postgres.ts";
import { startLocalSupabase } from "../supabase/local/server.ts";
import { localServices } from "../supabase/local/services.ts";
import { migrate } from "../supabase/migrate.ts";

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return +sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(2);
};

function pssKb(pid: number): number {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function descendants(rootPid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // process ended
    }
  }
  const found = [rootPid];
  for (let i = 0; i < found.length; i++) {
    for (const [pid, ppid] of parents) if (ppid === found[i]) found.push(pid);
  }
  return found;
}

const dataDir = path.join(REPO_ROOT, ".data/bench-local-supabase");
await rm(dataDir, { recursive: true, force: true });
const cluster = await startLocalPostgres({ dataDir, port: 54396 });
await runBootstrap(cluster.url);
await migrate(cluster.url);
const jwtSecret = "bench-jwt-secret-with-at-least-32-characters!";
const keys = { jwtSecret, anonKey: await signApiKey(jwtSecret, "anon"), serviceRoleKey: await signApiKey(jwtSecret, "service_role") };
const port = 54395;
const url = `http://127.0.0.1:${port}`;
const server = await startLocalSupabase({
  databaseUrl: cluster.url,
  keys,
  port,
  config: {
    publicUrl: url,
    siteUrl: "http://localhost:3000",
    additionalRedirectUrls: [],
    autoconfirm: true,
    jwtExpirySeconds: 3600,
    emailRateLimitPerHour: 1000,
    storageDir: path.join(dataDir, "storage"),
  },
  services: localServices,
  log: () => {},
});

const postmasterPid = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
await new Promise((r) => setTimeout(r, 2000));
const idle = {
  postgresPssMb: +(descendants(postmasterPid).reduce((sum, pid) => sum + pssKb(pid), 0) / 1024).toFixed(1),
  serverPssMb: +(pssKb(process.pid) / 1024).toFixed(1),
};

const admin = createClient(url, keys.serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false } });
const client = createClient(url, keys.anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
const email = `bench-${Date.now()}@example.com`;
const password = "correct horse battery staple";
await admin.auth.admin.createUser({ email, password, email_confirm: true });

const signIn: number[] = [];
let refreshToken = "";
let accessToken = "";
for (let i = 0; i < 20; i++) {
  const started = performance.now();
  const { data, error } = await client.auth.signInWithPassword({ email, password });
  signIn.push(performance.now() - started);
  if (error) throw error;
  refreshToken = data.session.refresh_token;
  accessToken = data.session.access_token;
}
const hash = await bcrypt.hash(password, 10);
const bcryptOnly: number[] = [];
for (let i = 0; i < 20; i++) {
  const started = performance.now();
  await bcrypt.compare(password, hash);
  bcryptOnly.push(performance.now() - started);
}

const headers = { apikey: keys.anonKey, "content-type": "application/json", "x-supabase-api-version": "2024-01-01" };
const refresh: number[] = [];
for (let i = 0; i < 300; i++) {
  const started = performance.now();
  const response = await fetch(`${url}/auth/v1/token?grant_type=refresh_token`, {
    method: "POST",
    headers,
    body: JSON.stringify({ refresh_token: refreshToken }),
  });
  const body = (await response.json()) as { refresh_token: string; access_token: string };
  if (i >= 20) refresh.push(performance.now() - started);
  refreshToken = body.refresh_token;
  accessToken = body.access_token;
}
const getUser: number[] = [];
for (let i = 0; i < 300; i++) {
  const started = performance.now();
  const response = await fetch(`${url}/auth/v1/user`, { headers: { ...headers, authorization: `Bearer ${accessToken}` } });
  await response.json();
  if (i >= 20) getUser.push(performance.now() - started);
}

console.log(
  JSON.stringify(
    {
      cpus: os.cpus().length,
      tokenRefreshMs: { p50: percentile(refresh, 50), p95: percentile(refresh, 95) },
      getUserMs: { p50: percentile(getUser, 50), p95: percentile(getUser, 95) },
      passwordSignInMs: { p50: percentile(signIn, 50), p95: percentile(signIn, 95) },
      bcryptCompareCost10Ms: { p50: percentile(bcryptOnly, 50) },
      idleMemory: { ...idle, totalMb: +(idle.postgresPssMb + idle.serverPssMb).toFixed(1) },
    },
    null,
    2,
  ),
);
await server.close();
await cluster.stop();
await rm(dataDir, { recursive: true, force: true });
