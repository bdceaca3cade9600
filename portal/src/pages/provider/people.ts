/**
 * The People page's model: provider users' statuses and types as words, the status filter with its counts, which
 * bulk actions fit a selection, and the invite form's email list. Pure.
 */
import { EMAIL_ADDRESS } from "../../lib/fields";

/** The fields of `GET /api/providers/{id}/users` rows this page reads. */
export interface ProviderUserDetails {
  id: string;
  userId?: string | null;
  type: number;
  status: number;
  name?: string | null;
  email: string;
}

export const ProviderUserType = { ProviderAdmin: 0, ServiceUser: 1 } as const;
export type ProviderUserTypeValue = (typeof ProviderUserType)[keyof typeof ProviderUserType];
export const ProviderUserStatus = { Revoked: -1, Invited: 0, Accepted: 1, Confirmed: 2 } as const;

export const TYPE_LABELS: ReadonlyMap<number, string> = new Map([
  [ProviderUserType.ProviderAdmin, "Provider admin"],
  [ProviderUserType.ServiceUser, "Service user"],
]);

export const TYPE_DESCRIPTIONS: ReadonlyMap<number, string> = new Map([
  [ProviderUserType.ServiceUser, "Creates and fully administers client organizations."],
  [ProviderUserType.ProviderAdmin, "Also manages the provider: its people, event logs and settings."],
]);

const STATUS_BADGES: ReadonlyMap<number, string> = new Map([
  [ProviderUserStatus.Revoked, "Revoked"],
  [ProviderUserStatus.Invited, "Invited"],
  [ProviderUserStatus.Accepted, "Needs confirmation"],
]);

export function typeLabel(type: number): string {
  return TYPE_LABELS.get(type) ?? `Type ${type}`;
}

/** The badge beside a name; none for a confirmed user. */
export function statusBadge(status: number): string | null {
  return STATUS_BADGES.get(status) ?? null;
}

export type StatusFilter = "all" | "invited" | "accepted" | "revoked";

export const FILTERS: ReadonlyArray<{ key: StatusFilter; label: string }> = [
  { key: "all", label: "All" },
  { key: "invited", label: "Invited" },
  { key: "accepted", label: "Needs confirmation" },
  { key: "revoked", label: "Revoked" },
];

const FILTER_STATUS: Record<Exclude<StatusFilter, "all">, number> = {
  invited: ProviderUserStatus.Invited,
  accepted: ProviderUserStatus.Accepted,
  revoked: ProviderUserStatus.Revoked,
};

export function matchesFilter(user: ProviderUserDetails, filter: StatusFilter): boolean {
  return filter === "all" || user.status === FILTER_STATUS[filter];
}

export function filterCounts(users: readonly ProviderUserDetails[]): Record<StatusFilter, number> {
  const counts: Record<StatusFilter, number> = { all: users.length, invited: 0, accepted: 0, revoked: 0 };
  for (const user of users) {
    for (const key of ["invited", "accepted", "revoked"] as const) if (user.status === FILTER_STATUS[key]) counts[key]++;
  }
  return counts;
}

export function searchUsers(users: readonly ProviderUserDetails[], query: string): ProviderUserDetails[] {
  const needle = query.trim().toLocaleLowerCase();
  if (needle === "") return [...users];
  return users.filter(
    (user) => user.email.toLocaleLowerCase().includes(needle) || (user.name ?? "").toLocaleLowerCase().includes(needle),
  );
}

export function displayName(user: ProviderUserDetails): string {
  return user.name?.trim() ? user.name : user.email;
}

/** What a selection allows, as Bitwarden's bulk menu: reinvite only invited users, confirm only accepted ones. */
export function bulkActions(selected: readonly ProviderUserDetails[]): { reinvite: boolean; confirm: boolean; remove: boolean } {
  const any = selected.length > 0;
  return {
    reinvite: any && selected.every((user) => user.status === ProviderUserStatus.Invited),
    confirm: any && selected.every((user) => user.status === ProviderUserStatus.Accepted),
    remove: any,
  };
}

export const MAX_INVITES = 20;

export type EmailList = { ok: true; emails: string[] } | { ok: false; error: string };

/** The invite form's "comma-separated, up to 20" email list, lower-cased and without duplicates. */
export function parseEmails(text: string): EmailList {
  const emails = [...new Set(text.split(/[,;\s]+/).map((part) => part.trim().toLowerCase()).filter(Boolean))];
  if (emails.length === 0) return { ok: false, error: "Enter at least one email address." };
  if (emails.length > MAX_INVITES) return { ok: false, error: `Invite at most ${MAX_INVITES} people at a time.` };
  const bad = emails.filter((email) => !EMAIL_ADDRESS.test(email));
  if (bad.length > 0) return { ok: false, error: `Not an email address: ${bad.join(", ")}` };
  return { ok: true, emails };
}
