// The jobs process's side of investor-password encryption (docs/decisions/021):
// it alone holds the X25519 private keys (CREDENTIALS_PRIVATE_KEYS) that open
// what the web process sealed, and, while old rows remain, the symmetric keys
// of the first format (ENCRYPTION_KEYS, ADR 010) to read and re-seal them.
import { createPrivateKey, createPublicKey, createDecipheriv, diffieHellman, generateKeyPairSync, type KeyObject } from "node:crypto";
import {
  CredentialCryptoError,
  decryptWith,
  parseEncryptionKeys,
  type CryptoOptions,
  type EncryptedSecret,
  type EncryptionKeyring,
} from "~/lib/credential-crypto.server.ts";
import {
  parseKeyEntries,
  publicKeyFromRaw,
  rawPublicKey,
  SEAL_IV_BYTES,
  SEAL_TAG_BYTES,
  SEALED_VERSION,
  sealedAssociatedData,
  sealKey,
  sealWith,
  X25519_KEY_BYTES,
  type SealingKey,
} from "~/lib/credential-seal.server.ts";

// DER prefix of an X25519 PKCS#8 private key (RFC 8410); the raw key follows.
const PKCS8_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
const LEGACY_VERSION = 1;

interface OpeningKey {
  privateKey: KeyObject;
  publicKey: Buffer;
}

export interface CredentialKeyring {
  /** Where re-sealed secrets go: the public half of the first private key. */
  current: SealingKey;
  opening: ReadonlyMap<string, OpeningKey>;
  /** ADR 010's symmetric keys, only to read rows not yet re-sealed; null once none are left. */
  legacy: EncryptionKeyring | null;
}

function privateKeyFromRaw(raw: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, raw]), format: "der", type: "pkcs8" });
}

/** Parses CREDENTIALS_PRIVATE_KEYS (first entry current) and the optional legacy ENCRYPTION_KEYS. */
export function loadCredentialKeyring(privateKeys: string | undefined, legacyKeys?: string): CredentialKeyring {
  const opening = new Map<string, OpeningKey>();
  for (const [index, { keyId, key }] of parseKeyEntries(privateKeys, "CREDENTIALS_PRIVATE_KEYS").entries()) {
    let privateKey: KeyObject;
    try {
      privateKey = privateKeyFromRaw(key);
    } catch {
      throw new CredentialCryptoError(
        "invalid_keys",
        `CREDENTIALS_PRIVATE_KEYS entry ${index + 1} (key id "${keyId}") is not an X25519 private key.`,
      );
    }
    opening.set(keyId, { privateKey, publicKey: rawPublicKey(createPublicKey(privateKey)) });
  }
  const [currentId, currentKey] = [...opening.entries()][0]!;
  const legacy = legacyKeys && legacyKeys.trim() !== "" ? parseEncryptionKeys(legacyKeys) : null;
  if (legacy) {
    for (const id of legacy.keys.keys()) {
      if (opening.has(id)) throw new CredentialCryptoError("invalid_keys", `Key id "${id}" is in both CREDENTIALS_PRIVATE_KEYS and ENCRYPTION_KEYS.`);
    }
  }
  return { current: { keyId: currentId, publicKey: currentKey.publicKey }, opening, legacy };
}

/** A fresh key pair as the two env entries: the public one for the web, the private one for jobs. */
export function generateCredentialKeyPair(keyId: string): { publicEntry: string; privateEntry: string } {
  const pair = generateKeyPairSync("x25519");
  const privateRaw = pair.privateKey.export({ format: "der", type: "pkcs8" }).subarray(PKCS8_PREFIX.length);
  return {
    publicEntry: `${keyId}:${rawPublicKey(pair.publicKey).toString("base64")}`,
    privateEntry: `${keyId}:${Buffer.from(privateRaw).toString("base64")}`,
  };
}

function openSealed(keyring: CredentialKeyring, data: Buffer, keyId: string, options: CryptoOptions): string {
  const idLength = data[1]!;
  const headEnd = 2 + idLength;
  const bodyStart = headEnd + X25519_KEY_BYTES + SEAL_IV_BYTES + SEAL_TAG_BYTES;
  if (data.length < bodyStart) throw new CredentialCryptoError("malformed_ciphertext", "The stored credential is truncated.");
  const embeddedKeyId = data.subarray(2, headEnd).toString("utf8");
  if (embeddedKeyId !== keyId) {
    throw new CredentialCryptoError(
      "key_id_mismatch",
      `The stored credential was sealed to key "${embeddedKeyId}" but its key_id column says "${keyId}".`,
    );
  }
  const key = keyring.opening.get(keyId);
  if (!key) {
    throw new CredentialCryptoError(
      "unknown_key_id",
      `No key "${keyId}" in CREDENTIALS_PRIVATE_KEYS: keep retired keys listed (after the current one) until every credential is re-sealed.`,
    );
  }
  const ephemeralPublic = data.subarray(headEnd, headEnd + X25519_KEY_BYTES);
  const iv = data.subarray(headEnd + X25519_KEY_BYTES, headEnd + X25519_KEY_BYTES + SEAL_IV_BYTES);
  const tag = data.subarray(bodyStart - SEAL_TAG_BYTES, bodyStart);
  const failed = () =>
    new CredentialCryptoError(
      "authentication_failed",
      `The stored credential failed authentication with key "${keyId}": it was altered, belongs to another record, or the key is wrong.`,
    );
  let shared: Buffer;
  try {
    shared = diffieHellman({ privateKey: key.privateKey, publicKey: publicKeyFromRaw(ephemeralPublic) });
  } catch {
    throw failed();
  }
  const decipher = createDecipheriv("aes-256-gcm", sealKey(shared, ephemeralPublic, key.publicKey), iv, { authTagLength: SEAL_TAG_BYTES });
  decipher.setAAD(sealedAssociatedData(data.subarray(0, headEnd), ephemeralPublic, options));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(data.subarray(bodyStart)), decipher.final()]).toString("utf8");
  } catch {
    throw failed();
  }
}

/** Opens a stored credential of either format; errors never contain the secret or key material. */
export function openCredential(keyring: CredentialKeyring, ciphertext: Uint8Array, keyId: string, options: CryptoOptions = {}): string {
  const data = Buffer.from(ciphertext);
  if (data.length < 2) throw new CredentialCryptoError("malformed_ciphertext", "The stored credential is too short to be a ciphertext.");
  if (data[0] === SEALED_VERSION) return openSealed(keyring, data, keyId, options);
  if (data[0] === LEGACY_VERSION) {
    if (!keyring.legacy) {
      throw new CredentialCryptoError(
        "unknown_key_id",
        `The stored credential uses the first format (key "${keyId}"), and ENCRYPTION_KEYS is not set in the jobs process to read it.`,
      );
    }
    return decryptWith(keyring.legacy, data, keyId, options);
  }
  throw new CredentialCryptoError("unsupported_version", `The stored credential has format version ${data[0]}, which this build cannot read.`);
}

export interface ResealedSecret extends EncryptedSecret {
  /** False when it was already sealed to the current key (nothing to write). */
  rotated: boolean;
}

/** Whether a stored credential is not yet sealed to the current key (a legacy row or an older key pair). */
export function needsResealing(keyring: CredentialKeyring, ciphertext: Uint8Array, keyId: string): boolean {
  return ciphertext[0] !== SEALED_VERSION || keyId !== keyring.current.keyId;
}

/** Opens a secret and seals it to the current key; an up-to-date one is still authenticated (finds damaged rows). */
export function resealCredential(keyring: CredentialKeyring, ciphertext: Uint8Array, keyId: string, options: CryptoOptions = {}): ResealedSecret {
  const plain = openCredential(keyring, ciphertext, keyId, options);
  if (!needsResealing(keyring, ciphertext, keyId)) return { ciphertext: Buffer.from(ciphertext), keyId, rotated: false };
  return { ...sealWith(keyring.current, plain, options), rotated: true };
}
