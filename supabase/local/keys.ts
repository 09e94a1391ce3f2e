// The JWT secret and the anon / service-role API keys of the local stack.
// Generated once and kept in `.env` (git-ignored) so the app, the jobs process
// and supabase-js clients all use the same values, as with `supabase start`.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { SignJWT } from "jose";

export interface LocalKeys {
  jwtSecret: string;
  anonKey: string;
  serviceRoleKey: string;
}

export interface LocalSecrets extends LocalKeys {
  /** ENCRYPTION_KEYS for investor passwords (docs/decisions/010): one local key. */
  encryptionKeys: string;
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
  // Independent of the JWT keys: regenerating it would orphan every stored password.
  let encryptionKeys = env.ENCRYPTION_KEYS;
  const keepEncryptionKeys = Boolean(encryptionKeys);
  if (!encryptionKeys) encryptionKeys = `local1:${randomBytes(32).toString("base64")}`;
  if (additions.length || !keepEncryptionKeys) {
    additions.push(`ENCRYPTION_KEYS=${encryptionKeys}`);
    const kept = text
      .split(/\r?\n/)
      .filter((line) => !/^\s*(SUPABASE_JWT_SECRET|SUPABASE_ANON_KEY|SUPABASE_SERVICE_ROLE_KEY|ENCRYPTION_KEYS)\s*=/.test(line))
      .join("\n")
      .trimEnd();
    const header = kept ? `${kept}\n` : "# Written by supabase/local on first start. Git-ignored.\n";
    writeFileSync(envFile, `${header}${additions.join("\n")}\n`, { mode: 0o600 });
  }
  return { jwtSecret, anonKey, serviceRoleKey, encryptionKeys };
}
