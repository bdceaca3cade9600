// One copy of the caller's vault per session, shared by My Vault and the admin console's org vault: the sync as
// the server sent it (encrypted), the key ring, decrypted folder and collection names, and item summaries
// decrypted in batches. Whole items are decrypted only when opened. Nothing here is written to storage.

import { useEffect, useSyncExternalStore } from "react";
import type { SymmetricKey } from "../../lib/crypto";
import { session } from "../../lib/session";
import { decryptCipher } from "../../lib/vault/cipher";
import { type SessionKeys, SessionVaultRing } from "../../lib/vault/keyring";
import { type ItemSummary, sortByName, summarize, summarizeAll } from "../../lib/vault/summary";
import type { CipherWire, PlainCipher } from "../../lib/vault/types";
import { type Collection, type Folder, type SyncWire, decryptCollections, decryptFolders, loadSync } from "./api";

export interface VaultKeys {
  userId: string;
  /** The session's key ring (replaced when the profile is read again). */
  keys: SessionKeys & { userKey: SymmetricKey; orgKey(organizationId: string): Promise<SymmetricKey> };
}

export interface VaultState {
  status: "loading" | "ready" | "error";
  error: string | null;
  sync: SyncWire | null;
  ring: SessionVaultRing | null;
  folders: Folder[];
  collections: Collection[];
  items: ItemSummary[];
  /** Items still being decrypted (the list shows the first ones meanwhile). */
  pending: number;
}

const EMPTY: VaultState = {
  status: "loading",
  error: null,
  sync: null,
  ring: null,
  folders: [],
  collections: [],
  items: [],
  pending: 0,
};

class VaultStore {
  state: VaultState = EMPTY;
  #listeners = new Set<() => void>();
  #keys: VaultKeys | null = null;
  #loading: Promise<void> | null = null;
  #generation = 0;

  subscribe = (listener: () => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  snapshot = () => this.state;

  #set(patch: Partial<VaultState>) {
    this.state = { ...this.state, ...patch };
    for (const listener of this.#listeners) listener();
  }

  /** Load once per session (keys object); again after `reload`. */
  ensure(keys: VaultKeys): Promise<void> {
    if (this.#keys !== null && this.#keys.keys === keys.keys && this.#loading !== null) return this.#loading;
    if (this.#keys !== null && this.#keys.keys.userKey !== keys.keys.userKey) this.clear();
    this.#keys = keys;
    return this.reload();
  }

  reload(): Promise<void> {
    const keys = this.#keys;
    if (keys === null) return Promise.resolve();
    const generation = ++this.#generation;
    const current = () => generation === this.#generation;
    this.#set({ status: this.state.sync ? this.state.status : "loading", error: null });
    this.#loading = (async () => {
      try {
        const sync = await loadSync();
        if (!current()) return;
        const ring = new SessionVaultRing(keys.keys);
        const [folders, collections] = await Promise.all([decryptFolders(sync.folders ?? [], ring), decryptCollections(sync.collections ?? [], ring)]);
        if (!current()) return;
        this.#set({ sync, ring, folders, collections, pending: sync.ciphers.length, status: "ready" });
        const items = await summarizeAll(sync.ciphers ?? [], ring, {
          onBatch: (done) => {
            if (current()) this.#set({ items: done, pending: sync.ciphers.length - done.length });
          },
        });
        if (current()) this.#set({ items, pending: 0 });
      } catch (error) {
        if (current()) this.#set({ status: "error", error: error instanceof Error ? error.message : String(error) });
      }
    })();
    return this.#loading;
  }

  /** Forget everything (lock, log out). */
  clear() {
    this.#generation++;
    this.#keys = null;
    this.#loading = null;
    this.#set(EMPTY);
  }

  /** The server's answer to a save or restore replaces the item in place. */
  async put(wire: CipherWire) {
    const ring = this.state.ring;
    if (ring === null || this.state.sync === null) return;
    const summary = await summarize(wire, ring);
    const ciphers = [...this.state.sync.ciphers.filter((c) => c.id !== wire.id), wire];
    this.#set({
      sync: { ...this.state.sync, ciphers },
      items: sortByName([...this.state.items.filter((i) => i.id !== wire.id), summary]),
    });
  }

  markDeleted(id: string, deleted: boolean) {
    const stamp = deleted ? new Date().toISOString() : null;
    this.#set({ items: this.state.items.map((i) => (i.id === id ? { ...i, deleted, wire: { ...i.wire, deletedDate: stamp } } : i)) });
  }

  remove(id: string) {
    if (this.state.sync === null) return;
    this.#set({
      sync: { ...this.state.sync, ciphers: this.state.sync.ciphers.filter((c) => c.id !== id) },
      items: this.state.items.filter((i) => i.id !== id),
    });
  }

  setFolders(folders: Folder[]) {
    this.#set({ folders });
  }

  async open(item: ItemSummary): Promise<PlainCipher> {
    if (this.state.ring === null) throw new Error("The vault is locked.");
    return decryptCipher(item.wire, this.state.ring, item.key);
  }
}

export const vaultStore = new VaultStore();

// Decrypted names and keys go with the session: a lock or a log-out forgets them.
session.subscribe(() => {
  if (session.getState().status !== "unlocked") vaultStore.clear();
});

export function useVault(keys: VaultKeys | null): VaultState {
  const state = useSyncExternalStore(vaultStore.subscribe, vaultStore.snapshot);
  useEffect(() => {
    if (keys !== null) void vaultStore.ensure(keys);
  }, [keys]);
  return state;
}
