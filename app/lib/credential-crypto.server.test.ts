import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  CredentialCryptoError,
  decryptSecret,
  decryptWith,
  encryptSecret,
  encryptWith,
  needsRotation,
  parseEncryptionKeys,
  rotateSecret,
  rotateWith,
} from "./credential-crypto.server.ts";

const SECRET = "Inv3stor-pa55!";
const keyA = randomBytes(32).toString("base64");
const keyB = randomBytes(32).toString("base64");
const ring = parseEncryptionKeys(`k2026a:${keyA}`);

function failure(run: () => unknown): CredentialCryptoError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialCryptoError);
    const cryptoError = error as CredentialCryptoError;
    // Neither the secret nor any key material may leak through a message.
    for (const forbidden of [SECRET, keyA, keyB]) expect(cryptoError.message).not.toContain(forbidden);
    return cryptoError;
  }
  throw new Error("expected a CredentialCryptoError");
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("encrypt / decrypt", () => {
  it("round-trips and writes the documented format", () => {
    const { ciphertext, keyId } = encryptWith(ring, SECRET);
    expect(keyId).toBe("k2026a");
    expect(ciphertext[0]).toBe(1);
    expect(ciphertext[1]).toBe(6);
    expect(ciphertext.subarray(2, 8).toString()).toBe("k2026a");
    expect(ciphertext.length).toBe(2 + 6 + 12 + 16 + Buffer.byteLength(SECRET));
    expect(ciphertext.includes(Buffer.from(SECRET))).toBe(false);
    expect(decryptWith(ring, ciphertext, keyId)).toBe(SECRET);
    expect(decryptWith(ring, encryptWith(ring, "pässwörd ✓").ciphertext, keyId)).toBe("pässwörd ✓");
  });

  it("uses a fresh random IV per call", () => {
    const ivs = new Set<string>();
    const ciphertexts = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const { ciphertext } = encryptWith(ring, SECRET);
      ivs.add(ciphertext.subarray(8, 20).toString("hex"));
      ciphertexts.add(ciphertext.toString("hex"));
    }
    expect(ivs.size).toBe(50);
    expect(ciphertexts.size).toBe(50);
  });

  it("detects tampering anywhere: body, tag, IV, version", () => {
    const { ciphertext, keyId } = encryptWith(ring, SECRET);
    for (const offset of [ciphertext.length - 1, 2 + 6 + 12 + 3, 2 + 6 + 2]) {
      const altered = Buffer.from(ciphertext);
      altered[offset]! ^= 0x01;
      expect(failure(() => decryptWith(ring, altered, keyId)).code).toBe("authentication_failed");
    }
    const versioned = Buffer.from(ciphertext);
    versioned[0] = 2;
    expect(failure(() => decryptWith(ring, versioned, keyId)).code).toBe("unsupported_version");
    expect(failure(() => decryptWith(ring, ciphertext.subarray(0, 20), keyId)).code).toBe("malformed_ciphertext");
    expect(failure(() => decryptWith(ring, Buffer.alloc(1, 1), keyId)).code).toBe("malformed_ciphertext");
  });

  it("refuses a wrong or unknown key id", () => {
    const { ciphertext } = encryptWith(ring, SECRET);
    expect(failure(() => decryptWith(ring, ciphertext, "k2025z")).code).toBe("key_id_mismatch");

    // Same key id, different key: authentication fails.
    const impostor = parseEncryptionKeys(`k2026a:${keyB}`);
    expect(failure(() => decryptWith(impostor, ciphertext, "k2026a")).code).toBe("authentication_failed");

    // A key id that is no longer configured.
    const rotatedAway = parseEncryptionKeys(`k2027:${keyB}`);
    const unknown = failure(() => decryptWith(rotatedAway, ciphertext, "k2026a"));
    expect(unknown.code).toBe("unknown_key_id");
    expect(unknown.message).toMatch(/keep retired keys listed/);
  });

  it("binds an optional context such as the account id", () => {
    const { ciphertext, keyId } = encryptWith(ring, SECRET, { context: "account-1" });
    expect(decryptWith(ring, ciphertext, keyId, { context: "account-1" })).toBe(SECRET);
    expect(failure(() => decryptWith(ring, ciphertext, keyId, { context: "account-2" })).code).toBe("authentication_failed");
    expect(failure(() => decryptWith(ring, ciphertext, keyId)).code).toBe("authentication_failed");
  });

  it("refuses to encrypt an empty secret", () => {
    expect(failure(() => encryptWith(ring, "")).code).toBe("invalid_secret");
  });
});

describe("rotation", () => {
  it("re-encrypts under the current key what an older key encrypted", () => {
    const before = parseEncryptionKeys(`old:${keyA}`);
    const stored = encryptWith(before, SECRET, { context: "acc" });

    const after = parseEncryptionKeys(`new:${keyB}, old:${keyA}`);
    expect(after.currentKeyId).toBe("new");
    // Old rows still decrypt while the old key stays listed.
    expect(decryptWith(after, stored.ciphertext, stored.keyId, { context: "acc" })).toBe(SECRET);

    const rotated = rotateWith(after, stored.ciphertext, stored.keyId, { context: "acc" });
    expect(rotated).toMatchObject({ keyId: "new", rotated: true });
    expect(decryptWith(parseEncryptionKeys(`new:${keyB}`), rotated.ciphertext, "new", { context: "acc" })).toBe(SECRET);

    const again = rotateWith(after, rotated.ciphertext, rotated.keyId, { context: "acc" });
    expect(again.rotated).toBe(false);
    expect(again.ciphertext.equals(rotated.ciphertext)).toBe(true);
  });

  it("reads keys from ENCRYPTION_KEYS", () => {
    vi.stubEnv("ENCRYPTION_KEYS", `old:${keyA}`);
    const stored = encryptSecret(SECRET);
    expect(decryptSecret(stored.ciphertext, stored.keyId)).toBe(SECRET);
    expect(needsRotation(stored.keyId)).toBe(false);

    vi.stubEnv("ENCRYPTION_KEYS", `new:${keyB},old:${keyA}`);
    expect(needsRotation(stored.keyId)).toBe(true);
    const rotated = rotateSecret(stored.ciphertext, stored.keyId);
    expect(rotated.keyId).toBe("new");
    expect(decryptSecret(rotated.ciphertext, rotated.keyId)).toBe(SECRET);
  });
});

describe("ENCRYPTION_KEYS parsing", () => {
  it("explains a missing, short, malformed or repeated key without echoing it", () => {
    vi.stubEnv("ENCRYPTION_KEYS", "");
    expect(failure(() => encryptSecret(SECRET)).code).toBe("missing_keys");
    expect(failure(() => parseEncryptionKeys(undefined)).message).toMatch(/ENCRYPTION_KEYS is not set/);

    const short = randomBytes(16).toString("base64");
    const shortError = failure(() => parseEncryptionKeys(`k1:${short}`));
    expect(shortError.code).toBe("invalid_keys");
    expect(shortError.message).toMatch(/decodes to 16 bytes; AES-256 needs exactly 32/);
    expect(shortError.message).not.toContain(short);

    expect(failure(() => parseEncryptionKeys(keyA)).message).toMatch(/entry 1 is not of the form keyId:base64key/);
    expect(failure(() => parseEncryptionKeys(`k1:${keyA},k1:${keyB}`)).message).toMatch(/entry 2 repeats key id "k1"/);
    expect(failure(() => parseEncryptionKeys(`bad id:${keyA}`)).message).toMatch(/invalid key id/);
    expect(failure(() => parseEncryptionKeys(`k1:not*base64`)).message).toMatch(/not valid base64/);
  });
});
