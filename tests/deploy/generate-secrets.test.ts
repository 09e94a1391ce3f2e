// deploy/generate-secrets.mjs: the API keys it signs verify under its JWT
// secret with the right roles (as Supabase's services and the app check them),
// and every other secret has the shape its consumer requires.
import path from "node:path";
import { execa } from "execa";
import { jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { parseSealingKey, sealWith } from "~/lib/credential-seal.server.ts";
import { loadCredentialKeyring, openCredential } from "../../jobs/credentials/credential-keys.ts";
import { REPO_ROOT } from "./env-readers.ts";

async function generated(): Promise<Record<string, string>> {
  const { stdout } = await execa(process.execPath, [path.join(REPO_ROOT, "deploy/generate-secrets.mjs")]);
  const lines = stdout.split("\n").filter((line) => line && !line.startsWith("#"));
  return Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
}

describe("deploy/generate-secrets.mjs", () => {
  it("prints every secret deploy/.env.example asks for", async () => {
    const secrets = await generated();
    expect(Object.keys(secrets).sort()).toEqual(
      [
        "ANON_KEY",
        "AUTHENTICATOR_PASSWORD",
        "CREDENTIALS_PRIVATE_KEYS",
        "CREDENTIALS_PUBLIC_KEYS",
        "JWT_SECRET",
        "POSTGRES_PASSWORD",
        "REALTIME_DB_ENC_KEY",
        "SECRET_KEY_BASE",
        "SERVICE_ROLE_KEY",
        "WEB_DB_PASSWORD",
      ].sort(),
    );
  });

  it("signs the anon and service_role keys with the JWT secret, valid for years", async () => {
    const secrets = await generated();
    expect(secrets.JWT_SECRET!.length).toBeGreaterThanOrEqual(32);
    const key = new TextEncoder().encode(secrets.JWT_SECRET);
    const anon = await jwtVerify(secrets.ANON_KEY!, key, { algorithms: ["HS256"] });
    const service = await jwtVerify(secrets.SERVICE_ROLE_KEY!, key, { algorithms: ["HS256"] });
    expect(anon.payload.role).toBe("anon");
    expect(service.payload.role).toBe("service_role");
    expect(anon.payload.exp! - Date.now() / 1000).toBeGreaterThan(9 * 365 * 24 * 3600);
    await expect(jwtVerify(secrets.ANON_KEY!, new TextEncoder().encode("x".repeat(64)))).rejects.toThrow();
  });

  it("makes URL-safe database passwords, a 16-character Realtime key and a key pair the web seals to and the jobs open", async () => {
    const first = await generated();
    const second = await generated();
    for (const name of ["POSTGRES_PASSWORD", "AUTHENTICATOR_PASSWORD", "WEB_DB_PASSWORD"]) {
      expect(first[name]).toMatch(/^[0-9a-f]{48}$/);
      expect(first[name]).not.toBe(second[name]);
    }
    expect(first.REALTIME_DB_ENC_KEY).toHaveLength(16);
    expect(first.SECRET_KEY_BASE!.length).toBeGreaterThanOrEqual(64);
    const sealed = sealWith(parseSealingKey(first.CREDENTIALS_PUBLIC_KEYS), "inv-51000001!");
    expect(sealed.keyId).toMatch(/^k\d{8}$/);
    expect(openCredential(loadCredentialKeyring(first.CREDENTIALS_PRIVATE_KEYS), sealed.ciphertext, sealed.keyId)).toBe("inv-51000001!");
    // Another run's private key does not open it.
    const other = loadCredentialKeyring(second.CREDENTIALS_PRIVATE_KEYS);
    expect(() => openCredential(other, sealed.ciphertext, sealed.keyId)).toThrow();
  });
});
