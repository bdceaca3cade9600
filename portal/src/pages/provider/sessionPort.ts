/**
 * The provider pages' ProviderSession over the portal's session (lib/session): the profile's providers, the
 * provider key and org keys from its key ring, and a profile refresh after anything that changes memberships.
 */
import { MissingKey, type SessionStore } from "../../lib/session";
import type { ProfileProvider } from "./access";
import type { ProviderSession } from "./ports";

const NONE: readonly ProfileProvider[] = [];
const enabledByProfile = new WeakMap<object, ReadonlyMap<string, boolean>>();

export function sessionPort(store: SessionStore): ProviderSession {
  const unlocked = () => {
    const state = store.getState();
    return state.status === "unlocked" ? state : null;
  };
  return {
    subscribe: store.subscribe,
    providers: () => unlocked()?.profile.providers ?? NONE,
    providerKey: (providerId) => store.keys().providerKey(providerId),
    clientOrganizationKey: (organizationId) => store.keys().orgKey(organizationId),
    organizationKey: async (organizationId) => {
      const member = unlocked()?.profile.organizations.find((org) => org.id === organizationId && org.key?.startsWith("4."));
      if (member === undefined) return null;
      try {
        return await store.keys().orgKey(organizationId);
      } catch (error) {
        if (error instanceof MissingKey) return null;
        throw error;
      }
    },
    organizationsEnabled: () => {
      const profile = unlocked()?.profile;
      if (profile === undefined) return new Map();
      let enabled = enabledByProfile.get(profile);
      if (enabled === undefined) {
        enabled = new Map(profile.providerOrganizations.map((org) => [org.id, org.enabled]));
        enabledByProfile.set(profile, enabled);
      }
      return enabled;
    },
    refresh: async () => {
      await store.refreshProfile();
    },
  };
}
