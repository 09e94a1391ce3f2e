// Which environment variables the app and the jobs process read, derived from
// the code rather than copied into a list that drifts: the keys of each
// process's zod schema (app/lib/env-schema.ts, jobs/config.ts) plus every
// literal `process.env.NAME` / `process.env["NAME"]` (or `env.NAME` /
// `environment.NAME`, a function's copy of it) in the source files the
// process loads (the files its entry points import, transitively: for the app
// scripts/serve.ts, Remix's entries and every route; for the jobs jobs/index.ts).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { envSchema } from "~/lib/env-schema.ts";
import { jobsEnvSchema } from "../../jobs/config.ts";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

const IMPORT_PATTERNS = [/(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']/g, /import\s*\(\s*["']([^"']+)["']\s*\)/g, /import\s+["']([^"']+)["']/g];
// process.env.NAME, process.env["NAME"], and NAME read off an object called
// env or environment (a function handed process.env, e.g. errorTrackerFrom).
const ENV_READ = /(?:process\.env|\benv|\benvironment)(?:\.([A-Z][A-Z0-9_]*)|\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\])/g;

function isTestFile(file: string): boolean {
  return /\.(test|bench)\.tsx?$/.test(file);
}

function resolveImport(fromFile: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("~/")) base = path.join(REPO_ROOT, "app", specifier.slice(2));
  else if (specifier.startsWith(".")) base = path.resolve(path.dirname(fromFile), specifier);
  else return null; // a package
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Every source file reachable from `entries` through relative and `~/` imports. */
export function importClosure(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file) || !/\.(ts|tsx|mjs|js)$/.test(file)) continue;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const pattern of IMPORT_PATTERNS) {
      for (const match of text.matchAll(pattern)) {
        const target = resolveImport(file, match[1]!);
        if (target && !seen.has(target)) queue.push(target);
      }
    }
  }
  return seen;
}

export function environmentReads(files: Iterable<string>): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    if (isTestFile(file)) continue;
    for (const match of readFileSync(file, "utf8").matchAll(ENV_READ)) names.add((match[1] ?? match[2])!);
  }
  return names;
}

export function appVariables(): Set<string> {
  // What the web server loads: its entry, Remix's entries and every route (Remix imports them all).
  const entries = [
    "scripts/serve.ts",
    "app/entry.server.tsx",
    "app/root.tsx",
    ...readdirSync(path.join(REPO_ROOT, "app/routes")).map((route) => `app/routes/${route}`),
  ];
  const files = importClosure(entries.map((entry) => path.join(REPO_ROOT, entry)).filter((file) => !isTestFile(file)));
  return new Set([...Object.keys(envSchema.shape), ...environmentReads(files)]);
}

export function jobsVariables(): Set<string> {
  const files = importClosure([path.join(REPO_ROOT, "jobs/index.ts")]);
  return new Set([...Object.keys(jobsEnvSchema.shape), ...environmentReads(files)]);
}
