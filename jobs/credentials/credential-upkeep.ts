// The jobs process's credential upkeep (docs/decisions/021): re-seal what is
// not sealed to the current key, then wipe replaced or deleted ciphertexts from
// the tables' pages. At start, then every `intervalMs` (a minute by default),
// so a disconnect's ciphertext is gone from the pages within about a minute.
import type pg from "pg";
import type { CredentialKeyring } from "./credential-keys.ts";
import { resealStoredCredentials } from "./reseal-credentials.ts";
import { wipeDeadCredentials } from "./wipe-dead-credentials.ts";

export interface CredentialUpkeep {
  /** One pass now (tests, and the loop). */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

export function startCredentialUpkeep(options: {
  /** The service login's pool (reads and re-seals as service_role). */
  pool: pg.Pool;
  /** The owner login: VACUUM FULL needs the tables' owner. */
  ownerUrl: string;
  keyring: CredentialKeyring;
  intervalMs?: number;
  log: (line: string) => void;
}): CredentialUpkeep {
  const { pool, ownerUrl, keyring, log } = options;
  let running: Promise<void> | null = null;
  let stopped = false;
  const pass = async () => {
    const report = await resealStoredCredentials(pool, keyring);
    if (report.resealed) log(`credentials: re-sealed ${report.resealed} to key ${keyring.current.keyId}`);
    for (const failure of report.failed) log(`credentials: account ${failure.accountId} did not open (${failure.code}); it needs a reconnect`);
    const wiped = await wipeDeadCredentials(ownerUrl);
    if (wiped !== "clean") log(`credentials: old ciphertexts ${wiped === "wiped" ? "wiped from the table pages" : "not wiped yet (tables busy)"}`);
  };
  const runOnce = () => {
    running ??= pass()
      .catch((error: unknown) => log(`credentials: upkeep failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        running = null;
      });
    return running;
  };
  void runOnce();
  const timer = setInterval(() => {
    if (!stopped) void runOnce();
  }, options.intervalMs ?? 60_000);
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
