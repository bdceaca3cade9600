// The admin console's calls: members, groups, collections, policies, events, the organization. Collection names
// are encrypted with the org key before they leave; the org key goes to a member only wrapped to their public key.

import { api, call, type components } from "../../lib/api";
import type { Selection } from "../../lib/org/access";
import type { MemberType, Permissions } from "../../lib/org/roles";
import type { RecoveryDetails, RecoveryRequest } from "./recovery";

type Listing<T> = { data: T[]; continuationToken?: string | null };

export interface Organization {
  id: string;
  name: string;
  billingEmail: string;
  planType: number;
  seats: number | null;
  maxCollections: number | null;
  enabled: boolean;
  providerId: string | null;
  useGroups?: boolean;
  usePolicies?: boolean;
  useEvents?: boolean;
  useCustomPermissions?: boolean;
  creationDate?: string | null;
}

export interface Member {
  id: string;
  userId: string | null;
  name: string | null;
  email: string;
  externalId: string | null;
  groups: string[];
  collections: Selection[];
  status: number;
  type: number;
  accessAll: boolean;
  twoFactorEnabled: boolean;
  /** Enrolled in account recovery: their user key is wrapped to the org public key. */
  resetPasswordEnrolled?: boolean;
  permissions: Permissions;
}

export interface CollectionDetails {
  id: string;
  organizationId: string;
  name: string; // encrypted
  externalId: string | null;
  readOnly: boolean;
  hidePasswords: boolean;
  manage: boolean;
  assigned: boolean;
  users: Selection[];
  groups: Selection[];
}

export interface GroupDetails {
  id: string;
  organizationId: string;
  name: string;
  externalId: string | null;
  collections: Selection[];
  users: string[];
}

export interface Policy {
  id: string | null;
  organizationId: string;
  type: number;
  enabled: boolean;
  data: Record<string, unknown> | null;
}

export type AuditEvent = components["schemas"]["EventResponse"];

const org = (orgId: string) => ({ org_id: orgId });

export async function getOrganization(orgId: string): Promise<Organization> {
  return (await call(api.GET("/api/organizations/{org_id}", { params: { path: org(orgId) } }))) as Organization;
}

/** Rename the organization or change its billing email (its Owners and its provider's users). */
export async function updateOrganization(orgId: string, body: { name: string; billingEmail: string }): Promise<Organization> {
  return (await call(api.PUT("/api/organizations/{org_id}", { params: { path: org(orgId) }, body }))) as Organization;
}

// --- members -------------------------------------------------------------------------------------------------

export async function listMembers(orgId: string): Promise<Member[]> {
  const body = (await call(
    api.GET("/api/organizations/{org_id}/users", {
      params: { path: org(orgId), query: { includeCollections: true, includeGroups: true } },
    }),
  )) as Listing<Member>;
  return body.data;
}

export interface Assignment {
  type: MemberType;
  collections: Selection[];
  groups: string[];
  permissions: Permissions | null;
}

export async function inviteMembers(orgId: string, emails: string[], assignment: Assignment): Promise<void> {
  await call(
    api.POST("/api/organizations/{org_id}/users/invite", {
      params: { path: org(orgId) },
      body: { emails, ...assignment, accessSecretsManager: false },
    }),
  );
}

export async function updateMember(orgId: string, memberId: string, assignment: Assignment): Promise<void> {
  await call(
    api.PUT("/api/organizations/{org_id}/users/{member_id}", {
      params: { path: { ...org(orgId), member_id: memberId } },
      body: assignment,
    }),
  );
}

export type MemberAction = "reinvite" | "revoke" | "restore" | "remove";

export async function memberAction(orgId: string, memberId: string, action: MemberAction): Promise<void> {
  const params = { params: { path: { ...org(orgId), member_id: memberId } } };
  switch (action) {
    case "reinvite":
      await call(api.POST("/api/organizations/{org_id}/users/{member_id}/reinvite", params));
      return;
    case "revoke":
      await call(api.PUT("/api/organizations/{org_id}/users/{member_id}/revoke", params));
      return;
    case "restore":
      await call(api.PUT("/api/organizations/{org_id}/users/{member_id}/restore", params));
      return;
    case "remove":
      await call(api.DELETE("/api/organizations/{org_id}/users/{member_id}", params));
      return;
  }
}

export interface BulkResult {
  id: string;
  error: string;
}

export async function bulkMemberAction(orgId: string, ids: string[], action: MemberAction): Promise<BulkResult[]> {
  const params = { params: { path: org(orgId) }, body: { ids } };
  let body: unknown;
  switch (action) {
    case "reinvite":
      body = await call(api.POST("/api/organizations/{org_id}/users/reinvite", params));
      break;
    case "revoke":
      body = await call(api.PUT("/api/organizations/{org_id}/users/revoke", params));
      break;
    case "restore":
      body = await call(api.PUT("/api/organizations/{org_id}/users/restore", params));
      break;
    case "remove":
      body = await call(api.POST("/api/organizations/{org_id}/users/remove", params));
      break;
  }
  return (body as Listing<BulkResult> | null)?.data ?? [];
}

export interface PublicKeyRow {
  id: string;
  userId: string;
  key: string;
}

export async function publicKeys(orgId: string, ids: string[]): Promise<PublicKeyRow[]> {
  const body = (await call(
    api.POST("/api/organizations/{org_id}/users/public-keys", { params: { path: org(orgId) }, body: { ids } }),
  )) as Listing<PublicKeyRow>;
  return body.data;
}

export async function confirmMember(orgId: string, memberId: string, key: string): Promise<void> {
  await call(
    api.POST("/api/organizations/{org_id}/users/{member_id}/confirm", {
      params: { path: { ...org(orgId), member_id: memberId } },
      body: { key },
    }),
  );
}

export async function bulkConfirm(orgId: string, keys: Array<{ id: string; key: string }>): Promise<BulkResult[]> {
  const body = (await call(
    api.POST("/api/organizations/{org_id}/users/confirm", { params: { path: org(orgId) }, body: { keys } }),
  )) as Listing<BulkResult>;
  return body.data;
}

// --- account recovery and the API key ----------------------------------------------------------------------

export async function resetPasswordDetails(orgId: string, memberId: string): Promise<RecoveryDetails> {
  return await call(
    api.GET("/api/organizations/{org_id}/users/{member_id}/reset-password-details", {
      params: { path: { ...org(orgId), member_id: memberId } },
    }),
  );
}

export async function resetPassword(orgId: string, memberId: string, body: RecoveryRequest): Promise<void> {
  await call(
    api.PUT("/api/organizations/{org_id}/users/{member_id}/reset-password", {
      params: { path: { ...org(orgId), member_id: memberId } },
      body,
    }),
  );
}

/** The organization's API key secret (`organization.<id>`), made on first view; `rotate` replaces it at once. */
export async function organizationApiKey(orgId: string, masterPasswordHash: string, rotate: boolean): Promise<string> {
  const options = { params: { path: org(orgId) }, body: { masterPasswordHash, type: 0 } };
  const body = rotate
    ? await call(api.POST("/api/organizations/{org_id}/rotate-api-key", options))
    : await call(api.POST("/api/organizations/{org_id}/api-key", options));
  return body.apiKey;
}

// --- collections ---------------------------------------------------------------------------------------------

export async function listCollectionDetails(orgId: string): Promise<CollectionDetails[]> {
  const body = (await call(
    api.GET("/api/organizations/{org_id}/collections/details", { params: { path: org(orgId) } }),
  )) as Listing<CollectionDetails>;
  return body.data;
}

export interface CollectionBody {
  name: string; // encrypted
  externalId: string | null;
  users: Selection[];
  groups: Selection[];
}

export async function createCollection(orgId: string, body: CollectionBody): Promise<CollectionDetails> {
  return (await call(
    api.POST("/api/organizations/{org_id}/collections", { params: { path: org(orgId) }, body }),
  )) as CollectionDetails;
}

export async function updateCollection(orgId: string, id: string, body: CollectionBody): Promise<CollectionDetails> {
  return (await call(
    api.PUT("/api/organizations/{org_id}/collections/{collection_id}", {
      params: { path: { ...org(orgId), collection_id: id } },
      body,
    }),
  )) as CollectionDetails;
}

export async function deleteCollection(orgId: string, id: string): Promise<void> {
  await call(
    api.DELETE("/api/organizations/{org_id}/collections/{collection_id}", {
      params: { path: { ...org(orgId), collection_id: id } },
    }),
  );
}

// --- groups --------------------------------------------------------------------------------------------------

export async function listGroups(orgId: string): Promise<GroupDetails[]> {
  const body = (await call(
    api.GET("/api/organizations/{org_id}/groups/details", { params: { path: org(orgId) } }),
  )) as Listing<GroupDetails>;
  return body.data;
}

export interface GroupBody {
  name: string;
  externalId: string | null;
  collections: Selection[];
  users: string[];
}

export async function createGroup(orgId: string, body: GroupBody): Promise<GroupDetails> {
  return (await call(api.POST("/api/organizations/{org_id}/groups", { params: { path: org(orgId) }, body }))) as GroupDetails;
}

export async function updateGroup(orgId: string, id: string, body: GroupBody): Promise<GroupDetails> {
  return (await call(
    api.PUT("/api/organizations/{org_id}/groups/{group_id}", { params: { path: { ...org(orgId), group_id: id } }, body }),
  )) as GroupDetails;
}

export async function deleteGroup(orgId: string, id: string): Promise<void> {
  await call(api.DELETE("/api/organizations/{org_id}/groups/{group_id}", { params: { path: { ...org(orgId), group_id: id } } }));
}

// --- policies ------------------------------------------------------------------------------------------------

export async function listPolicies(orgId: string): Promise<Policy[]> {
  const body = (await call(
    api.GET("/api/organizations/{org_id}/policies", { params: { path: org(orgId) } }),
  )) as Listing<Policy>;
  return body.data;
}

export async function putPolicy(orgId: string, type: number, enabled: boolean, data: Record<string, unknown> | null): Promise<Policy> {
  return (await call(
    api.PUT("/api/organizations/{org_id}/policies/{policy_type}", {
      params: { path: { ...org(orgId), policy_type: type } },
      body: { enabled, data },
    }),
  )) as Policy;
}

// --- events --------------------------------------------------------------------------------------------------

export async function listEvents(
  orgId: string,
  query: { start: string; end: string; continuationToken?: string | null },
): Promise<{ data: AuditEvent[]; continuationToken: string | null }> {
  const body = await call(api.GET("/api/organizations/{org_id}/events", { params: { path: org(orgId), query } }));
  return { data: body.data, continuationToken: body.continuationToken ?? null };
}
