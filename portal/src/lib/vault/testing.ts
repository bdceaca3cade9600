// A fake key ring for unit tests: "EncStrings" that name the key that made them, so a test can check that every
// field went through the right key (user, org or item key). Real crypto is lib/crypto's, tested on its own.

import type { KeyRing, VaultKey } from "./keys";
import { MissingKey } from "./keys";

const b64 = (text: string) => btoa(unescape(encodeURIComponent(text)));
const unb64 = (text: string) => decodeURIComponent(escape(atob(text)));

export class FakeKey implements VaultKey {
  constructor(readonly id: string) {}
  async encryptText(plain: string): Promise<string> {
    return `2.${this.id}|${b64(plain)}|mac`;
  }
  async decryptText(encString: string): Promise<string> {
    const match = /^2\.([^|]+)\|([^|]*)\|mac$/.exec(encString);
    if (!match || match[1] !== this.id) throw new Error(`key ${this.id} cannot open ${encString}`);
    return unb64(match[2] ?? "");
  }
  async wrapKey(inner: VaultKey): Promise<string> {
    return this.encryptText(`key:${(inner as FakeKey).id}`);
  }
  async unwrapKey(encString: string): Promise<VaultKey> {
    const text = await this.decryptText(encString);
    if (!text.startsWith("key:")) throw new Error("not a wrapped key");
    return new FakeKey(text.slice(4));
  }
}

export class FakeRing implements KeyRing {
  private made = 0;
  constructor(readonly keys: Record<string, FakeKey> = { user: new FakeKey("user") }) {}
  async keyFor(organizationId: string | null): Promise<VaultKey> {
    const key = this.keys[organizationId ?? "user"];
    if (!key) throw new MissingKey(organizationId);
    return key;
  }
  async newItemKey(): Promise<VaultKey> {
    this.made += 1;
    return new FakeKey(`item${this.made}`);
  }
}
