// Key rotation and the move off ADR 010's symmetric format (docs/decisions/021):
// every stored investor password not sealed to the current key is opened with
// the key it names and sealed again to the current one. The jobs process runs
// this at start and then every few minutes (./credential-upkeep.ts); the old
// ciphertexts it replaces are then wiped from the table's pages.
import type pg from "pg";
import { CredentialCryptoError } from "~/lib/credential-crypto.server.ts";
import { withServiceRole } from "~/lib/service-role.server.ts";
import { needsResealing, resealCredential, type CredentialKeyring } from "./credential-keys.ts";

export interface ResealReport {
  resealed: number;
  /** Rows already sealed to the current key. */
  current: number;
  /** Rows that did not open (their key is missing or they were altered), by account id, with the reason's code. */
  failed: Array<{ accountId: string; code: string }>;
}

interface StoredRow {
  account_id: string;
  key_id: string;
  password_ciphertext: Buffer;
}

export async function resealStoredCredentials(pool: pg.Pool, keyring: CredentialKeyring, batchSize = 200): Promise<ResealReport> {
  const report: ResealReport = { resealed: 0, current: 0, failed: [] };
  const { rows } = await withServiceRole(pool, null, (db) =>
    db.query<StoredRow>("select account_id, key_id, password_ciphertext from public.account_credentials order by account_id"),
  );
  const stale = rows.filter((row) => needsResealing(keyring, row.password_ciphertext, row.key_id));
  report.current = rows.length - stale.length;
  for (let start = 0; start < stale.length; start += batchSize) {
    const batch = stale.slice(start, start + batchSize);
    await withServiceRole(pool, null, async (db) => {
      for (const row of batch) {
        let sealed;
        try {
          sealed = resealCredential(keyring, row.password_ciphertext, row.key_id, { context: row.account_id });
        } catch (error) {
          if (!(error instanceof CredentialCryptoError)) throw error;
          report.failed.push({ accountId: row.account_id, code: error.code });
          continue;
        }
        // Only if nobody replaced it meanwhile (a reconnect's new password wins).
        const { rowCount } = await db.query(
          `update public.account_credentials set password_ciphertext = $2, key_id = $3
            where account_id = $1 and password_ciphertext = $4`,
          [row.account_id, Buffer.from(sealed.ciphertext), sealed.keyId, row.password_ciphertext],
        );
        if (rowCount) report.resealed += 1;
      }
    });
  }
  return report;
}
