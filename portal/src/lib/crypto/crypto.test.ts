import { describe, expect, it } from "vitest";
import {
  DecryptionFailed,
  InvalidKdfConfig,
  InvalidKey,
  KdfType,
  MacMismatch,
  MalformedError,
  MasterKey,
  PrivateKey,
  SymmetricKey,
  UnsupportedEncStringType,
  deriveMasterKey,
  fingerprintPhrase,
  formatEncString,
  fromBase64,
  generateKeyPair,
  kdfConfigFromWire,
  makeAccountKeys,
  makeOrganizationKeys,
  masterPasswordHash,
  parseEncString,
  stretchMasterKey,
  toBase64,
  unlockPrivateKey,
  unlockUserKey,
  unwrapSymmetricKey,
  wrapKeyForMember,
} from "./index";
import type { KdfConfig } from "./index";
import vectors from "./vectors.json";

type WireKdf = { kdf: number; iterations: number; memory?: number; parallelism?: number };
const kdfOf = (k: WireKdf): KdfConfig => kdfConfigFromWire(k.kdf, k.iterations, k.memory, k.parallelism);
const keyOf = (b64: string) => SymmetricKey.fromBytes(fromBase64(b64, "key"));

describe("master key derivation agrees with the Python client", () => {
  for (const v of vectors.kdf) {
    it(`${v.kdf.kdf === KdfType.Argon2id ? "Argon2id" : "PBKDF2"} ${JSON.stringify(v.kdf)} for ${v.email.trim()}`, async () => {
      const masterKey = await deriveMasterKey(v.password, v.email, kdfOf(v.kdf));
      expect(toBase64(masterKey.toBytes())).toBe(v.masterKey);
      expect(await masterPasswordHash(masterKey, v.password)).toBe(v.masterPasswordHash);
      expect(toBase64((await stretchMasterKey(masterKey)).toBytes())).toBe(v.stretchedKey);
    }, 30_000);
  }
});

describe("an account made by the Python client unlocks here", () => {
  const a = vectors.account;

  it("derives the same hash and opens the user key and private key", async () => {
    const masterKey = await deriveMasterKey(a.password, a.email, kdfOf(a.kdf));
    expect(await masterPasswordHash(masterKey, a.password)).toBe(a.masterPasswordHash);
    const userKey = await unlockUserKey(masterKey, a.protectedUserKey);
    expect(toBase64(userKey.toBytes())).toBe(a.userKey);
    const privateKey = await unlockPrivateKey(userKey, a.encryptedPrivateKey);
    expect(toBase64(privateKey.toPkcs8())).toBe(a.privateKey);
    expect(await privateKey.publicKey()).toBe(a.publicKey);
  });

  it("refuses a wrong password with MacMismatch", async () => {
    const masterKey = await deriveMasterKey("not the password", a.email, kdfOf(a.kdf));
    await expect(unlockUserKey(masterKey, a.protectedUserKey)).rejects.toBeInstanceOf(MacMismatch);
  });

  it("follows the provider user's path: provider key (4), client org key (2), an item name", async () => {
    const s = vectors.sharedKeys;
    const privateKey = await PrivateKey.fromPkcs8(fromBase64(a.privateKey, "pkcs8"));
    const providerKey = await unwrapSymmetricKey(s.providerKeyForAccount, { privateKey });
    expect(toBase64(providerKey.toBytes())).toBe(s.providerKey);
    const orgKey = await unwrapSymmetricKey(s.orgKeyUnderProviderKey, { wrappingKey: providerKey });
    expect(toBase64(orgKey.toBytes())).toBe(s.orgKey);
    expect(await orgKey.decryptString(s.itemNameUnderOrgKey)).toBe(s.itemName);
    await expect(unwrapSymmetricKey(s.orgKeyUnderProviderKey, { privateKey })).rejects.toBeInstanceOf(InvalidKey);
    await expect(unwrapSymmetricKey(s.providerKeyForAccount, { wrappingKey: orgKey })).rejects.toBeInstanceOf(InvalidKey);
  });
});

describe("EncString type 2", () => {
  for (const v of vectors.encStrings) {
    it(`decrypts a Python EncString of ${v.plaintext.length} characters and round-trips`, async () => {
      const key = keyOf(v.key);
      expect(await key.decryptString(v.encString)).toBe(v.plaintext);
      expect(formatEncString(parseEncString(v.encString))).toBe(v.encString);
      const mine = await key.encryptString(v.plaintext);
      expect(mine).not.toBe(v.encString); // fresh IV
      expect(await key.decryptString(mine)).toBe(v.plaintext);
    });
  }

  for (const v of vectors.tampered) {
    it(`refuses a changed ${v.what} before decrypting`, async () => {
      await expect(keyOf(v.key).decryptString(v.encString)).rejects.toBeInstanceOf(MacMismatch);
    });
  }

  it("rejects malformed and unsupported strings", () => {
    const good = vectors.encStrings[1]?.encString ?? "";
    expect(() => parseEncString("")).toThrow(MalformedError);
    expect(() => parseEncString("2.abc")).toThrow(MalformedError);
    expect(() => parseEncString(good.replace(/\|[^|]*$/, "|AAAA"))).toThrow(/MAC/);
    expect(() => parseEncString(`0.${good.slice(2)}`)).toThrow(UnsupportedEncStringType);
    expect(() => parseEncString(good.replace("|", "|!"))).toThrow(/base64/);
  });

  it("only opens type 2 and never serialises a key", async () => {
    const key = SymmetricKey.generate();
    await expect(key.decrypt(vectors.sharedKeys.providerKeyForAccount)).rejects.toBeInstanceOf(UnsupportedEncStringType);
    expect(() => JSON.stringify({ key })).toThrow();
    expect(() => SymmetricKey.fromBytes(new Uint8Array(32))).toThrow(InvalidKey);
  });

  it("says DecryptionFailed for non-UTF-8 plaintext", async () => {
    const key = SymmetricKey.generate();
    const enc = formatEncString(await key.encrypt(new Uint8Array([0xff, 0xfe])));
    await expect(key.decryptString(enc)).rejects.toBeInstanceOf(DecryptionFailed);
  });
});

describe("RSA type 4 and account keys made here open in the same way", () => {
  it("makes an account whose keys unlock from the password", async () => {
    const kdf: KdfConfig = { kdf: KdfType.Pbkdf2Sha256, iterations: 5_000 };
    const account = await makeAccountKeys(" New@Example.org", "pw", kdf);
    expect(account.email).toBe("new@example.org");
    const masterKey = await deriveMasterKey("pw", "new@example.org", kdf);
    expect(await masterPasswordHash(masterKey, "pw")).toBe(account.masterPasswordHash);
    const userKey = await unlockUserKey(masterKey, account.protectedUserKey);
    expect(userKey.toBytes()).toEqual(account.userKey.toBytes());
    const privateKey = await unlockPrivateKey(userKey, account.encryptedPrivateKey);
    expect(await privateKey.publicKey()).toBe(account.publicKey);
  }, 30_000);

  it("wraps an org key for a member (type 4) and opens it with their private key", async () => {
    const member = await generateKeyPair();
    const org = await makeOrganizationKeys();
    const wrapped = await wrapKeyForMember(org.orgKey, member.publicKey);
    expect(wrapped.startsWith("4.")).toBe(true);
    const opened = await unwrapSymmetricKey(wrapped, { privateKey: member.privateKey });
    expect(opened.toBytes()).toEqual(org.orgKey.toBytes());
    const orgPrivate = await unlockPrivateKey(org.orgKey, org.encryptedPrivateKey);
    expect(await orgPrivate.publicKey()).toBe(org.publicKey);
  }, 30_000);

  it("opens what the Python client wrapped, and refuses another private key", async () => {
    const other = await generateKeyPair();
    await expect(other.privateKey.decrypt(vectors.sharedKeys.providerKeyForAccount)).rejects.toBeInstanceOf(DecryptionFailed);
    await expect(PrivateKey.fromPkcs8(new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(InvalidKey);
  }, 30_000);
});

describe("KDF settings from the wire", () => {
  it("refuses downgrades and nonsense", () => {
    expect(() => kdfConfigFromWire(0, 4_999)).toThrow(InvalidKdfConfig);
    expect(() => kdfConfigFromWire(0, "600000")).toThrow(InvalidKdfConfig);
    expect(() => kdfConfigFromWire(1, 1, 64, 4)).toThrow(InvalidKdfConfig);
    expect(() => kdfConfigFromWire(1, 3, 8, 4)).toThrow(InvalidKdfConfig);
    expect(() => kdfConfigFromWire(1, 3, 64, 0)).toThrow(InvalidKdfConfig);
    expect(() => kdfConfigFromWire(2, 3)).toThrow(InvalidKdfConfig);
    expect(kdfConfigFromWire(1, 3, 64, 4)).toEqual({ kdf: 1, iterations: 3, memory: 64, parallelism: 4 });
  });

  it("keeps a master key out of JSON", () => {
    expect(() => JSON.stringify(new MasterKey(new Uint8Array(32)))).toThrow();
  });
});

describe("fingerprint phrase", () => {
  for (const v of vectors.fingerprints) {
    it(`matches ${v.phrase}`, async () => {
      expect(await fingerprintPhrase(v.material, v.publicKey)).toBe(v.phrase);
    });
  }

  it("depends on the material", async () => {
    const v = vectors.fingerprints[0];
    if (v === undefined) throw new Error("no vector");
    expect(await fingerprintPhrase(`${v.material}x`, v.publicKey)).not.toBe(v.phrase);
  });
});
