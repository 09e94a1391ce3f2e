// Which environment variables the app and the jobs process read, derived from
// the code rather than copied into a list that drifts: the keys of each
// process's zod schema (app/lib/env-schema.ts, jobs/config.ts) plus every
// literal `process.env.NAME` / `process.env["NAME"]` in the source files the
// process loads (the app: app/ and its server entry; the jobs: the files
// jobs/index.ts imports, transitively, app modules included).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { envSchema } from "~/lib/env-schema.ts";
import { jobsEnvSchema } from "../../jobs/config.ts";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

const IMPORT_PATTERNS = [/(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']/g, /import\s*\(\s*["']([^"']+)["']\s*\)/g, /import\s+["']([^"']+)["']/g];
const ENV_READ = /process\.env(?:\.([A-Z][A-Z0-9_]*)|\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\])/g;

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

function sourceFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !isTestFile(file));
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
  const files = [...sourceFilesUnder(path.join(REPO_ROOT, "app")), path.join(REPO_ROOT, "scripts/serve.ts")];
  return new Set([...Object.keys(envSchema.shape), ...environmentReads(files)]);
}

export function jobsVariables(): Set<string> {
  const files = importClosure([path.join(REPO_ROOT, "jobs/index.ts")]);
  return new Set([...Object.keys(jobsEnvSchema.shape), ...environmentReads(files)]);
}
