// What the vault model needs of the crypto module. lib/crypto's symmetric keys are adapted to this port
// (keyring.ts); the unit tests use a fake that records which key encrypted what.

/** A 64-byte symmetric key (AES-256-CBC + HMAC-SHA256): user key, org key, or an item's own key. */
export interface VaultKey {
  encryptText(plain: string): Promise<string>;
  decryptText(encString: string): Promise<string>;
  /** This key wrapping `inner` (a type-2 EncString of its 64 bytes). */
  wrapKey(inner: VaultKey): Promise<string>;
  unwrapKey(encString: string): Promise<VaultKey>;
}

/** Which key opens what: the user key for personal items, the org key for an organization's. */
export interface KeyRing {
  keyFor(organizationId: string | null): Promise<VaultKey>;
  /** A fresh random key for an item of its own (portal-ux §4.6). */
  newItemKey(): Promise<VaultKey>;
}

/** Thrown when the key an item needs is not at hand (an org whose key was not handed over). */
export class MissingKey extends Error {
  constructor(organizationId: string | null) {
    super(organizationId === null ? "The user key is locked." : `No key for organization ${organizationId}.`);
    this.name = "MissingKey";
  }
}
