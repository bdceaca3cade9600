/**
 * The keys of an unlocked session, in memory only: the user key, the private key, and the shared keys the
 * profile carries, opened on first use (a provider user with 1,000 clients pays for the ones they open).
 * Paths (Bitwarden's): provider key = type 4 under our public key; a member's org key = type 4; a client org
 * reached through a provider = type 2 under that provider key.
 */
import { type PrivateKey, type SymmetricKey, unwrapSymmetricKey } from "../crypto";
import type { Profile } from "./profile";

/** No key is held for this organization or provider (not a confirmed member, or not in the profile). */
export class MissingKey extends Error {
  override name = "MissingKey";
}

export class KeyRing {
  readonly #orgKeys = new Map<string, Promise<SymmetricKey>>();
  readonly #providerKeys = new Map<string, Promise<SymmetricKey>>();

  constructor(
    readonly userKey: SymmetricKey,
    readonly privateKey: PrivateKey,
    private readonly profile: Profile,
  ) {}

  /** The same keys, reading a newer profile (opened shared keys are opened again on demand). */
  withProfile(profile: Profile): KeyRing {
    return new KeyRing(this.userKey, this.privateKey, profile);
  }

  providerKey(providerId: string): Promise<SymmetricKey> {
    return this.#cached(this.#providerKeys, providerId, async () => {
      const wrapped = this.profile.providers.find((p) => p.id === providerId)?.key;
      if (!wrapped) throw new MissingKey(`no key for provider ${providerId}`);
      return unwrapSymmetricKey(wrapped, { privateKey: this.privateKey });
    });
  }

  orgKey(organizationId: string): Promise<SymmetricKey> {
    return this.#cached(this.#orgKeys, organizationId, async () => {
      const member = this.profile.organizations.find((o) => o.id === organizationId)?.key;
      if (member?.startsWith("4.")) return unwrapSymmetricKey(member, { privateKey: this.privateKey });
      const client = this.profile.providerOrganizations.find((o) => o.id === organizationId);
      if (client?.key) {
        return unwrapSymmetricKey(client.key, { wrappingKey: await this.providerKey(client.providerId) });
      }
      throw new MissingKey(`no key for organization ${organizationId}`);
    });
  }

  /** The key that protects an item: the user key for personal items, else its organization's key. */
  keyFor(organizationId: string | null | undefined): Promise<SymmetricKey> {
    return organizationId ? this.orgKey(organizationId) : Promise.resolve(this.userKey);
  }

  #cached(cache: Map<string, Promise<SymmetricKey>>, id: string, open: () => Promise<SymmetricKey>): Promise<SymmetricKey> {
    let key = cache.get(id);
    if (key === undefined) {
      key = open();
      cache.set(id, key);
      key.catch(() => cache.delete(id)); // a failure is not remembered: a later profile may carry the key
    }
    return key;
  }
}
