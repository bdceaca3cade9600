// The members page's pure part: status filters with counts, which actions a row or a selection offers, and the
// key handed over on confirmation (the org key wrapped to the member's public key, with the phrase to check).

import { fingerprintPhrase, type SymmetricKey, wrapKeyForMember } from "../../lib/crypto";
import { MemberStatus } from "../../lib/org/roles";
import type { Member, MemberAction, PublicKeyRow } from "./api";

export type StatusFilter = "all" | "invited" | "accepted" | "revoked";

export const STATUS_FILTERS: ReadonlyArray<readonly [StatusFilter, string]> = [
  ["all", "All"],
  ["invited", "Invited"],
  ["accepted", "Needs confirmation"],
  ["revoked", "Revoked"],
];

const STATUS_OF: Record<Exclude<StatusFilter, "all">, number> = {
  invited: MemberStatus.Invited,
  accepted: MemberStatus.Accepted,
  revoked: MemberStatus.Revoked,
};

export function matchesStatus(member: Pick<Member, "status">, filter: StatusFilter): boolean {
  return filter === "all" || member.status === STATUS_OF[filter];
}

export function statusCounts(members: readonly Pick<Member, "status">[]): Record<StatusFilter, number> {
  const counts: Record<StatusFilter, number> = { all: members.length, invited: 0, accepted: 0, revoked: 0 };
  for (const m of members) {
    if (m.status === MemberStatus.Invited) counts.invited++;
    else if (m.status === MemberStatus.Accepted) counts.accepted++;
    else if (m.status === MemberStatus.Revoked) counts.revoked++;
  }
  return counts;
}

export function searchMembers<T extends Pick<Member, "name" | "email">>(members: readonly T[], search: string): T[] {
  const needle = search.trim().toLowerCase();
  if (!needle) return [...members];
  return members.filter((m) => m.email.toLowerCase().includes(needle) || (m.name ?? "").toLowerCase().includes(needle));
}

export type RowAction = MemberAction | "confirm" | "edit" | "recover";

/** The actions one member's row offers, in menu order. "Recover account" needs the caller's permission and a
 * confirmed member enrolled in account recovery (only then does the org hold a copy of their user key). */
export function rowActions(
  member: Pick<Member, "status" | "resetPasswordEnrolled">,
  canRecover = false,
): RowAction[] {
  const actions: RowAction[] = ["edit"];
  if (member.status === MemberStatus.Invited) actions.push("reinvite");
  if (member.status === MemberStatus.Accepted) actions.push("confirm");
  if (canRecover && member.status === MemberStatus.Confirmed && member.resetPasswordEnrolled) actions.push("recover");
  actions.push(member.status === MemberStatus.Revoked ? "restore" : "revoke");
  actions.push("remove");
  return actions;
}

/** Bulk actions offered for a selection: reinvite only if all are invited, confirm only if all accepted. */
export function bulkActions(selected: readonly Pick<Member, "status">[]): Array<MemberAction | "confirm"> {
  if (selected.length === 0) return [];
  const all = (status: number) => selected.every((m) => m.status === status);
  const actions: Array<MemberAction | "confirm"> = [];
  if (all(MemberStatus.Invited)) actions.push("reinvite");
  if (all(MemberStatus.Accepted)) actions.push("confirm");
  if (selected.some((m) => m.status !== MemberStatus.Revoked)) actions.push("revoke");
  if (selected.some((m) => m.status === MemberStatus.Revoked)) actions.push("restore");
  actions.push("remove");
  return actions;
}

export const ACTION_LABELS: Record<RowAction, string> = {
  edit: "Edit",
  recover: "Recover account",
  reinvite: "Resend invitation",
  confirm: "Confirm",
  revoke: "Revoke access",
  restore: "Restore access",
  remove: "Remove",
};

export interface Confirmation {
  memberId: string;
  userId: string;
  /** Five words to compare with the member before the org key is handed over. */
  fingerprint: string;
  /** The org key under the member's public key (type 4). */
  key: string;
}

export async function prepareConfirmation(row: PublicKeyRow, orgKey: SymmetricKey): Promise<Confirmation> {
  const [fingerprint, key] = await Promise.all([fingerprintPhrase(row.userId, row.key), wrapKeyForMember(orgKey, row.key)]);
  return { memberId: row.id, userId: row.userId, fingerprint, key };
}
