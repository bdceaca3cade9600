/**
 * The portal's session: `session` is the app's one SessionStore (sessionStorage for tokens, this browser as
 * the device, the API client wired to its tokens). React components read it with `useSession()`.
 *
 *   const state = useSession();                   // { status: "loggedOut" | "locked" | "unlocked", ... }
 *   await session.login(email, password);         // or register({...}), unlock(password)
 *   session.lock(); session.logout();
 *   const orgKey = await session.keys().orgKey(orgId);   // SymmetricKey: encryptString / decryptString
 *   const providerKey = await session.keys().providerKey(providerId);
 *   await session.refreshProfile();               // after anything that changes memberships
 */
import { useSyncExternalStore } from "react";
import { browserDevice } from "./device";
import { SessionStore, type SessionState, connectApi } from "./session";
import { memoryStore } from "./storage";

export { SessionLocked, SessionStore, WrongMasterPassword, connectApi } from "./session";
export { TwoFactorProvider, TwoFactorRequired } from "../api/identity";
export type { TwoFactorAttempt } from "../api/identity";
export type { Account, Registration, SessionState } from "./session";
export { KeyRing, MissingKey } from "./keyring";
export { IDLE_LOCK_MS, watchIdle } from "./idle";
export {
  MembershipStatus,
  OrganizationUserType,
  ProviderUserType,
  canAdminister,
  confirmedProviders,
  parseProfile,
} from "./profile";
export type { Profile, ProfileOrganization, ProfileProvider, ProviderOrganization } from "./profile";

const inBrowser = typeof window !== "undefined";

export const session = new SessionStore(
  inBrowser ? window.sessionStorage : memoryStore(),
  () => browserDevice(inBrowser ? window.localStorage : null, inBrowser ? navigator.userAgent : ""),
);
connectApi(session);

export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.getState);
}
