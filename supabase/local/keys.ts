// The JWT secret and the anon / service-role API keys of the local stack.
// Generated once and kept in `.env` (git-ignored) so the app, the jobs process
// and supabase-js clients all use the same values, as with `supabase start`.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { SignJWT } from "jose";

export interface LocalKeys {
  jwtSecret: string;
  anonKey: string;
  serviceRoleKey: string;
}

export interface LocalSecrets extends LocalKeys {
  /** CREDENTIALS_PUBLIC_KEYS (the app seals investor passwords with it, docs/decisions/021). */
  credentialPublicKeys: string;
  /** CREDENTIALS_PRIVATE_KEYS (the jobs process alone opens them). */
  credentialPrivateKeys: string;
  /** ADR 010's symmetric ENCRYPTION_KEYS, when an older .env has them: the jobs re-seal rows stored under them. */
  legacyEncryptionKeys: string | undefined;
}

/** A local X25519 key pair as the two env entries (raw keys, base64). */
function localCredentialKeyPair(keyId: string): { publicKeys: string; privateKeys: string } {
  const jwk = generateKeyPairSync("x25519").privateKey.export({ format: "jwk" });
  const base64 = (url: string) => Buffer.from(url, "base64url").toString("base64");
  return { publicKeys: `${keyId}:${base64(jwk.x!)}`, privateKeys: `${keyId}:${base64(jwk.d!)}` };
}

const TEN_YEARS_SECONDS = 10 * 365 * 24 * 3600;

export async function signApiKey(jwtSecret: string, role: "anon" | "service_role"): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer("supabase-local")
    .setIssuedAt(now)
    .setExpirationTime(now + TEN_YEARS_SECONDS)
    .sign(new TextEncoder().encode(jwtSecret));
}

export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (match) values[match[1]!] = match[2]!.replace(/^"(.*)"$/, "$1");
  }
  return values;
}

/**
 * Returns the keys recorded in `envFile`, creating any that are missing and
 * appending them (other lines of the file are left as they are).
 */
export async function ensureLocalKeys(envFile: string): Promise<LocalSecrets> {
  const text = existsSync(envFile) ? readFileSync(envFile, "utf8") : "";
  const env = parseEnvFile(text);
  const additions: string[] = [];
  let jwtSecret = env.SUPABASE_JWT_SECRET;
  if (!jwtSecret || jwtSecret.length < 32) {
    jwtSecret = randomBytes(32).toString("hex");
    additions.push(`SUPABASE_JWT_SECRET=${jwtSecret}`);
  }
  let anonKey = env.SUPABASE_ANON_KEY;
  let serviceRoleKey = env.SUPABASE_SERVICE_ROLE_KEY;
  if (!anonKey || additions.length) {
    anonKey = await signApiKey(jwtSecret, "anon");
    additions.push(`SUPABASE_ANON_KEY=${anonKey}`);
  }
  if (!serviceRoleKey || additions.length > 1) {
    serviceRoleKey = await signApiKey(jwtSecret, "service_role");
    additions.push(`SUPABASE_SERVICE_ROLE_KEY=${serviceRoleKey}`);
  }
  // Independent of the JWT keys: regenerating them would orphan every stored password.
  let credentialPublicKeys = env.CREDENTIALS_PUBLIC_KEYS;
  let credentialPrivateKeys = env.CREDENTIALS_PRIVATE_KEYS;
  const keepCredentialKeys = Boolean(credentialPublicKeys && credentialPrivateKeys);
  if (!keepCredentialKeys) ({ publicKeys: credentialPublicKeys, privateKeys: credentialPrivateKeys } = localCredentialKeyPair("sealed1"));
  // An older .env's symmetric key stays (rows sealed before 021 are re-sealed by the jobs with it).
  const legacyEncryptionKeys = env.ENCRYPTION_KEYS || undefined;
  if (additions.length || !keepCredentialKeys) {
    additions.push(`CREDENTIALS_PUBLIC_KEYS=${credentialPublicKeys}`, `CREDENTIALS_PRIVATE_KEYS=${credentialPrivateKeys}`);
    if (legacyEncryptionKeys) additions.push(`ENCRYPTION_KEYS=${legacyEncryptionKeys}`);
    const kept = text
      .split(/\r?\n/)
      .filter(
        (line) =>
          !/^\s*(SUPABASE_JWT_SECRET|SUPABASE_ANON_KEY|SUPABASE_SERVICE_ROLE_KEY|ENCRYPTION_KEYS|CREDENTIALS_PUBLIC_KEYS|CREDENTIALS_PRIVATE_KEYS)\s*=/.test(
            line,
          ),
      )
      .join("\n")
      .trimEnd();
    const header = kept ? `${kept}\n` : "# Written by supabase/local on first start. Git-ignored.\n";
    writeFileSync(envFile, `${header}${additions.join("\n")}\n`, { mode: 0o600 });
  }
  return {
    jwtSecret,
    anonKey,
    serviceRoleKey,
    credentialPublicKeys: credentialPublicKeys!,
    credentialPrivateKeys: credentialPrivateKeys!,
    legacyEncryptionKeys,
  };
}
