/**
 * The account profile (`GET /api/accounts/profile`, composed by the gateway) as the portal reads it: who the
 * user is, their organizations, providers and the client organizations they reach through a provider.
 * The API describes this body loosely, so it is checked here, field by field, once.
 */
import { field } from "../api";

/** Provider user type: 0 Provider Admin, 1 Service User. Status: 0 invited, 1 accepted, 2 confirmed, -1 revoked. */
export const ProviderUserType = { ProviderAdmin: 0, ServiceUser: 1 } as const;
/** Organization member type: 0 Owner, 1 Admin, 2 User, 4 Custom. */
export const OrganizationUserType = { Owner: 0, Admin: 1, User: 2, Custom: 4 } as const;
export const MembershipStatus = { Revoked: -1, Invited: 0, Accepted: 1, Confirmed: 2 } as const;

export type ProfileProvider = {
  id: string;
  name: string;
  /** The provider key wrapped to our public key (type 4); null until confirmed. */
  key: string | null;
  type: number;
  status: number;
  enabled: boolean;
  useEvents: boolean;
};

export type ProfileOrganization = {
  id: string;
  name: string;
  /** Type 4 (member copy) or, for a client reached through a provider, type 2 under the provider key. */
  key: string | null;
  type: number;
  status: number;
  enabled: boolean;
  seats: number | null;
  /** The provider that manages this organization, if any. */
  providerId: string | null;
  providerName: string | null;
  /** True when the user reaches it as a provider user (not as a member). */
  isProviderUser: boolean;
  organizationUserId: string | null;
  permissions: Record<string, boolean>;
};

export type ProviderOrganization = {
  id: string;
  name: string;
  /** The org key under the provider key (type 2). */
  key: string | null;
  providerId: string;
  providerName: string | null;
  enabled: boolean;
};

export type Profile = {
  id: string;
  email: string;
  name: string | null;
  /** An admin recovered the account: the user must choose their own master password before anything else. */
  forcePasswordReset: boolean;
  organizations: ProfileOrganization[];
  providers: ProfileProvider[];
  providerOrganizations: ProviderOrganization[];
};

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const num = (v: unknown, fallback: number): number => (typeof v === "number" ? v : fallback);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function required(v: unknown, what: string): string {
  const value = str(v);
  if (value === null) throw new Error(`The profile has no ${what}.`);
  return value;
}

function permissionsOf(v: unknown): Record<string, boolean> {
  if (typeof v !== "object" || v === null) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, boolean] => typeof e[1] === "boolean"));
}

export function parseProfile(body: unknown): Profile {
  return {
    id: required(field(body, "id"), "id"),
    email: required(field(body, "email"), "email"),
    name: str(field(body, "name")),
    forcePasswordReset: field(body, "forcePasswordReset") === true,
    providers: list(field(body, "providers")).map((p) => ({
      id: required(field(p, "id"), "provider id"),
      name: str(field(p, "name")) ?? "",
      key: str(field(p, "key")),
      type: num(field(p, "type"), ProviderUserType.ServiceUser),
      status: num(field(p, "status"), MembershipStatus.Invited),
      enabled: field(p, "enabled") !== false,
      useEvents: field(p, "useEvents") === true,
    })),
    organizations: list(field(body, "organizations")).map((o) => ({
      id: required(field(o, "id"), "organization id"),
      name: str(field(o, "name")) ?? "",
      key: str(field(o, "key")),
      type: num(field(o, "type"), OrganizationUserType.User),
      status: num(field(o, "status"), MembershipStatus.Invited),
      enabled: field(o, "enabled") !== false,
      seats: typeof field(o, "seats") === "number" ? (field(o, "seats") as number) : null,
      providerId: str(field(o, "providerId")),
      providerName: str(field(o, "providerName")),
      isProviderUser: field(o, "isProviderUser") === true,
      organizationUserId: str(field(o, "organizationUserId")),
      permissions: permissionsOf(field(o, "permissions")),
    })),
    providerOrganizations: list(field(body, "providerOrganizations")).map((o) => ({
      id: required(field(o, "id"), "client organization id"),
      name: str(field(o, "name")) ?? "",
      key: str(field(o, "key")),
      providerId: required(field(o, "providerId"), "client's provider id"),
      providerName: str(field(o, "providerName")),
      enabled: field(o, "enabled") !== false,
    })),
  };
}

/** Providers the user is a confirmed member of (the Provider Portal shows these). */
export function confirmedProviders(profile: Profile): ProfileProvider[] {
  return profile.providers.filter((p) => p.status === MembershipStatus.Confirmed);
}

/** Can this user open the admin console of `organizationId` (Owner/Admin, or through a provider)? */
export function canAdminister(profile: Profile, organizationId: string): boolean {
  const org = profile.organizations.find((o) => o.id === organizationId);
  if (org === undefined || org.status !== MembershipStatus.Confirmed) return false;
  return org.isProviderUser || org.type === OrganizationUserType.Owner || org.type === OrganizationUserType.Admin || org.type === OrganizationUserType.Custom;
}
