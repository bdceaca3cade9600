// Collection access as the admin console's dropdown shows it, and the {readOnly, hidePasswords, manage} triple the
// API carries (portal-ux §2.3). New rows default to "Can view".

export interface CollectionGrant {
  readOnly: boolean;
  hidePasswords: boolean;
  manage: boolean;
}

export type AccessLevel = "view" | "viewHidePasswords" | "edit" | "editHidePasswords" | "manage";

export const ACCESS_LEVELS: ReadonlyArray<[AccessLevel, string]> = [
  ["view", "Can view"],
  ["viewHidePasswords", "Can view, except passwords"],
  ["edit", "Can edit"],
  ["editHidePasswords", "Can edit, except passwords"],
  ["manage", "Can manage"],
];

export const DEFAULT_ACCESS: AccessLevel = "view";

export function grantOf(level: AccessLevel): CollectionGrant {
  switch (level) {
    case "view":
      return { readOnly: true, hidePasswords: false, manage: false };
    case "viewHidePasswords":
      return { readOnly: true, hidePasswords: true, manage: false };
    case "edit":
      return { readOnly: false, hidePasswords: false, manage: false };
    case "editHidePasswords":
      return { readOnly: false, hidePasswords: true, manage: false };
    case "manage":
      return { readOnly: false, hidePasswords: false, manage: true };
  }
}

export function levelOf(grant: CollectionGrant): AccessLevel {
  if (grant.manage) return "manage";
  if (grant.readOnly) return grant.hidePasswords ? "viewHidePasswords" : "view";
  return grant.hidePasswords ? "editHidePasswords" : "edit";
}

export function accessLabel(grant: CollectionGrant): string {
  const level = levelOf(grant);
  return ACCESS_LEVELS.find(([l]) => l === level)?.[1] ?? level;
}

/** `{id, readOnly, hidePasswords, manage}` rows, as the members, groups and collections endpoints take them. */
export interface Selection extends CollectionGrant {
  id: string;
}

export function selections(levels: ReadonlyMap<string, AccessLevel>): Selection[] {
  return [...levels].map(([id, level]) => ({ id, ...grantOf(level) }));
}

export function levelsOf(rows: readonly Selection[] | null | undefined): Map<string, AccessLevel> {
  return new Map((rows ?? []).map((row) => [row.id, levelOf(row)]));
}
