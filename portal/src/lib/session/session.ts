/**
 * The one place that holds who is logged in and their keys.
 *
 * States: `loggedOut` → (login / register) → `unlocked` ⇄ (lock / unlock) `locked` → (logout) `loggedOut`.
 * - Keys (master key, user key, private key, org and provider keys) live in memory only, in the `unlocked`
 *   state's KeyRing; lock and logout drop them. The master key is used and forgotten during login/unlock.
 * - Tokens and the *wrapped* keys are kept in sessionStorage (see storage.ts), so a reload lands in `locked`
 *   and asks for the master password again; closing the tab logs out.
 * - The access token is refreshed a minute before it expires, and once after any 401; a refused refresh
 *   logs out.
 * - `watchIdle` locks after 15 minutes without activity (started by `startIdleLock`).
 */
import { api, call, setAuth } from "../api/client";
import {
  type Device,
  type TwoFactorAttempt,
  passwordGrant,
  prelogin,
  readClaims,
  refreshGrant,
  register as registerAccount,
  sendLoginCode,
} from "../api/identity";
import {
  type KdfConfig,
  MacMismatch,
  type PrivateKey,
  type SymmetricKey,
  deriveMasterKey,
  makeAccountKeys,
  masterPasswordHash,
  rewrapUserKey,
  unlockPrivateKey,
  unlockUserKey,
} from "../crypto";
import { watchIdle, type IdleOptions } from "./idle";
import { KeyRing } from "./keyring";
import { type Profile, parseProfile } from "./profile";
import { type KeyValueStore, type StoredSession, clearSession, readSession, writeSession } from "./storage";

export type Account = { userId: string; email: string; name: string | null };

export type SessionState =
  | { status: "loggedOut" }
  | { status: "locked"; account: Account }
  | { status: "unlocked"; account: Account; profile: Profile; keys: KeyRing };

/** The master password did not open the user key. */
export class WrongMasterPassword extends Error {
  override name = "WrongMasterPassword";
  constructor() {
    super("Invalid master password.");
  }
}

/** An action needed an unlocked session. */
export class SessionLocked extends Error {
  override name = "SessionLocked";
  constructor() {
    super("The vault is locked.");
  }
}

export type Registration = {
  email: string;
  name: string;
  password: string;
  hint: string | null;
  kdf: KdfConfig;
};

const REFRESH_MARGIN_MS = 60_000;

export class SessionStore {
  #state: SessionState;
  #stored: StoredSession | null;
  #listeners = new Set<() => void>();
  #refreshing: Promise<string | null> | null = null;
  #stopIdle: (() => void) | null = null;

  constructor(
    private readonly storage: KeyValueStore,
    private readonly device: () => Device,
    private readonly now: () => number = Date.now,
  ) {
    this.#stored = readSession(storage);
    this.#state = this.#stored === null ? { status: "loggedOut" } : { status: "locked", account: accountOf(this.#stored) };
  }

  // ---- observing (React: useSyncExternalStore(session.subscribe, session.getState)) ----------------------

  getState = (): SessionState => this.#state;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** The keys of the unlocked session; throws SessionLocked otherwise. */
  keys(): KeyRing {
    if (this.#state.status !== "unlocked") throw new SessionLocked();
    return this.#state.keys;
  }

  profile(): Profile {
    if (this.#state.status !== "unlocked") throw new SessionLocked();
    return this.#state.profile;
  }

  // ---- account actions --------------------------------------------------------------------------------

  /** prelogin → KDF → master password hash → token → open the user key and private key → profile. */
  /** Log in; an account with two-step login throws `TwoFactorRequired` until `twoFactor` carries a right code. */
  async login(email: string, password: string, twoFactor: TwoFactorAttempt | null = null): Promise<void> {
    const address = email.trim().toLowerCase();
    const kdf = await prelogin(address);
    const masterKey = await deriveMasterKey(password, address, kdf);
    const result = await passwordGrant(address, await masterPasswordHash(masterKey, password), this.device(), twoFactor);
    const userKey = await unlockUserKey(masterKey, result.protectedUserKey).catch(rethrowWrongPassword);
    if (result.encryptedPrivateKey === null) throw new Error("This account has no key pair; set it up with a Bitwarden client first.");
    const privateKey = await unlockPrivateKey(userKey, result.encryptedPrivateKey);
    const claims = readClaims(result.accessToken);
    this.#store({
      userId: claims.sub,
      email: claims.email,
      name: claims.name,
      kdf: result.kdf,
      accessToken: result.accessToken,
      refreshToken: result.refreshToken,
      expiresAt: result.expiresAt,
      protectedUserKey: result.protectedUserKey,
      encryptedPrivateKey: result.encryptedPrivateKey,
    });
    await this.#open(userKey, privateKey);
  }

  /** Mail a login code to the account's two-step login address (the password proves who asks). */
  async sendLoginCode(email: string, password: string): Promise<void> {
    const address = email.trim().toLowerCase();
    const masterKey = await deriveMasterKey(password, address, await prelogin(address));
    await sendLoginCode(address, await masterPasswordHash(masterKey, password));
  }

  /** Make every key in the browser, register, then log in with the hash already made (one KDF run). */
  async register(r: Registration): Promise<void> {
    const keys = await makeAccountKeys(r.email, r.password, r.kdf);
    await registerAccount({
      email: keys.email,
      name: r.name.trim() || null,
      masterPasswordHash: keys.masterPasswordHash,
      masterPasswordHint: r.hint?.trim() || null,
      key: keys.protectedUserKey,
      publicKey: keys.publicKey,
      encryptedPrivateKey: keys.encryptedPrivateKey,
      kdf: r.kdf,
    });
    const result = await passwordGrant(keys.email, keys.masterPasswordHash, this.device());
    const claims = readClaims(result.accessToken);
    this.#store({
      userId: claims.sub,
      email: claims.email,
      name: claims.name,
      kdf: result.kdf,
      accessToken: result.accessToken,
      refreshToken: result.refreshToken,
      expiresAt: result.expiresAt,
      protectedUserKey: result.protectedUserKey,
      encryptedPrivateKey: result.encryptedPrivateKey,
    });
    await this.#open(keys.userKey, keys.privateKey);
  }

  /** Re-derive the master key from the password and open the stored wrapped keys. */
  async unlock(password: string): Promise<void> {
    const stored = this.#stored;
    if (stored === null) throw new Error("Log in first.");
    const masterKey = await deriveMasterKey(password, stored.email, stored.kdf);
    const userKey = await unlockUserKey(masterKey, stored.protectedUserKey).catch(rethrowWrongPassword);
    if (stored.encryptedPrivateKey === null) throw new Error("This account has no key pair.");
    const privateKey = await unlockPrivateKey(userKey, stored.encryptedPrivateKey);
    await this.#open(userKey, privateKey);
  }

  /** The master-password hash that account settings ask for (two-step login, API key): made from the password
   * here, checked by the server; a wrong password answers `WrongMasterPassword` before anything is sent. */
  async masterPasswordHash(password: string): Promise<string> {
    const stored = this.#stored;
    if (stored === null) throw new Error("Log in first.");
    const masterKey = await deriveMasterKey(password, stored.email, stored.kdf);
    await unlockUserKey(masterKey, stored.protectedUserKey).catch(rethrowWrongPassword);
    return masterPasswordHash(masterKey, password);
  }

  /** `POST /api/accounts/password`: the current password proves who asks (checked here first: a wrong one never
   * reaches the server), the same user key goes under a master key from the new one. The server ends every session
   * of the account, this one too, so the session is forgotten: log in again with the new password. */
  async changeMasterPassword(current: string, next: string, hint: string | null): Promise<void> {
    const stored = this.#stored;
    if (stored === null || this.#state.status !== "unlocked") throw new SessionLocked();
    const masterKey = await deriveMasterKey(current, stored.email, stored.kdf);
    const userKey = await unlockUserKey(masterKey, stored.protectedUserKey).catch(rethrowWrongPassword);
    const fresh = await rewrapUserKey(stored.email, next, stored.kdf, userKey);
    await call(
      api.POST("/api/accounts/password", {
        body: {
          masterPasswordHash: await masterPasswordHash(masterKey, current),
          newMasterPasswordHash: fresh.masterPasswordHash,
          key: fresh.protectedUserKey,
          masterPasswordHint: hint,
        },
      }),
    );
    this.logout();
  }

  /** `PUT /api/accounts/update-temp-password`, after an admin recovered the account (ForcePasswordReset): the
   * user's own password replaces the admin's; no current hash is asked (the admin chose it). The same user key goes
   * under the new master key. The server ends every session, this one too: log in again with the new password. */
  async updateTempPassword(next: string, hint: string | null): Promise<void> {
    const stored = this.#stored;
    if (stored === null || this.#state.status !== "unlocked") throw new SessionLocked();
    const fresh = await rewrapUserKey(stored.email, next, stored.kdf, this.#state.keys.userKey);
    await call(
      api.PUT("/api/accounts/update-temp-password", {
        body: { newMasterPasswordHash: fresh.masterPasswordHash, key: fresh.protectedUserKey, masterPasswordHint: hint },
      }),
    );
    this.logout();
  }

  /** Drop every key; tokens stay, so unlock needs only the master password. */
  lock(): void {
    const stored = this.#stored;
    this.#stopIdleWatch();
    this.#set(stored === null ? { status: "loggedOut" } : { status: "locked", account: accountOf(stored) });
  }

  /** Forget tokens and keys (like Bitwarden's web vault, nothing is sent to the server). */
  logout(): void {
    this.#stopIdleWatch();
    clearSession(this.storage);
    this.#stored = null;
    this.#set({ status: "loggedOut" });
  }

  /** Read the profile again (after creating a client, accepting an invite, being confirmed…). */
  async refreshProfile(): Promise<Profile> {
    if (this.#state.status !== "unlocked") throw new SessionLocked();
    const profile = parseProfile(await call(api.GET("/api/accounts/profile")));
    if (this.#state.status === "unlocked") {
      this.#set({ ...this.#state, profile, keys: this.#state.keys.withProfile(profile) });
    }
    return profile;
  }

  /** Lock after `IDLE_LOCK_MS` without activity on `target` (window); restarted by every unlock. */
  startIdleLock(options: IdleOptions): void {
    this.#idleOptions = options;
    if (this.#state.status === "unlocked") this.#startIdleWatch();
  }

  // ---- tokens (the API client's Auth) -------------------------------------------------------------------

  /** This browser's Bitwarden device type (the API client sends it so event logs name the device). */
  deviceType(): number {
    return this.device().type;
  }

  async accessToken(): Promise<string | null> {
    const stored = this.#stored;
    if (stored === null) return null;
    if (this.now() < stored.expiresAt - REFRESH_MARGIN_MS) return stored.accessToken;
    return this.refreshAfterUnauthorized();
  }

  /** One refresh at a time; a refused refresh ends the session. */
  refreshAfterUnauthorized(): Promise<string | null> {
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #refresh(): Promise<string | null> {
    const stored = this.#stored;
    if (stored?.refreshToken == null) {
      if (stored !== null) this.logout();
      return null;
    }
    try {
      const tokens = await refreshGrant(stored.refreshToken);
      if (this.#stored !== stored) return this.#stored?.accessToken ?? null; // logged out or in meanwhile
      this.#store({ ...stored, ...tokens, refreshToken: tokens.refreshToken ?? stored.refreshToken });
      return tokens.accessToken;
    } catch (error) {
      if (isRefusal(error)) this.logout();
      return null;
    }
  }

  // ---- internals ----------------------------------------------------------------------------------------

  #idleOptions: IdleOptions | null = null;

  async #open(userKey: SymmetricKey, privateKey: PrivateKey): Promise<void> {
    const stored = this.#stored;
    if (stored === null) throw new Error("no session");
    // The profile says which organizations and providers the keys may open; without it, stay as we were.
    const profile = parseProfile(await call(api.GET("/api/accounts/profile")));
    if (this.#stored !== stored) return; // logged out (refused token) while the profile loaded
    this.#set({ status: "unlocked", account: accountOf(stored), profile, keys: new KeyRing(userKey, privateKey, profile) });
    this.#startIdleWatch();
  }

  #store(session: StoredSession): void {
    this.#stored = session;
    writeSession(this.storage, session);
  }

  #set(state: SessionState): void {
    this.#state = state;
    for (const listener of [...this.#listeners]) listener();
  }

  #startIdleWatch(): void {
    this.#stopIdleWatch();
    if (this.#idleOptions !== null) this.#stopIdle = watchIdle(() => this.lock(), this.#idleOptions);
  }

  #stopIdleWatch(): void {
    this.#stopIdle?.();
    this.#stopIdle = null;
  }
}

function accountOf(s: StoredSession): Account {
  return { userId: s.userId, email: s.email, name: s.name };
}

function rethrowWrongPassword(error: unknown): never {
  throw error instanceof MacMismatch ? new WrongMasterPassword() : error;
}

/** The server refused the refresh token (400/401), as opposed to being unreachable. */
function isRefusal(error: unknown): boolean {
  const status = (error as { status?: unknown }).status;
  return status === 400 || status === 401;
}

/** Connect a session to the API client (done once for the app's session). */
export function connectApi(session: SessionStore): void {
  setAuth({
    accessToken: () => session.accessToken(),
    refreshAfterUnauthorized: () => session.refreshAfterUnauthorized(),
    deviceType: () => session.deviceType(),
  });
}
