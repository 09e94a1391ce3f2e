import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { encryptWith, parseEncryptionKeys } from "~/lib/credential-crypto.server.ts";
import { parseSealingKey, sealSecret, sealWith } from "~/lib/credential-seal.server.ts";
import { generateCredentialKeyPair, loadCredentialKeyring, needsResealing, openCredential, resealCredential } from "./credential-keys.ts";

const k1 = generateCredentialKeyPair("k2026");
const k2 = generateCredentialKeyPair("k2027");
const legacyKeys = `local1:${randomBytes(32).toString("base64")}`;

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe("sealed investor passwords", () => {
  it("seals with the public key alone and opens with the matching private key, bound to its context", () => {
    const sealed = sealWith(parseSealingKey(k1.publicEntry), "inv-51000001!", { context: "account-a" });
    expect(sealed.keyId).toBe("k2026");
    expect(sealed.ciphertext[0]).toBe(2);
    expect(sealed.ciphertext.includes(Buffer.from("inv-51000001!"))).toBe(false);
    const jobs = loadCredentialKeyring(k1.privateEntry);
    expect(openCredential(jobs, sealed.ciphertext, sealed.keyId, { context: "account-a" })).toBe("inv-51000001!");
    // Copied onto another row, or altered by one bit, it does not open.
    expect(codeOf(() => openCredential(jobs, sealed.ciphertext, sealed.keyId, { context: "account-b" }))).toBe("authentication_failed");
    const altered = Buffer.from(sealed.ciphertext);
    altered[altered.length - 1]! ^= 1;
    expect(codeOf(() => openCredential(jobs, altered, sealed.keyId, { context: "account-a" }))).toBe("authentication_failed");
    // Two seals of one password differ (a fresh ephemeral key each time).
    expect(sealWith(parseSealingKey(k1.publicEntry), "inv-51000001!").ciphertext.equals(sealed.ciphertext)).toBe(false);
  });

  it("cannot be opened with another key pair's private key, nor with the public key itself", () => {
    const sealed = sealWith(parseSealingKey(k1.publicEntry), "secret", { context: "a" });
    const wrongPair = loadCredentialKeyring(`k2026:${k2.privateEntry.split(":")[1]}`);
    expect(codeOf(() => openCredential(wrongPair, sealed.ciphertext, "k2026", { context: "a" }))).toBe("authentication_failed");
    const publicAsPrivate = loadCredentialKeyring(k1.publicEntry);
    expect(codeOf(() => openCredential(publicAsPrivate, sealed.ciphertext, "k2026", { context: "a" }))).toBe("authentication_failed");
  });

  it("rotates: a new pair first, the old one still opens; re-sealing moves rows to the new key; then the old key can go", () => {
    const before = sealWith(parseSealingKey(k1.publicEntry), "inv-1", { context: "acc" });
    const during = loadCredentialKeyring(`${k2.privateEntry},${k1.privateEntry}`);
    expect(during.current.keyId).toBe("k2027");
    expect(openCredential(during, before.ciphertext, before.keyId, { context: "acc" })).toBe("inv-1");
    expect(needsResealing(during, before.ciphertext, before.keyId)).toBe(true);
    const moved = resealCredential(during, before.ciphertext, before.keyId, { context: "acc" });
    expect(moved).toMatchObject({ keyId: "k2027", rotated: true });
    expect(resealCredential(during, moved.ciphertext, moved.keyId, { context: "acc" }).rotated).toBe(false);
    const after = loadCredentialKeyring(k2.privateEntry);
    expect(openCredential(after, moved.ciphertext, moved.keyId, { context: "acc" })).toBe("inv-1");
    expect(codeOf(() => openCredential(after, before.ciphertext, before.keyId, { context: "acc" }))).toBe("unknown_key_id");
    // The web process, switched to the new public key, seals to it.
    expect(sealWith(parseSealingKey(k2.publicEntry), "inv-2").keyId).toBe("k2027");
  });

  it("reads ADR 010's symmetric format only with ENCRYPTION_KEYS in the jobs, and re-seals it", () => {
    const old = encryptWith(parseEncryptionKeys(legacyKeys), "inv-legacy", { context: "acc" });
    expect(codeOf(() => openCredential(loadCredentialKeyring(k1.privateEntry), old.ciphertext, old.keyId, { context: "acc" }))).toBe(
      "unknown_key_id",
    );
    const jobs = loadCredentialKeyring(k1.privateEntry, legacyKeys);
    expect(openCredential(jobs, old.ciphertext, old.keyId, { context: "acc" })).toBe("inv-legacy");
    const resealed = resealCredential(jobs, old.ciphertext, old.keyId, { context: "acc" });
    expect(resealed).toMatchObject({ keyId: "k2026", rotated: true });
    expect(resealed.ciphertext[0]).toBe(2);
    expect(openCredential(loadCredentialKeyring(k1.privateEntry), resealed.ciphertext, resealed.keyId, { context: "acc" })).toBe("inv-legacy");
  });

  it("names a missing or malformed key by variable, position and id, never by content", () => {
    expect(codeOf(() => parseSealingKey(undefined))).toBe("missing_keys");
    expect(() => loadCredentialKeyring("k1:AAAA")).toThrow(/CREDENTIALS_PRIVATE_KEYS entry 1 \(key id "k1"\) decodes to 3 bytes/);
    expect(() => loadCredentialKeyring(`${k1.privateEntry},${k1.privateEntry}`)).toThrow(/entry 2 repeats key id "k2026"/);
    const secretPart = k1.privateEntry.split(":")[1]!;
    try {
      loadCredentialKeyring(`${k1.privateEntry},bad id:${secretPart}`);
    } catch (error) {
      expect(String(error)).not.toContain(secretPart);
    }
  });

  it("the web's sealSecret reads CREDENTIALS_PUBLIC_KEYS and nothing that opens", () => {
    const saved = process.env.CREDENTIALS_PUBLIC_KEYS;
    process.env.CREDENTIALS_PUBLIC_KEYS = k2.publicEntry;
    try {
      const sealed = sealSecret("inv-3", { context: "c" });
      expect(openCredential(loadCredentialKeyring(k2.privateEntry), sealed.ciphertext, sealed.keyId, { context: "c" })).toBe("inv-3");
    } finally {
      if (saved === undefined) delete process.env.CREDENTIALS_PUBLIC_KEYS;
      else process.env.CREDENTIALS_PUBLIC_KEYS = saved;
    }
  });
});
