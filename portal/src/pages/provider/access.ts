/**
 * Who may see what of a provider, from the caller's profile (`profile.providers[]` of /api/sync or
 * /api/accounts/profile). The server decides (everyone else gets 404); this only keeps the portal from offering
 * what would be refused: Service Users see Clients only, admins also People, Event logs and Settings.
 */

/** The fields of profile.providers[] this module reads. */
export interface ProfileProvider {
  id: string;
  name: string;
  key?: string | null;
  status: number;
  type: number;
  enabled: boolean;
  useEvents?: boolean;
  /** Bitwarden's ProviderType: 0 MSP, 1 Reseller, 2 Business Unit. */
  providerType?: number;
}

export interface ProviderAccess {
  readonly provider: ProfileProvider;
  readonly isAdmin: boolean;
  readonly canManageUsers: boolean;
  readonly canAccessEventLogs: boolean;
  readonly canEditSettings: boolean;
}

const CONFIRMED = 2;
const PROVIDER_ADMIN = 0;

/** Bitwarden's `canAccess`: a confirmed user of an enabled provider, or its admin even while it is disabled. */
export function canAccess(provider: ProfileProvider): boolean {
  return provider.status === CONFIRMED && (provider.enabled || provider.type === PROVIDER_ADMIN);
}

/** The caller's access to one provider, or null when they have none (the page then shows not found). */
export function accessTo(providers: readonly ProfileProvider[], providerId: string): ProviderAccess | null {
  const provider = providers.find((candidate) => candidate.id === providerId);
  if (provider === undefined || !canAccess(provider)) return null;
  const isAdmin = provider.type === PROVIDER_ADMIN;
  return {
    provider,
    isAdmin,
    canManageUsers: isAdmin,
    canAccessEventLogs: isAdmin && provider.useEvents !== false,
    canEditSettings: isAdmin,
  };
}

/** The providers the caller can open, by name: the "My providers" landing lists them. */
export function myProviders(providers: readonly ProfileProvider[]): ProfileProvider[] {
  return providers.filter(canAccess).sort((a, b) => a.name.localeCompare(b.name));
}
