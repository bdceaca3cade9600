/**
 * What survives a reload, in sessionStorage (gone when the tab closes): the tokens, who is logged in, their
 * KDF settings and their keys *as the server stores them* (the user key under the master key, the private key
 * under the user key). Never a key in clear: after a reload the portal is locked and asks for the master
 * password again, which re-derives the master key and opens these.
 */
import { type KdfConfig, kdfConfigFromWire } from "../crypto";

export const STORAGE_KEY = "mspvault.session.v1";

export type StoredSession = {
  userId: string;
  email: string;
  name: string | null;
  kdf: KdfConfig;
  accessToken: string;
  refreshToken: string | null;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** The user key under the stretched master key (type 2). */
  protectedUserKey: string;
  /** The private key under the user key (type 2). */
  encryptedPrivateKey: string | null;
};

/** The part of Web Storage this module uses (sessionStorage in the browser, a Map in tests). */
export type KeyValueStore = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export function writeSession(store: KeyValueStore, session: StoredSession): void {
  store.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(store: KeyValueStore): void {
  store.removeItem(STORAGE_KEY);
}

/** The stored session, or null when there is none or it is damaged (then it is removed). */
export function readSession(store: KeyValueStore): StoredSession | null {
  const text = store.getItem(STORAGE_KEY);
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    const kdf = v.kdf as Record<string, unknown>;
    const s: StoredSession = {
      userId: String(v.userId),
      email: String(v.email),
      name: typeof v.name === "string" ? v.name : null,
      kdf: kdfConfigFromWire(kdf.kdf, kdf.iterations, kdf.memory, kdf.parallelism),
      accessToken: String(v.accessToken),
      refreshToken: typeof v.refreshToken === "string" ? v.refreshToken : null,
      expiresAt: Number(v.expiresAt),
      protectedUserKey: String(v.protectedUserKey),
      encryptedPrivateKey: typeof v.encryptedPrivateKey === "string" ? v.encryptedPrivateKey : null,
    };
    if (!s.userId || !s.email || !s.accessToken || !s.protectedUserKey.startsWith("2.") || !Number.isFinite(s.expiresAt)) {
      throw new Error("incomplete");
    }
    return s;
  } catch {
    clearSession(store);
    return null;
  }
}

/** An in-memory KeyValueStore (tests, or where sessionStorage is unavailable). */
export function memoryStore(): KeyValueStore & { readonly items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => void items.set(k, v),
    removeItem: (k) => void items.delete(k),
  };
}
