// What the web process's environment may hold (docs/decisions/021): the
// jobs process's environment minus every key that opens an investor
// password, every login or API key that bypasses RLS, and every other
// secret only the jobs use. `npm start` builds the web child's environment
// here (with extendEnv off, so nothing else leaks in).

/** Variables only the jobs process may hold. */
export const JOBS_ONLY_VARIABLES = [
  // Owner login (pg-boss, migrations) and the service login that can become service_role.
  "DATABASE_URL",
  "APP_DATABASE_URL",
  "SUPABASE_SERVICE_ROLE_KEY",
  // Keys that open investor passwords: today's private keys and ADR 010's symmetric ones.
  "CREDENTIALS_PRIVATE_KEYS",
  "ENCRYPTION_KEYS",
  "MARKET_DATA_PASSWORD",
  "SMTP_URL",
  "SMTP_PASS",
  "RESTORE_DATABASE_URL",
] as const;

/**
 * The web process's memory setting, here and in the Dockerfile's app stage
 * (tests/deploy/web-memory-env.test.ts keeps them equal). glibc serves a
 * large allocation from a fresh mapping and, once one is freed, raises that
 * threshold to its size (up to 32 MB), so the next ones come from its heap,
 * whose freed pages it keeps. An import allocates thousands of such buffers
 * (the upload, inflated pieces, COPY data), and the process's resident memory
 * ratcheted up with them (peaks of 392–451 MB). A fixed threshold stops the
 * ratchet. It is 2 MB, not lower: the inflater's 1 MB pieces (about 600 of
 * them per 100,000-position parse) then reuse the heap's memory instead of
 * mapping fresh pages that fault in one by one — at 128 kB a parse took
 * ~200,000 page faults and ~0.4 s more kernel time, and upload + preview
 * 1.4 s more CPU on two cores (docs/benchmarks.md).
 */
export const WEB_MEMORY_ENV = { MALLOC_MMAP_THRESHOLD_: "2097152" } as const;

/**
 * The web process's Node options, here (npm start, the benches' server), in
 * the Dockerfile's app stage's CMD and in `npm run serve`
 * (tests/deploy/web-memory-env.test.ts keeps them equal; NODE_OPTIONS
 * refuses these V8 flags). An import's parse makes hundreds of MB of
 * short-lived strings, and after the server has idled V8's memory reducer
 * has shrunk both generations to what is live (docs/benchmarks.md):
 * - the old generation's limit: the next parse then grows the heap in small
 *   steps, a full collection at each (33 in one 100,000-position parse
 *   instead of 7–10; 0.6–0.9 s longer). A 128 MB floor under the limit lets
 *   a parse run with a few.
 * - the young generation: 32 MB through a first import, 1 MB after idle. A
 *   parse's garbage dies young, and V8 grows the young generation only when
 *   much of it survives, so the next parse grew it step by step and ran 167
 *   scavenges instead of 73. An 8 MB floor keeps it from starting that
 *   small (89–93 scavenges); it costs about 10 MB at idle, and its maximum
 *   (and the peak) is unchanged.
 * The reducer still hands the rest of idle memory back, and the import's
 * peak RSS did not rise.
 */
export const WEB_NODE_ARGS = ["--initial-old-space-size=128", "--min-semi-space-size=8"] as const;

/** The web child's environment: `all` without the jobs-only variables, with the web's own login as APP_DATABASE_URL. */
export function webProcessEnv(all: Record<string, string | undefined>, webDatabaseUrl: string): Record<string, string> {
  const web: Record<string, string> = { ...WEB_MEMORY_ENV };
  for (const [key, value] of Object.entries(all)) {
    if (value !== undefined && !(JOBS_ONLY_VARIABLES as readonly string[]).includes(key)) web[key] = value;
  }
  web.APP_DATABASE_URL = webDatabaseUrl;
  return web;
}
