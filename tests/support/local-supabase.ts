// Starts the local Supabase server (all services) on a free port against this
// test file's own database. Contract tests use it through the real supabase-js.
// When SUPABASE_TEST_URL (+ SUPABASE_TEST_ANON_KEY, SUPABASE_TEST_SERVICE_ROLE_KEY)
// is set, the same tests run against that real Supabase instead.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { signApiKey } from "../../supabase/local/keys.ts";
import { startLocalSupabase, type RunningLocalSupabase } from "../../supabase/local/server.ts";
import { localServices } from "../../supabase/local/services.ts";
import type { LocalSupabaseConfig } from "../../supabase/local/context.ts";
import { createTestDatabase, type TestDatabase } from "./database.ts";
import { freePort } from "../../supabase/local/free-port.ts";
export { freePort };

export interface SupabaseUnderTest {
  url: string;
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret: string | null;
  /** Null against a real Supabase. */
  local: RunningLocalSupabase | null;
  db: TestDatabase | null;
  external: boolean;
}

export async function startSupabaseForTests(
  overrides: Partial<LocalSupabaseConfig> = {},
  { log }: { log?: (line: string) => void } = {},
): Promise<SupabaseUnderTest> {
  const externalUrl = process.env.SUPABASE_TEST_URL;
  if (externalUrl) {
    return {
      url: externalUrl,
      anonKey: process.env.SUPABASE_TEST_ANON_KEY ?? "",
      serviceRoleKey: process.env.SUPABASE_TEST_SERVICE_ROLE_KEY ?? "",
      jwtSecret: process.env.SUPABASE_TEST_JWT_SECRET ?? null,
      local: null,
      db: null,
      external: true,
    };
  }
  const db = await createTestDatabase();
  const jwtSecret = "test-jwt-secret-with-at-least-32-characters";
  const keys = {
    jwtSecret,
    anonKey: await signApiKey(jwtSecret, "anon"),
    serviceRoleKey: await signApiKey(jwtSecret, "service_role"),
  };
  const storageDir = await mkdtemp(path.join(os.tmpdir(), "rj-storage-"));
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const local = await startLocalSupabase({
    databaseUrl: db.url,
    keys,
    port,
    config: {
      publicUrl,
      siteUrl: "http://localhost:3000",
      additionalRedirectUrls: ["http://127.0.0.1"],
      autoconfirm: false,
      jwtExpirySeconds: 3600,
      emailRateLimitPerHour: 30,
      storageDir,
      ...overrides,
    },
    services: localServices,
    log: log ?? (process.env.LOCAL_SUPABASE_LOG ? (line) => console.log(line) : () => {}),
  });
  afterAll(async () => {
    await local.close();
    await rm(storageDir, { recursive: true, force: true });
  });
  return { url: publicUrl, ...keys, local, db, external: false };
}
