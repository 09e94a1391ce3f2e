// One jobs process drives the sync at a time. A second one (a rolling deploy
// starting the new container before the old one stops, or a second replica)
// waits as a standby until the first lets go, instead of scheduling the same
// accounts and holding presence subscriptions twice. The leader holds a
// session-level advisory lock on its own connection: it is released when the
// process stops or its connection drops, so a crashed leader never blocks the
// standby. The connection must be direct or session-pooled (an advisory lock
// means nothing through a transaction pooler).
import pg from "pg";
import { abortableSleep } from "~/lib/abortable-sleep.ts";

/** `hashtext('rawjournal-jobs')` would do; a fixed number keeps it readable in pg_locks. */
export const JOBS_LEADER_LOCK_KEY = 7_240_117_001;

export interface Leadership {
  /** Resolves when the lock is lost: the connection dropped or the server ended it. */
  lost: Promise<Error>;
  release(): Promise<void>;
}

export interface LeaderLockOptions {
  databaseUrl: string;
  /** How often a standby tries again. */
  retryMs?: number;
  log?: (line: string) => void;
  /** Stops waiting (the standby is shutting down); resolves `acquire` with null. */
  signal?: AbortSignal;
}

export async function acquireLeadership(options: LeaderLockOptions): Promise<Leadership | null> {
  const { retryMs = 5_000, log = () => {}, signal } = options;
  let waitingSaid = false;
  for (;;) {
    if (signal?.aborted) return null;
    const client = new pg.Client({ connectionString: options.databaseUrl, application_name: "rawjournal-jobs-leader" });
    // An error on an idle connection must not crash the process before `lost` is wired.
    let failure: Error | null = null;
    client.on("error", (error) => (failure = error));
    try {
      await client.connect();
      const { rows } = await client.query<{ locked: boolean }>("select pg_try_advisory_lock($1) as locked", [JOBS_LEADER_LOCK_KEY]);
      if (rows[0]?.locked && !failure) return leadership(client);
    } catch (error) {
      log(`leader lock: ${(error as Error).message}; trying again in ${retryMs} ms`);
    }
    await client.end().catch(() => {});
    if (!waitingSaid) {
      log("another jobs process holds the sync; standing by until it stops");
      waitingSaid = true;
    }
    await abortableSleep(retryMs, signal);
  }
}

function leadership(client: pg.Client): Leadership {
  let released = false;
  const lost = new Promise<Error>((resolve) => {
    client.on("error", (error) => {
      if (!released) resolve(error);
    });
    client.on("end", () => {
      if (!released) resolve(new Error("the leader lock's connection closed"));
    });
  });
  return {
    lost,
    async release() {
      released = true;
      await client.query("select pg_advisory_unlock($1)", [JOBS_LEADER_LOCK_KEY]).catch(() => {});
      await client.end().catch(() => {});
    },
  };
}
