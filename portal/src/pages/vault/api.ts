// The vault's calls to the API: sync, items (create, edit, move into an organization, trash, restore, delete)
// and folders. Everything sent is encrypted here first (lib/vault); the server stores EncStrings only.

import { api, call, type components } from "../../lib/api";
import { encryptCipher, withPasswordHistory } from "../../lib/vault/cipher";
import type { KeyRing, VaultKey } from "../../lib/vault/keys";
import type { CipherRequest, CipherWire, CollectionWire, FolderWire, PlainCipher } from "../../lib/vault/types";

type WireRequest = components["schemas"]["CipherRequest"];

/** The members of /api/sync this app reads. */
export interface SyncWire {
  profile: SyncProfile;
  folders: FolderWire[];
  collections: CollectionWire[];
  ciphers: CipherWire[];
  policies?: Array<{ organizationId: string; type: number; enabled: boolean; data?: Record<string, unknown> | null }>;
}

export interface ProfileOrganization {
  id: string;
  name: string;
  key?: string | null;
  status: number;
  type: number;
  enabled: boolean;
  permissions?: Record<string, boolean> | null;
  providerId?: string | null;
  providerName?: string | null;
  organizationUserId?: string | null;
  isProviderUser?: boolean;
  useGroups?: boolean;
  usePolicies?: boolean;
  useEvents?: boolean;
  useCustomPermissions?: boolean;
  seats?: number | null;
}

export interface SyncProfile {
  id: string;
  email: string;
  name?: string | null;
  organizations: ProfileOrganization[];
  providers?: Array<{ id: string; name: string; key?: string | null; status: number; type: number; enabled: boolean }>;
  providerOrganizations?: Array<ProfileOrganization & { providerId: string }>;
}

// Documented now, items included; the items' bodies are described loosely (`fields` as plain objects), and
// CipherWire is the shape the decryption reads and checks, so the answer is taken through `unknown` as below.
export async function loadSync(): Promise<SyncWire> {
  return (await call(api.GET("/api/sync", { params: { query: { excludeDomains: true } } }))) as unknown as SyncWire;
}

function asRequest(body: CipherRequest): WireRequest {
  return body as unknown as WireRequest;
}

/**
 * Save an item: create (personal or into an org's collections), move a personal item into an organization,
 * or edit (then set the collections if they changed). Answers the item as the server now has it.
 */
// The vault's response models describe item bodies loosely (`fields` as plain objects); CipherWire is the
// shape the decryption reads and checks, so the answer is taken through `unknown`.
export async function saveItem(item: PlainCipher, before: PlainCipher | null, ring: KeyRing, userId: string): Promise<CipherWire> {
  const next = withPasswordHistory(before, item);
  if (next.id === null) {
    const body = await encryptCipher(next, ring, { withItemKey: true, encryptedFor: userId });
    if (next.organizationId === null) return (await call(api.POST("/api/ciphers", { body: asRequest(body) }))) as unknown as CipherWire;
    return (await call(
      api.POST("/api/ciphers/create", { body: { cipher: asRequest(body), collectionIds: next.collectionIds } }),
    )) as unknown as CipherWire;
  }
  const path = { params: { path: { cipher_id: next.id } } };
  if (before !== null && before.organizationId === null && next.organizationId !== null) {
    const body = await encryptCipher(next, ring, { withItemKey: true, encryptedFor: userId });
    return (await call(
      api.PUT("/api/ciphers/{cipher_id}/share", { ...path, body: { cipher: asRequest(body), collectionIds: next.collectionIds } }),
    )) as unknown as CipherWire;
  }
  const body = await encryptCipher(next, ring, { encryptedFor: userId });
  let saved = (await call(api.PUT("/api/ciphers/{cipher_id}", { ...path, body: asRequest(body) }))) as unknown as CipherWire;
  if (next.organizationId !== null && before !== null && !sameSet(before.collectionIds, next.collectionIds)) {
    saved = (await call(
      api.PUT("/api/ciphers/{cipher_id}/collections", { ...path, body: { collectionIds: next.collectionIds } }),
    )) as unknown as CipherWire;
  }
  return saved;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** Folder and favorite are the caller's own, even on an item they may not edit. */
export async function savePrefs(id: string, folderId: string | null, favorite: boolean): Promise<CipherWire> {
  return (await call(
    api.PUT("/api/ciphers/{cipher_id}/partial", { params: { path: { cipher_id: id } }, body: { folderId, favorite } }),
  )) as unknown as CipherWire;
}

export async function trashItem(id: string): Promise<void> {
  await call(api.PUT("/api/ciphers/{cipher_id}/delete", { params: { path: { cipher_id: id } } }));
}

export async function deleteItem(id: string): Promise<void> {
  await call(api.DELETE("/api/ciphers/{cipher_id}", { params: { path: { cipher_id: id } } }));
}

export async function restoreItem(id: string): Promise<CipherWire> {
  return (await call(api.PUT("/api/ciphers/{cipher_id}/restore", { params: { path: { cipher_id: id } } }))) as unknown as CipherWire;
}

export async function createFolder(name: string, userKey: VaultKey): Promise<FolderWire> {
  return (await call(api.POST("/api/folders", { body: { name: await userKey.encryptText(name) } }))) as FolderWire;
}

export async function renameFolder(id: string, name: string, userKey: VaultKey): Promise<FolderWire> {
  return (await call(
    api.PUT("/api/folders/{folder_id}", { params: { path: { folder_id: id } }, body: { name: await userKey.encryptText(name) } }),
  )) as FolderWire;
}

export async function deleteFolder(id: string): Promise<void> {
  await call(api.DELETE("/api/folders/{folder_id}", { params: { path: { folder_id: id } } }));
}

// --- decrypting what the sync carries, besides items ----------------------------------------------------------

export interface Folder {
  id: string;
  name: string;
}

export interface Collection {
  id: string;
  organizationId: string;
  name: string;
  externalId: string | null;
  readOnly: boolean;
  hidePasswords: boolean;
  manage: boolean;
}

export async function decryptFolders(wires: readonly FolderWire[], ring: KeyRing): Promise<Folder[]> {
  const key = await ring.keyFor(null);
  return Promise.all(
    wires.map(async (f) => ({ id: f.id, name: await key.decryptText(f.name).catch(() => "[error: cannot decrypt]") })),
  );
}

export async function decryptCollections(wires: readonly CollectionWire[], ring: KeyRing): Promise<Collection[]> {
  return Promise.all(
    wires.map(async (c) => {
      let name: string;
      try {
        name = await (await ring.keyFor(c.organizationId)).decryptText(c.name);
      } catch {
        name = "[error: cannot decrypt]";
      }
      return {
        id: c.id,
        organizationId: c.organizationId,
        name,
        externalId: c.externalId ?? null,
        readOnly: Boolean(c.readOnly),
        hidePasswords: Boolean(c.hidePasswords),
        manage: Boolean(c.manage),
      };
    }),
  );
}
