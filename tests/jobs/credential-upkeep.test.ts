// ADR 021 in the real jobs runtime: a password stored in ADR 010's symmetric
// format (before the move to sealed boxes) still opens, so the account syncs;
// the runtime's upkeep re-seals it to the current key pair, and the sync goes
// on with the new format; the replaced ciphertext is wiped from the pages.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { encryptWith, parseEncryptionKeys } from "../../app/lib/credential-crypto.server.ts";
import { startJobsHarness, waitFor } from "../support/jobs-harness.ts";

const START = new Date("2026-03-04T10:00:00Z");
const LEGACY_KEYS = `local1:${randomBytes(32).toString("base64")}`;
// A long interval: the test runs the upkeep itself, after the first sync.
const h = await startJobsHarness({ start: START, tradeWorkers: 1, legacyEncryptionKeys: LEGACY_KEYS, runtime: { credentialUpkeepMs: 3_600_000 } });

async function stored(accountId: string) {
  const { rows } = await h.db.query<{ key_id: string; version: number }>(
    "select key_id, get_byte(password_ciphertext, 0) as version from public.account_credentials where account_id = $1",
    [accountId],
  );
  return rows[0];
}

async function fullSyncAt(accountId: string): Promise<number> {
  const { rows } = await h.db.query<{ full: Date | null }>("select last_full_sync_at as full from public.account_sync_state where account_id = $1", [
    accountId,
  ]);
  return rows[0]?.full?.getTime() ?? 0;
}

describe("credential upkeep in the jobs process", () => {
  it("syncs with an ADR 010 password, re-seals it to the current key and keeps syncing", async () => {
    await h.runtime.credentials.runOnce();
    const user = await h.createMt5User("elite");
    const account = await h.connectAccount(user, { login: 51000001, server: "RawBroker-Demo", password: "placeholder" });
    // Replace the harness's sealed password by the same password in the first format.
    const legacy = encryptWith(parseEncryptionKeys(LEGACY_KEYS), "inv-51000001!", { context: account });
    await h.db.query("update public.account_credentials set password_ciphertext = $2, key_id = $3 where account_id = $1", [
      account,
      Buffer.from(legacy.ciphertext),
      legacy.keyId,
    ]);
    expect(await stored(account)).toEqual({ key_id: "local1", version: 1 });

    const tab = await h.openTab(user);
    await waitFor(async () => (await fullSyncAt(account)) > 0, "the history sync with the legacy password");
    await h.settle();

    await h.runtime.credentials.runOnce();
    expect(await stored(account)).toEqual({ key_id: h.keyring.current.keyId, version: 2 });
    const { rows } = await h.db.query<{ clean: boolean }>("select dirtied = vacuumed as clean from public.credential_wipe_state");
    expect(rows[0]!.clean).toBe(true);

    const before = await fullSyncAt(account);
    h.advance(75_000);
    await waitFor(async () => (await fullSyncAt(account)) > before, "a full sync with the re-sealed password");
    const { rows: state } = await h.db.query<{ failures: number; paused_at: Date | null }>(
      "select consecutive_login_failures as failures, paused_at from public.account_sync_state where account_id = $1",
      [account],
    );
    expect(state[0]).toEqual({ failures: 0, paused_at: null });
    await tab.close();
  });
});
