// What every admin-console page knows: the organization, how the caller reaches it (member or provider user),
// what they may do there, and the org key (opened in the browser by the session, memory only).

import { createContext, useContext } from "react";
import type { SymmetricKey } from "../../lib/crypto";
import type { ConsoleRights } from "../../lib/org/roles";
import type { Profile, ProfileOrganization } from "../../lib/session";
import type { VaultKeys, VaultState } from "../vault/store";

export interface OrgEntry extends ProfileOrganization {
  /** Not in the session's profile; `undefined` reads as "on". */
  useGroups?: boolean;
}

export interface OrgContextValue {
  orgId: string;
  entry: OrgEntry;
  /** Set when the caller reaches this organization as a provider user (the banner names the provider). */
  provider: { id: string; name: string } | null;
  /** Who is signed in: a provider user is no member of a client, so the member list cannot name them. */
  caller: { id: string; name: string };
  rights: ConsoleRights;
  keys: VaultKeys;
  vault: VaultState;
  orgKey: () => Promise<SymmetricKey>;
}

export const OrgContext = createContext<OrgContextValue | null>(null);

export function useOrg(): OrgContextValue {
  const value = useContext(OrgContext);
  if (value === null) throw new Error("useOrg outside the admin console");
  return value;
}

const CONFIRMED = 2;

/**
 * The caller's entry for an organization: a confirmed membership, or a client organization they reach as a
 * provider user (the gateway lists those among the organizations too, flagged `isProviderUser`).
 */
export function findOrganization(
  profile: Pick<Profile, "organizations" | "providerOrganizations">,
  orgId: string,
): { entry: OrgEntry; provider: { id: string; name: string } | null } | null {
  const entry = profile.organizations.find((o) => o.id === orgId && o.status === CONFIRMED);
  if (entry === undefined) return null;
  const link = profile.providerOrganizations.find((o) => o.id === orgId);
  const provider = entry.isProviderUser && link ? { id: link.providerId, name: link.providerName ?? "your provider" } : null;
  return { entry, provider };
}
