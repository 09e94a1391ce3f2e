// The demo's history, read once before `npm start` says it is ready: a first
// page showing "Balance $0.00, no trades" reads as lost data. The sync is the
// jobs process's own (runSyncJob on a terminal driving the simulator bridge),
// run once here; after that the presence-driven schedule takes over (a
// catch-up when the demo user signs in).
import pg from "pg";
import { loadCredentialKeyring } from "../jobs/credentials/credential-keys.ts";
import { systemClock } from "../jobs/clock.ts";
import { runSyncJob } from "../jobs/sync/run-sync-job.ts";
import { Terminal } from "../jobs/terminals/terminal.ts";

export interface DemoHistoryOptions {
  /** The owner's URL (the check below reads the sync state, which no API role may). */
  databaseUrl: string;
  appDatabaseUrl: string;
  credentialPrivateKeys: string;
  legacyEncryptionKeys?: string;
  accountId: string;
  python: string;
  bridgeEnv: Record<string, string>;
  log: (line: string) => void;
}

/** Runs the demo account's first (history) sync unless one has completed; returns whether it ran and succeeded. */
export async function syncDemoHistory(options: DemoHistoryOptions): Promise<boolean> {
  const pool = new pg.Pool({ connectionString: options.appDatabaseUrl, max: 2 });
  const terminal = new Terminal({
    id: "demo-history",
    kind: "trade",
    bridge: { python: options.python, env: options.bridgeEnv, defaultTimeoutMs: 60_000 },
    clock: systemClock,
    loginTimeoutMs: 30_000,
    log: () => {},
  });
  try {
    const owner = new pg.Client({ connectionString: options.databaseUrl });
    await owner.connect();
    const { rows } = await owner
      .query<{ done: boolean }>(
        "select exists (select 1 from public.account_sync_state where account_id = $1 and first_sync_completed_at is not null) as done",
        [options.accountId],
      )
      .finally(() => owner.end());
    if (rows[0]?.done) return false;
    const result = await runSyncJob(
      { pool, keyring: loadCredentialKeyring(options.credentialPrivateKeys, options.legacyEncryptionKeys), clock: systemClock, log: options.log },
      terminal,
      {
        accountId: options.accountId,
        kind: "history",
        reason: "first_sync",
      },
    );
    if (result.status !== "synced") options.log(`the demo's history was not read (${JSON.stringify(result)}); it is read when you sign in`);
    return result.status === "synced";
  } finally {
    await terminal.stop().catch(() => {});
    await pool.end();
  }
}
