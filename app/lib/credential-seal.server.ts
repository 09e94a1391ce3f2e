// Sealing MT5 investor passwords with a PUBLIC key (docs/decisions/021,
// which supersedes the key handling of 010). The web process holds only
// CREDENTIALS_PUBLIC_KEYS, so it can encrypt a password it is given but never
// decrypt one it reads back: the matching private keys live in the jobs
// process alone (jobs/credentials/credential-keys.ts).
//
// The construction is an ECIES-style sealed box from node:crypto primitives:
// a fresh X25519 key pair per secret, its Diffie-Hellman secret with the
// recipient key run through HKDF-SHA256 into an AES-256-GCM key. Stored as
// bytea beside its key id:
//
//   version (1 byte, 0x02) | key id length (1 byte) | key id (UTF-8)
//   | ephemeral public key (32) | IV (12) | auth tag (16) | ciphertext
//
// The header, the ephemeral key and an optional caller context (the account
// or check id) are authenticated as associated data, so a ciphertext copied
// onto another row does not open. Version 0x01 is the older symmetric format
// (010), which only the jobs process still reads, to re-seal it.
import { createCipheriv, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, type KeyObject } from "node:crypto";
import { CredentialCryptoError, parseKeyList, type CryptoOptions, type EncryptedSecret } from "./credential-crypto.server.ts";

export const SEALED_VERSION = 2;
export const X25519_KEY_BYTES = 32;
export const SEAL_IV_BYTES = 12;
export const SEAL_TAG_BYTES = 16;
const HKDF_INFO = Buffer.from("rawjournal investor password v2", "utf8");
// DER prefix of an X25519 SubjectPublicKeyInfo (RFC 8410); the raw key follows.
const SPKI_PREFIX = Buffer.from("302a300506032b656e032100", "hex");

/** The key new secrets are sealed to: its id and its raw 32-byte X25519 public key. */
export interface SealingKey {
  keyId: string;
  publicKey: Buffer;
}

export function publicKeyFromRaw(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: "der", type: "spki" });
}

export function rawPublicKey(key: KeyObject): Buffer {
  return key.export({ format: "der", type: "spki" }).subarray(SPKI_PREFIX.length);
}

/** One `keyId:base64` entry of a key list; `what` names the variable in messages (never the key). */
export function parseKeyEntries(value: string | undefined, what: string): Array<{ keyId: string; key: Buffer }> {
  return parseKeyList(value, {
    variable: what,
    whenMissing: "it must hold comma-separated keyId:base64key entries (generate a pair with `npm run credentials:keygen`).",
    keyBytes: X25519_KEY_BYTES,
    lengthRule: `an X25519 key is exactly ${X25519_KEY_BYTES}`,
  });
}

/**
 * Parses CREDENTIALS_PUBLIC_KEYS. The first entry is current; later entries are
 * accepted (an operator may paste the whole list during a rotation) but never used.
 */
export function parseSealingKey(value: string | undefined): SealingKey {
  const [current] = parseKeyEntries(value, "CREDENTIALS_PUBLIC_KEYS");
  try {
    publicKeyFromRaw(current!.key);
  } catch {
    throw new CredentialCryptoError("invalid_keys", `CREDENTIALS_PUBLIC_KEYS entry 1 (key id "${current!.keyId}") is not an X25519 public key.`);
  }
  return { keyId: current!.keyId, publicKey: current!.key };
}

export function sealedHeader(keyId: string): Buffer {
  const id = Buffer.from(keyId, "utf8");
  return Buffer.concat([Buffer.from([SEALED_VERSION, id.length]), id]);
}

/** The AES key both sides derive: HKDF over the X25519 secret, salted with both public keys. */
export function sealKey(shared: Buffer, ephemeralPublic: Buffer, recipientPublic: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", shared, Buffer.concat([ephemeralPublic, recipientPublic]), HKDF_INFO, 32));
}

export function sealedAssociatedData(head: Buffer, ephemeralPublic: Buffer, options: CryptoOptions): Buffer {
  const parts = [head, ephemeralPublic];
  if (options.context !== undefined) parts.push(Buffer.from(`\0${options.context}`, "utf8"));
  return Buffer.concat(parts);
}

/** Seals `plain` to `key`; only the holder of the matching private key can open it. */
export function sealWith(key: SealingKey, plain: string, options: CryptoOptions = {}): EncryptedSecret {
  if (typeof plain !== "string" || plain.length === 0) {
    throw new CredentialCryptoError("invalid_secret", "The secret to encrypt must be a non-empty string.");
  }
  const ephemeral = generateKeyPairSync("x25519");
  const ephemeralPublic = rawPublicKey(ephemeral.publicKey);
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: publicKeyFromRaw(key.publicKey) });
  const head = sealedHeader(key.keyId);
  const iv = randomBytes(SEAL_IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", sealKey(shared, ephemeralPublic, key.publicKey), iv, { authTagLength: SEAL_TAG_BYTES });
  cipher.setAAD(sealedAssociatedData(head, ephemeralPublic, options));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return { ciphertext: Buffer.concat([head, ephemeralPublic, iv, cipher.getAuthTag(), body]), keyId: key.keyId };
}

// The process's sealing key, read from the environment on first use (and again if it changes).
let cached: { source: string | undefined; key: SealingKey } | null = null;

/** Seals with CREDENTIALS_PUBLIC_KEYS: what the web process does with a password the user typed. */
export function sealSecret(plain: string, options: CryptoOptions = {}): EncryptedSecret {
  const source = process.env.CREDENTIALS_PUBLIC_KEYS;
  if (!cached || cached.source !== source) cached = { source, key: parseSealingKey(source) };
  return sealWith(cached.key, plain, options);
}
