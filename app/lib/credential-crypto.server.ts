// AES-256-GCM encryption of MT5 investor passwords (docs/decisions/010).
//
// Keys come from ENCRYPTION_KEYS: comma-separated `keyId:base64key` entries,
// each key exactly 32 bytes; the first entry is current (new secrets use it),
// the others only decrypt, so keys rotate without downtime. The ciphertext is
// self-describing and stored as bytea beside its key id:
//
//   version (1 byte, 0x01) | key id length (1 byte) | key id (UTF-8)
//   | IV (12 random bytes) | auth tag (16 bytes) | ciphertext
//
// The version byte and key id are authenticated as associated data (with an
// optional caller context such as the account id), so neither can be swapped
// without the tag failing. Errors never contain the secret or key material.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export const CIPHERTEXT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;

export type CredentialCryptoErrorCode =
  | "missing_keys"
  | "invalid_keys"
  | "unknown_key_id"
  | "key_id_mismatch"
  | "malformed_ciphertext"
  | "unsupported_version"
  | "authentication_failed"
  | "invalid_secret";

export class CredentialCryptoError extends Error {
  readonly code: CredentialCryptoErrorCode;
  constructor(code: CredentialCryptoErrorCode, message: string) {
    super(message);
    this.name = "CredentialCryptoError";
    this.code = code;
  }
}

export interface EncryptedSecret {
  ciphertext: Buffer;
  keyId: string;
}

export interface EncryptionKeyring {
  currentKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

export interface CryptoOptions {
  /** Bound into the tag (e.g. the account id): the ciphertext decrypts only with the same context. */
  context?: string;
}

/** What a key list is for, in its messages: the variable, what to do when it is unset, and what a key must be. */
export interface KeyListRules {
  variable: string;
  /** Said when the variable is unset or empty. */
  whenMissing: string;
  keyBytes: number;
  /** Ends the wrong-length message, e.g. "AES-256 needs exactly 32". */
  lengthRule: string;
}

/**
 * The `keyId:base64key` entries of a comma-separated key list, in order (the
 * first is current). Messages name entries by position and key id, never by
 * content. Shared by ENCRYPTION_KEYS and the sealing key lists (credential-seal).
 */
export function parseKeyList(value: string | undefined, rules: KeyListRules): Array<{ keyId: string; key: Buffer }> {
  if (!value || value.trim() === "") throw new CredentialCryptoError("missing_keys", `${rules.variable} is not set: ${rules.whenMissing}`);
  const seen = new Set<string>();
  return value.split(",").map((raw, index) => {
    const entry = raw.trim();
    const position = `${rules.variable} entry ${index + 1}`;
    const colon = entry.indexOf(":");
    if (colon <= 0) throw new CredentialCryptoError("invalid_keys", `${position} is not of the form keyId:base64key.`);
    const keyId = entry.slice(0, colon);
    const encoded = entry.slice(colon + 1);
    if (!KEY_ID.test(keyId)) {
      throw new CredentialCryptoError("invalid_keys", `${position} has an invalid key id (use 1–64 letters, digits, '.', '_' or '-').`);
    }
    if (seen.has(keyId)) throw new CredentialCryptoError("invalid_keys", `${position} repeats key id "${keyId}".`);
    seen.add(keyId);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
      throw new CredentialCryptoError("invalid_keys", `${position} (key id "${keyId}") is not valid base64.`);
    }
    const key = Buffer.from(encoded, "base64");
    if (key.length !== rules.keyBytes) {
      throw new CredentialCryptoError("invalid_keys", `${position} (key id "${keyId}") decodes to ${key.length} bytes; ${rules.lengthRule}.`);
    }
    return { keyId, key };
  });
}

/** Parses ENCRYPTION_KEYS. Messages name entries by position and key id, never by content. */
export function parseEncryptionKeys(value: string | undefined): EncryptionKeyring {
  const entries = parseKeyList(value, {
    variable: "ENCRYPTION_KEYS",
    whenMissing: "it must hold comma-separated keyId:base64key entries, each key 32 bytes (generate one with `openssl rand -base64 32`).",
    keyBytes: KEY_BYTES,
    lengthRule: `AES-256 needs exactly ${KEY_BYTES}`,
  });
  return { currentKeyId: entries[0]!.keyId, keys: new Map(entries.map(({ keyId, key }) => [keyId, key])) };
}

function header(keyId: string): Buffer {
  const id = Buffer.from(keyId, "utf8");
  return Buffer.concat([Buffer.from([CIPHERTEXT_VERSION, id.length]), id]);
}

function associatedData(head: Buffer, options: CryptoOptions): Buffer {
  return options.context === undefined ? head : Buffer.concat([head, Buffer.from(`\0${options.context}`, "utf8")]);
}

export function encryptWith(keyring: EncryptionKeyring, plain: string, options: CryptoOptions = {}): EncryptedSecret {
  if (typeof plain !== "string" || plain.length === 0) {
    throw new CredentialCryptoError("invalid_secret", "The secret to encrypt must be a non-empty string.");
  }
  const keyId = keyring.currentKeyId;
  const head = header(keyId);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyring.keys.get(keyId)!, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(head, options));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return { ciphertext: Buffer.concat([head, iv, cipher.getAuthTag(), body]), keyId };
}

export function decryptWith(keyring: EncryptionKeyring, ciphertext: Uint8Array, keyId: string, options: CryptoOptions = {}): string {
  const data = Buffer.from(ciphertext);
  if (data.length < 2) throw new CredentialCryptoError("malformed_ciphertext", "The stored credential is too short to be a ciphertext.");
  if (data[0] !== CIPHERTEXT_VERSION) {
    throw new CredentialCryptoError("unsupported_version", `The stored credential has format version ${data[0]}, which this build cannot read.`);
  }
  const idLength = data[1]!;
  const bodyStart = 2 + idLength + IV_BYTES + TAG_BYTES;
  if (data.length < bodyStart) throw new CredentialCryptoError("malformed_ciphertext", "The stored credential is truncated.");
  const embeddedKeyId = data.subarray(2, 2 + idLength).toString("utf8");
  if (embeddedKeyId !== keyId) {
    throw new CredentialCryptoError(
      "key_id_mismatch",
      `The stored credential was encrypted with key "${embeddedKeyId}" but its key_id column says "${keyId}".`,
    );
  }
  const key = keyring.keys.get(keyId);
  if (!key) {
    throw new CredentialCryptoError(
      "unknown_key_id",
      `No key "${keyId}" in ENCRYPTION_KEYS: keep retired keys listed (after the current one) until every credential is re-encrypted.`,
    );
  }
  const iv = data.subarray(2 + idLength, 2 + idLength + IV_BYTES);
  const tag = data.subarray(2 + idLength + IV_BYTES, bodyStart);
  const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(data.subarray(0, 2 + idLength), options));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(data.subarray(bodyStart)), decipher.final()]).toString("utf8");
  } catch {
    throw new CredentialCryptoError(
      "authentication_failed",
      `The stored credential failed authentication with key "${keyId}": it was altered, belongs to another record, or the key is wrong.`,
    );
  }
}

export interface RotatedSecret extends EncryptedSecret {
  /** False when it was already under the current key (nothing to write). */
  rotated: boolean;
}

/** Re-encrypts a secret under the current key (decrypting it with its old one). */
export function rotateWith(keyring: EncryptionKeyring, ciphertext: Uint8Array, keyId: string, options: CryptoOptions = {}): RotatedSecret {
  if (keyId === keyring.currentKeyId) {
    // Still authenticate it, so a rotation pass also finds damaged rows.
    decryptWith(keyring, ciphertext, keyId, options);
    return { ciphertext: Buffer.from(ciphertext), keyId, rotated: false };
  }
  return { ...encryptWith(keyring, decryptWith(keyring, ciphertext, keyId, options), options), rotated: true };
}

// The process keyring, read from the environment on first use (and again if it changes).
let cached: { source: string | undefined; keyring: EncryptionKeyring } | null = null;

function environmentKeyring(): EncryptionKeyring {
  const source = process.env.ENCRYPTION_KEYS;
  if (!cached || cached.source !== source) cached = { source, keyring: parseEncryptionKeys(source) };
  return cached.keyring;
}

export function encryptSecret(plain: string, options: CryptoOptions = {}): EncryptedSecret {
  return encryptWith(environmentKeyring(), plain, options);
}

export function decryptSecret(ciphertext: Uint8Array, keyId: string, options: CryptoOptions = {}): string {
  return decryptWith(environmentKeyring(), ciphertext, keyId, options);
}

export function rotateSecret(ciphertext: Uint8Array, keyId: string, options: CryptoOptions = {}): RotatedSecret {
  return rotateWith(environmentKeyring(), ciphertext, keyId, options);
}

/** Whether a stored credential should be re-encrypted under the current key. */
export function needsRotation(keyId: string): boolean {
  return keyId !== environmentKeyring().currentKeyId;
}
