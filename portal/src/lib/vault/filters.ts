// The My Vault and org-vault sidebars: which items a selection shows (portal-ux §3.1).

import type { CipherType } from "./types";

export type VaultSelection =
  | { kind: "all" }
  | { kind: "favorites" }
  | { kind: "type"; type: CipherType }
  | { kind: "folder"; folderId: string | null }
  | { kind: "collection"; collectionIds: string[]; label: string }
  | { kind: "trash" };

/** "all" = every vault, "personal" = My vault only, otherwise one organization's id. */
export type VaultOwner = "all" | "personal" | string;

export interface Filterable {
  type: CipherType;
  organizationId: string | null;
  folderId: string | null;
  collectionIds: readonly string[];
  favorite: boolean;
  deleted: boolean;
  name: string;
  subtitle: string;
}

export function matchesOwner(item: Filterable, owner: VaultOwner): boolean {
  if (owner === "all") return true;
  if (owner === "personal") return item.organizationId === null;
  return item.organizationId === owner;
}

export function matchesSelection(item: Filterable, selection: VaultSelection): boolean {
  if (selection.kind === "trash") return item.deleted;
  if (item.deleted) return false;
  switch (selection.kind) {
    case "all":
      return true;
    case "favorites":
      return item.favorite;
    case "type":
      return item.type === selection.type;
    case "folder":
      return item.folderId === selection.folderId;
    case "collection":
      return item.collectionIds.some((id) => selection.collectionIds.includes(id));
  }
}

export function matchesSearch(item: Filterable, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (needle === "") return true;
  return item.name.toLowerCase().includes(needle) || item.subtitle.toLowerCase().includes(needle);
}

export function applyFilters<T extends Filterable>(
  items: readonly T[],
  owner: VaultOwner,
  selection: VaultSelection,
  search: string,
): T[] {
  return items.filter((i) => matchesOwner(i, owner) && matchesSelection(i, selection) && matchesSearch(i, search));
}

/** The heading's words for a selection; a folder by its (decrypted) name, looked up by `folderName`. */
export function selectionLabel(selection: VaultSelection, folderName: (id: string) => string | undefined = () => undefined): string {
  switch (selection.kind) {
    case "all":
      return "All items";
    case "favorites":
      return "Favorites";
    case "type":
      return ({ 1: "Logins", 2: "Secure notes", 3: "Cards", 4: "Identities", 5: "SSH keys" } as const)[selection.type];
    case "folder":
      return selection.folderId === null ? "No folder" : (folderName(selection.folderId) ?? "Folder");
    case "collection":
      return selection.label;
    case "trash":
      return "Trash";
  }
}

export function sameSelection(a: VaultSelection, b: VaultSelection): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
