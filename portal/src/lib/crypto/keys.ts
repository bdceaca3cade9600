/**
 * The key hierarchy (DESIGN §3): account keys made at registration, unlocking them at login, and the shared
 * (org, provider) keys: made here, wrapped for members (type 4) or under the provider key (type 2), and opened.
 */
import { type EncString, asEncString, formatEncString } from "./encstring";
import { type KdfConfig, type MasterKey, deriveMasterKey, masterPasswordHash, normalizeEmail, stretchMasterKey } from "./kdf";
import { PrivateKey, generateKeyPair, wrapForPublicKey } from "./rsa";
import { InvalidKey, SymmetricKey } from "./symmetric";

/** What registration sends (all but `userKey`/`privateKey`), plus the keys the new account unlocks to. */
export type AccountKeys = {
  email: string;
  kdf: KdfConfig;
  masterPasswordHash: string;
  /** The user key under the stretched master key: `key` on the wire. */
  protectedUserKey: string;
  publicKey: string;
  /** PKCS#8 under the user key: `keys.encryptedPrivateKey` on the wire. */
  encryptedPrivateKey: string;
  userKey: SymmetricKey;
  privateKey: PrivateKey;
};

export async function makeAccountKeys(email: string, password: string, kdf: KdfConfig): Promise<AccountKeys> {
  const masterKey = await deriveMasterKey(password, email, kdf);
  const userKey = SymmetricKey.generate();
  const pair = await generateKeyPair();
  return {
    email: normalizeEmail(email),
    kdf,
    masterPasswordHash: await masterPasswordHash(masterKey, password),
    protectedUserKey: await userKey.wrapWith(await stretchMasterKey(masterKey)),
    publicKey: pair.publicKey,
    encryptedPrivateKey: formatEncString(await userKey.encrypt(pair.privateKey.toPkcs8())),
    userKey,
    privateKey: pair.privateKey,
  };
}

/** What a master-password change sends: the new hash, and the same user key under the new master key (nothing
 * else changes: every item stays under the user key). Also what an admin's account recovery sends. */
export type NewMasterPassword = { masterPasswordHash: string; protectedUserKey: string };

export async function rewrapUserKey(email: string, password: string, kdf: KdfConfig, userKey: SymmetricKey): Promise<NewMasterPassword> {
  const masterKey = await deriveMasterKey(password, email, kdf);
  return {
    masterPasswordHash: await masterPasswordHash(masterKey, password),
    protectedUserKey: await userKey.wrapWith(await stretchMasterKey(masterKey)),
  };
}

/** Open the user key with the master key. A wrong password shows up here, as MacMismatch. */
export async function unlockUserKey(masterKey: MasterKey, protectedUserKey: EncString | string): Promise<SymmetricKey> {
  return SymmetricKey.fromBytes(await (await stretchMasterKey(masterKey)).decrypt(protectedUserKey));
}

export async function unlockPrivateKey(userKey: SymmetricKey, encryptedPrivateKey: EncString | string): Promise<PrivateKey> {
  return PrivateKey.fromPkcs8(await userKey.decrypt(encryptedPrivateKey));
}

/** Open a shared key: type 4 with our private key (org key as a member, provider key), type 2 with a
 * symmetric key (a client org key under the provider key, an item key under the org or user key). */
export async function unwrapSymmetricKey(
  value: EncString | string,
  openers: { privateKey?: PrivateKey; wrappingKey?: SymmetricKey },
): Promise<SymmetricKey> {
  const enc = asEncString(value);
  if (enc.type === 4) {
    if (openers.privateKey === undefined) throw new InvalidKey("a type-4 key needs the private key");
    return SymmetricKey.fromBytes(await openers.privateKey.decrypt(enc));
  }
  if (openers.wrappingKey === undefined) throw new InvalidKey("a type-2 key needs the wrapping symmetric key");
  return SymmetricKey.fromBytes(await openers.wrappingKey.decrypt(enc));
}

/** Hand a shared key to a member or provider user (confirm): type 4 under their public key. */
export function wrapKeyForMember(key: SymmetricKey, memberPublicKey: string): Promise<string> {
  return wrapForPublicKey(key.toBytes(), memberPublicKey);
}

/** A new organization's keys (a client org made by a provider user, or a new org): the org key and its key
 * pair, the private key under the org key. Wrap `orgKey` as the flow needs (`wrapWith(providerKey)`, or
 * `wrapKeyForMember`). */
export type OrganizationKeys = {
  orgKey: SymmetricKey;
  publicKey: string;
  encryptedPrivateKey: string;
};

export async function makeOrganizationKeys(): Promise<OrganizationKeys> {
  const orgKey = SymmetricKey.generate();
  const pair = await generateKeyPair();
  return {
    orgKey,
    publicKey: pair.publicKey,
    encryptedPrivateKey: formatEncString(await orgKey.encrypt(pair.privateKey.toPkcs8())),
  };
}

/** A new provider key and its copy for the creating admin (type 4 under their own public key). */
export async function makeProviderKey(ownPublicKey: string): Promise<{ providerKey: SymmetricKey; wrappedForSelf: string }> {
  const providerKey = SymmetricKey.generate();
  return { providerKey, wrappedForSelf: await wrapKeyForMember(providerKey, ownPublicKey) };
}
