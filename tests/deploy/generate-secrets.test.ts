// deploy/generate-secrets.mjs: the API keys it signs verify under its JWT
// secret with the right roles (as Supabase's services and the app check them),
// and every other secret has the shape its consumer requires.
import path from "node:path";
import { execa } from "execa";
import { jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { parseEncryptionKeys } from "~/lib/credential-crypto.server.ts";
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
        "ENCRYPTION_KEYS",
        "JWT_SECRET",
        "POSTGRES_PASSWORD",
        "REALTIME_DB_ENC_KEY",
        "SECRET_KEY_BASE",
        "SERVICE_ROLE_KEY",
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

  it("makes URL-safe database passwords, a 16-character Realtime key and a usable ENCRYPTION_KEYS", async () => {
    const first = await generated();
    const second = await generated();
    for (const name of ["POSTGRES_PASSWORD", "AUTHENTICATOR_PASSWORD"]) {
      expect(first[name]).toMatch(/^[0-9a-f]{48}$/);
      expect(first[name]).not.toBe(second[name]);
    }
    expect(first.REALTIME_DB_ENC_KEY).toHaveLength(16);
    expect(first.SECRET_KEY_BASE!.length).toBeGreaterThanOrEqual(64);
    const keyring = parseEncryptionKeys(first.ENCRYPTION_KEYS);
    expect(keyring.currentKeyId).toMatch(/^k\d{8}$/);
  });
});
