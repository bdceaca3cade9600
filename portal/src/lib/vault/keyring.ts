// lib/crypto's keys behind the vault model's port: the user key for personal items, org keys opened lazily
// (a member's copy under our public key, type 4; a provider user's client copy under the provider key, type 2 —
// portal-ux §4.2 step 8 and §4.3), and fresh item keys.

import { PrivateKey, SymmetricKey, unwrapSymmetricKey } from "../crypto";
import { type KeyRing, MissingKey, type VaultKey } from "./keys";

export class CryptoVaultKey implements VaultKey {
  constructor(readonly key: SymmetricKey) {}
  encryptText(plain: string): Promise<string> {
    return this.key.encryptString(plain);
  }
  decryptText(encString: string): Promise<string> {
    return this.key.decryptString(encString);
  }
  wrapKey(inner: VaultKey): Promise<string> {
    if (!(inner instanceof CryptoVaultKey)) throw new TypeError("only a crypto key can be wrapped");
    return inner.key.wrapWith(this.key);
  }
  async unwrapKey(encString: string): Promise<VaultKey> {
    return new CryptoVaultKey(SymmetricKey.fromBytes(await this.key.decrypt(encString)));
  }
}

/** The parts of /api/sync's profile that carry org and provider keys. */
export interface ProfileKeys {
  organizations?: ReadonlyArray<{ id: string; key?: string | null }> | null;
  providers?: ReadonlyArray<{ id: string; key?: string | null }> | null;
  providerOrganizations?: ReadonlyArray<{ id: string; key?: string | null; providerId?: string | null }> | null;
}

export class ProfileKeyRing implements KeyRing {
  readonly #user: CryptoVaultKey;
  readonly #privateKey: PrivateKey;
  readonly #orgs = new Map<string, Promise<VaultKey>>();
  readonly #providers = new Map<string, Promise<SymmetricKey>>();
  readonly #profile: ProfileKeys;

  constructor(userKey: SymmetricKey, privateKey: PrivateKey, profile: ProfileKeys) {
    this.#user = new CryptoVaultKey(userKey);
    this.#privateKey = privateKey;
    this.#profile = profile;
  }

  keyFor(organizationId: string | null): Promise<VaultKey> {
    if (organizationId === null) return Promise.resolve(this.#user);
    let found = this.#orgs.get(organizationId);
    if (found === undefined) {
      found = this.#openOrg(organizationId);
      this.#orgs.set(organizationId, found);
      found.catch(() => this.#orgs.delete(organizationId));
    }
    return found;
  }

  async newItemKey(): Promise<VaultKey> {
    return new CryptoVaultKey(SymmetricKey.generate());
  }

  /** The raw org key, for flows that hand it on (confirming a member). */
  async orgKey(organizationId: string): Promise<SymmetricKey> {
    const key = await this.keyFor(organizationId);
    return (key as CryptoVaultKey).key;
  }

  async #openOrg(organizationId: string): Promise<VaultKey> {
    // Provider entries win over member entries, as Bitwarden writes them last (portal-ux §4.2 step 8).
    const viaProvider = this.#profile.providerOrganizations?.find((o) => o.id === organizationId && o.key);
    if (viaProvider?.key && viaProvider.providerId) {
      const providerKey = await this.#provider(viaProvider.providerId);
      return new CryptoVaultKey(await unwrapSymmetricKey(viaProvider.key, { wrappingKey: providerKey }));
    }
    const member = this.#profile.organizations?.find((o) => o.id === organizationId && o.key?.startsWith("4."));
    if (member?.key) return new CryptoVaultKey(await unwrapSymmetricKey(member.key, { privateKey: this.#privateKey }));
    throw new MissingKey(organizationId);
  }

  #provider(providerId: string): Promise<SymmetricKey> {
    let found = this.#providers.get(providerId);
    if (found === undefined) {
      const entry = this.#profile.providers?.find((p) => p.id === providerId && p.key);
      found = entry?.key
        ? unwrapSymmetricKey(entry.key, { privateKey: this.#privateKey })
        : Promise.reject(new MissingKey(null));
      this.#providers.set(providerId, found);
    }
    return found;
  }
}
