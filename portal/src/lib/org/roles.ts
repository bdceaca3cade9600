// Organization member types, statuses and Custom permissions, as the organization service and Bitwarden name them.

export const MemberType = { Owner: 0, Admin: 1, User: 2, Custom: 4 } as const;
export type MemberType = (typeof MemberType)[keyof typeof MemberType];

export const MEMBER_TYPE_LABELS: Record<MemberType, string> = { 0: "Owner", 1: "Admin", 2: "User", 4: "Custom" };

export const MEMBER_TYPE_HINTS: Record<MemberType, string> = {
  2: "Access and add items to assigned collections.",
  1: "Manage organization access, all collections, members and groups.",
  0: "Manage all aspects of the organization, including billing.",
  4: "Fine-grained permissions for a member.",
};

export const MemberStatus = { Revoked: -1, Invited: 0, Accepted: 1, Confirmed: 2 } as const;
export type MemberStatus = (typeof MemberStatus)[keyof typeof MemberStatus];

export const MEMBER_STATUS_LABELS: Record<MemberStatus, string> = {
  [-1]: "Revoked",
  0: "Invited",
  1: "Needs confirmation",
  2: "Confirmed",
};

/** Bitwarden's Custom-role permission names (the organization service's PERMISSION_NAMES), with labels. */
export const PERMISSIONS: ReadonlyArray<[string, string]> = [
  ["accessEventLogs", "Access event logs"],
  ["accessImportExport", "Access import/export"],
  ["accessReports", "Access reports"],
  ["createNewCollections", "Create new collections"],
  ["editAnyCollection", "Edit any collection"],
  ["deleteAnyCollection", "Delete any collection"],
  ["manageGroups", "Manage groups"],
  ["managePolicies", "Manage policies"],
  ["manageSso", "Manage SSO"],
  ["manageUsers", "Manage users"],
  ["manageResetPassword", "Manage account recovery"],
  ["manageScim", "Manage SCIM"],
];

export type Permissions = Record<string, boolean>;

export function noPermissions(): Permissions {
  return Object.fromEntries(PERMISSIONS.map(([name]) => [name, false]));
}

/** What the caller's own profile entry lets them do in the console (provider users act as Owner). */
export interface ConsoleRights {
  manageUsers: boolean;
  manageGroups: boolean;
  manageCollections: boolean;
  managePolicies: boolean;
  accessEventLogs: boolean;
  manageSettings: boolean;
  /** Import into and export the organization's vault (Bitwarden's `canAccessImport`). */
  importExport: boolean;
  /** Recover the accounts of members enrolled in account recovery (Bitwarden's `canManageUsersPassword`). */
  manageResetPassword: boolean;
}

export function rightsOf(entry: { type: number; permissions?: Permissions | null } | null, viaProvider: boolean): ConsoleRights {
  const admin = viaProvider || entry?.type === MemberType.Owner || entry?.type === MemberType.Admin;
  const p = entry?.type === MemberType.Custom ? (entry.permissions ?? {}) : {};
  return {
    manageUsers: admin || Boolean(p.manageUsers),
    manageGroups: admin || Boolean(p.manageGroups),
    manageCollections: admin || Boolean(p.createNewCollections || p.editAnyCollection || p.deleteAnyCollection),
    managePolicies: admin || Boolean(p.managePolicies),
    accessEventLogs: admin || Boolean(p.accessEventLogs),
    manageSettings: viaProvider || entry?.type === MemberType.Owner,
    importExport: admin || Boolean(p.accessImportExport),
    manageResetPassword: admin || Boolean(p.manageResetPassword),
  };
}

export function canOpenConsole(rights: ConsoleRights): boolean {
  return Object.values(rights).some(Boolean);
}

/** Split a comma- or newline-separated list of addresses, as the invite dialog takes them (at most 20). */
export function parseEmails(text: string): { emails: string[]; invalid: string[] } {
  const parts = text
    .split(/[,;\s]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  const emails = [...new Set(parts.filter((p) => /^[^@\s]+@[^@\s]+$/.test(p)).map((p) => p.toLowerCase()))];
  return { emails, invalid: parts.filter((p) => !/^[^@\s]+@[^@\s]+$/.test(p)) };
}
