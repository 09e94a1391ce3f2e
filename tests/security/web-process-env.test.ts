// The web process's configuration as `npm start` builds it (ADR 021): it can
// seal an investor password, and nothing in it opens one.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseEnv } from "../../app/lib/env-schema.ts";
import { parseSealingKey, sealWith } from "../../app/lib/credential-seal.server.ts";
import { loadCredentialKeyring, openCredential } from "../../jobs/credentials/credential-keys.ts";
import { parseJobsEnv } from "../../jobs/config.ts";
import { ensureLocalKeys } from "../../supabase/local/keys.ts";
import { JOBS_ONLY_VARIABLES, webProcessEnv } from "../../scripts/process-env.ts";

const dir = await mkdtemp(path.join(os.tmpdir(), "rj-process-env-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the web process's environment", () => {
  it("seals with the public key and holds no private key, legacy key, owner URL or service-role key", async () => {
    // An .env from before ADR 021 (a symmetric key) gets a key pair added beside it.
    const envFile = path.join(dir, ".env");
    const { writeFile } = await import("node:fs/promises");
    await writeFile(envFile, `ENCRYPTION_KEYS=local1:${Buffer.alloc(32, 3).toString("base64")}\n`);
    const keys = await ensureLocalKeys(envFile);
    expect(keys.legacyEncryptionKeys).toMatch(/^local1:/);
    const jobsEnv: Record<string, string> = {
      NODE_ENV: "production",
      SITE_URL: "http://localhost:3000",
      SUPABASE_URL: "http://127.0.0.1:54321",
      SUPABASE_ANON_KEY: keys.anonKey,
      SUPABASE_SERVICE_ROLE_KEY: keys.serviceRoleKey,
      SUPABASE_JWT_SECRET: keys.jwtSecret,
      DATABASE_URL: "postgres://postgres:postgres@127.0.0.1:54322/postgres",
      APP_DATABASE_URL: "postgres://authenticator:postgres@127.0.0.1:54322/postgres",
      CREDENTIALS_PUBLIC_KEYS: keys.credentialPublicKeys,
      CREDENTIALS_PRIVATE_KEYS: keys.credentialPrivateKeys,
      ENCRYPTION_KEYS: keys.legacyEncryptionKeys!,
      SYNC_MARKET_DATA_WORKERS: "0",
    };
    const web = webProcessEnv(jobsEnv, "postgres://rawjournal_web:postgres@127.0.0.1:54322/postgres");

    for (const name of JOBS_ONLY_VARIABLES) if (name !== "APP_DATABASE_URL") expect(web, name).not.toHaveProperty(name);
    expect(new URL(web.APP_DATABASE_URL!).username).toBe("rawjournal_web");
    expect(parseEnv(web).APP_DATABASE_URL).toBe(web.APP_DATABASE_URL);

    // The web seals…
    const sealed = sealWith(parseSealingKey(web.CREDENTIALS_PUBLIC_KEYS), "inv-51000001!", { context: "account" });
    // …and no value it holds opens that: tried as a private key list, every one fails or does not parse.
    const secretValues = Object.values(web).filter((value) => /^[\w.-]{1,64}:[A-Za-z0-9+/]+={0,2}(,|$)/.test(value));
    expect(secretValues).toContain(web.CREDENTIALS_PUBLIC_KEYS);
    for (const value of secretValues) {
      let opened: string | null = null;
      try {
        opened = openCredential(loadCredentialKeyring(value, value), sealed.ciphertext, sealed.keyId, { context: "account" });
      } catch {
        opened = null;
      }
      expect(opened).toBeNull();
    }
    // Every other value of the web's environment is no 32-byte key at all.
    for (const value of Object.values(web)) expect(value).not.toContain(jobsEnv.CREDENTIALS_PRIVATE_KEYS.split(":")[1]);

    // The jobs process, with its environment, opens it.
    const jobs = parseJobsEnv(jobsEnv);
    expect(
      openCredential(loadCredentialKeyring(jobs.CREDENTIALS_PRIVATE_KEYS, jobs.ENCRYPTION_KEYS), sealed.ciphertext, sealed.keyId, {
        context: "account",
      }),
    ).toBe("inv-51000001!");
  });
});
