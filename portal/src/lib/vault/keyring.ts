// lib/crypto's keys behind the vault model's port. Which key opens what is the session's concern (its KeyRing
// opens org keys as a member, type 4, or through a provider key, type 2); this only adapts it, and makes fresh
// item keys.

import { SymmetricKey } from "../crypto";
import type { KeyRing, VaultKey } from "./keys";

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

/** The session's key ring as the vault model sees it (lib/session's KeyRing fits). */
export interface SessionKeys {
  keyFor(organizationId: string | null): Promise<SymmetricKey>;
}

export class SessionVaultRing implements KeyRing {
  readonly #keys = new Map<string, Promise<VaultKey>>();
  constructor(readonly session: SessionKeys) {}

  keyFor(organizationId: string | null): Promise<VaultKey> {
    const id = organizationId ?? "";
    let found = this.#keys.get(id);
    if (found === undefined) {
      found = this.session.keyFor(organizationId).then((key) => new CryptoVaultKey(key));
      this.#keys.set(id, found);
      found.catch(() => this.#keys.delete(id));
    }
    return found;
  }

  async newItemKey(): Promise<VaultKey> {
    return new CryptoVaultKey(SymmetricKey.generate());
  }
}
