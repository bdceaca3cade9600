/**
 * What the provider pages need from the rest of the portal: the API calls they make and the caller's keys. The
 * pages take these through `ProviderContext`, so they stay free of how the session and the HTTP client work.
 */
import type { SymmetricKey } from "../../lib/crypto";
import type { AuditEvent } from "../../lib/events";
import type { ProfileProvider } from "./access";
import type { ClientDetails } from "./clientList";
import type { ProviderUserDetails, ProviderUserTypeValue } from "./people";
import type { CreateClientBody } from "./providerKeys";

export interface ProviderDetails {
  id: string;
  name: string;
  businessName?: string | null;
  billingEmail?: string | null;
  type: number;
  status: number;
  enabled: boolean;
  useEvents: boolean;
}

export interface ProviderUpdate {
  name: string;
  businessName: string | null;
  billingEmail: string;
}

export interface AddableOrganization {
  id: string;
  name: string;
  plan: string;
  seats?: number | null;
  disabled?: boolean;
}

export interface PublicKeyRow {
  id: string;
  userId: string;
  key: string;
}

/** One failed item of a bulk call: Bitwarden answers `{id, error}` per id, error "" when it went through. */
export interface BulkResult {
  id: string;
  error: string;
}

export interface EventPage {
  data: AuditEvent[];
  continuationToken?: string | null;
}

export interface EventQuery {
  start: string;
  end: string;
  continuationToken?: string | null;
}

/** A client's member or collection, to name them in the event logs (collection names are EncStrings). */
export interface OrgMemberName {
  id: string;
  userId?: string | null;
  name?: string | null;
  email: string;
}

export interface OrgCollectionName {
  id: string;
  name: string;
}

export interface ClientPageQuery {
  search?: string;
  continuationToken?: string | null;
  pageSize: number;
}

export interface ClientPage {
  data: ClientDetails[];
  /** Where the next page starts; null on the last. */
  continuationToken: string | null;
  /** How many clients match the search in all. */
  count: number;
}

export interface ProviderApi {
  getProvider(providerId: string): Promise<ProviderDetails>;
  updateProvider(providerId: string, update: ProviderUpdate): Promise<ProviderDetails>;

  listClients(providerId: string): Promise<ClientDetails[]>;
  /** One page of clients by name (keyset: `continuationToken` from the previous page), filtered by `search`. */
  clientPage(providerId: string, query: ClientPageQuery): Promise<ClientPage>;
  createClient(providerId: string, body: CreateClientBody): Promise<void>;
  addableOrganizations(providerId: string): Promise<AddableOrganization[]>;
  addExistingClient(providerId: string, organizationId: string, key: string): Promise<void>;
  detachClient(providerId: string, providerOrganizationId: string): Promise<void>;
  setProviderAccessToItems(providerId: string, client: { id: string; seats: number }, allowed: boolean): Promise<void>;
  updateClient(providerId: string, providerOrganizationId: string, change: { name: string; seats: number }): Promise<void>;

  listUsers(providerId: string): Promise<ProviderUserDetails[]>;
  invite(providerId: string, emails: string[], type: ProviderUserTypeValue): Promise<void>;
  reinvite(providerId: string, ids: string[]): Promise<BulkResult[]>;
  publicKeys(providerId: string, ids: string[]): Promise<PublicKeyRow[]>;
  confirm(providerId: string, keys: Array<{ id: string; key: string }>): Promise<BulkResult[]>;
  changeType(providerId: string, providerUserId: string, type: ProviderUserTypeValue): Promise<void>;
  revoke(providerId: string, providerUserId: string): Promise<void>;
  restore(providerId: string, providerUserId: string): Promise<void>;
  remove(providerId: string, ids: string[]): Promise<BulkResult[]>;

  organizationMembers(organizationId: string): Promise<OrgMemberName[]>;
  organizationCollections(organizationId: string): Promise<OrgCollectionName[]>;

  providerEvents(providerId: string, query: EventQuery): Promise<EventPage>;
  clientEvents(providerId: string, query: EventQuery): Promise<EventPage>;
}

export interface ProviderSession {
  /** Calls `listener` whenever the profile changes (useSyncExternalStore's subscribe). */
  subscribe(listener: () => void): () => void;
  /** `profile.providers[]` of the last sync (the same array until the profile changes). */
  providers(): readonly ProfileProvider[];
  /** The provider key, opened with the caller's private key (throws when the caller holds none). */
  providerKey(providerId: string): Promise<SymmetricKey>;
  /** A client organization's key, through the provider key (or as a member); throws when neither is held. */
  clientOrganizationKey(organizationId: string): Promise<SymmetricKey>;
  /** An organization's key as the caller holds it as a member, or null. */
  organizationKey(organizationId: string): Promise<SymmetricKey | null>;
  /** Which client organizations are enabled, by organization id, from the profile (client rows show "Disabled"
   * otherwise). One map per profile: the clients page looks up 10,000 rows in it. */
  organizationsEnabled(): ReadonlyMap<string, boolean>;
  /** Sync again: after a client is created, added or detached the profile's keys change. */
  refresh(): Promise<void>;
}
