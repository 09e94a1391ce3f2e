// `npm run credentials -- keygen <keyId>`: a new X25519 key pair for investor
// passwords, printed as the two env entries (docs/decisions/021).
// `npm run credentials -- reseal`: re-seals every stored password not sealed to
// the current key and wipes the replaced ciphertexts from the table pages, now
// instead of at the jobs process's next pass. Reads the jobs process's
// environment: APP_DATABASE_URL (its service login), DATABASE_URL (the owner),
// CREDENTIALS_PRIVATE_KEYS and, while ADR 010 rows remain, ENCRYPTION_KEYS.
import pg from "pg";
import { generateCredentialKeyPair, loadCredentialKeyring } from "../jobs/credentials/credential-keys.ts";
import { resealStoredCredentials } from "../jobs/credentials/reseal-credentials.ts";
import { wipeDeadCredentials } from "../jobs/credentials/wipe-dead-credentials.ts";

async function main(): Promise<void> {
  const [command, keyId] = process.argv.slice(2);
  if (command === "keygen") {
    if (!keyId || !/^[A-Za-z0-9_.-]{1,64}$/.test(keyId))
      throw new Error("Usage: npm run credentials -- keygen <keyId> (1–64 letters, digits, '.', '_' or '-')");
    const pair = generateCredentialKeyPair(keyId);
    console.log("# The web process (a public key, not a secret):");
    console.log(`CREDENTIALS_PUBLIC_KEYS=${pair.publicEntry}`);
    console.log("# The jobs process only, FIRST in its list, keeping the old entries until `reseal` reports nothing left:");
    console.log(`CREDENTIALS_PRIVATE_KEYS=${pair.privateEntry}`);
    return;
  }
  if (command === "reseal") {
    const { APP_DATABASE_URL, DATABASE_URL, CREDENTIALS_PRIVATE_KEYS, ENCRYPTION_KEYS } = process.env;
    if (!APP_DATABASE_URL || !DATABASE_URL) throw new Error("APP_DATABASE_URL (the jobs' service login) and DATABASE_URL (the owner) must be set.");
    const keyring = loadCredentialKeyring(CREDENTIALS_PRIVATE_KEYS, ENCRYPTION_KEYS);
    const pool = new pg.Pool({ connectionString: APP_DATABASE_URL, max: 2 });
    try {
      const report = await resealStoredCredentials(pool, keyring);
      console.log(
        `re-sealed ${report.resealed} to key ${keyring.current.keyId}; ${report.current} already current; ${report.failed.length} did not open`,
      );
      for (const failure of report.failed) console.log(`  account ${failure.accountId}: ${failure.code} (the user must reconnect it)`);
      console.log(`old ciphertexts: ${await wipeDeadCredentials(DATABASE_URL)}`);
    } finally {
      await pool.end();
    }
    return;
  }
  throw new Error("Usage: npm run credentials -- keygen <keyId> | reseal");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
