// No recoverable investor-password ciphertext left in table pages after a
// disconnect, a reconnect, a used-up connection check or a rotation
// (docs/decisions/021). PostgreSQL keeps an updated or deleted row's old
// version in the page, and a plain VACUUM only marks its space reusable, so
// "wipe before delete" cannot be done in SQL. VACUUM FULL rewrites both tables
// into new files holding only live rows; the old files are truncated at once
// and unlinked at the next checkpoint. A trigger counts every update or delete
// of a row that held a ciphertext (public.credential_wipe_state), so the
// rewrite runs only when there is something to wipe.
//
// VACUUM FULL needs the tables' owner, so this uses the jobs process's owner
// login (DATABASE_URL), never the web's. It takes an ACCESS EXCLUSIVE lock for
// the few milliseconds two small tables take to copy; lock_timeout keeps it
// from queueing behind a long transaction (it tries again next time).
import pg from "pg";

export type WipeOutcome = "clean" | "wiped" | "busy";

export async function wipeDeadCredentials(ownerUrl: string, { lockTimeoutMs = 2_000 } = {}): Promise<WipeOutcome> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ dirtied: string; vacuumed: string }>("select dirtied, vacuumed from public.credential_wipe_state");
    const state = rows[0];
    if (!state || state.dirtied === state.vacuumed) return "clean";
    await client.query(`set lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}`);
    try {
      await client.query("vacuum full public.account_credentials, public.mt5_connection_checks");
    } catch (error) {
      if ((error as { code?: string }).code === "55P03") return "busy";
      throw error;
    }
    // What was counted before the rewrite is gone now; anything counted since waits for the next one.
    await client.query("update public.credential_wipe_state set vacuumed = $1, vacuumed_at = now() where vacuumed < $1", [state.dirtied]);
    return "wiped";
  } finally {
    await client.end();
  }
}
