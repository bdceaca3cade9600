/** The provider pages' dependencies (API and session), and the provider a page under `/providers/:id` is about. */
import { createContext, useContext, useSyncExternalStore } from "react";
import { useOutletContext } from "react-router";
import type { ProfileProvider, ProviderAccess } from "./access";
import type { ProviderApi, ProviderSession } from "./ports";

export interface ProviderDeps {
  api: ProviderApi;
  session: ProviderSession;
}

export const ProviderDepsContext = createContext<ProviderDeps | null>(null);

export function useProviderDeps(): ProviderDeps {
  const deps = useContext(ProviderDepsContext);
  if (deps === null) throw new Error("the provider pages need a ProviderDepsContext above them");
  return deps;
}

/** What the provider layout hands its pages. */
export interface ProviderOutlet {
  providerId: string;
  access: ProviderAccess;
}

export function useProvider(): ProviderOutlet {
  return useOutletContext<ProviderOutlet>();
}

/** The caller's providers, re-rendering when the profile changes (a new sync, a revoke that removed one). */
export function useProfileProviders(): readonly ProfileProvider[] {
  const { session } = useProviderDeps();
  return useSyncExternalStore(session.subscribe, () => session.providers());
}
