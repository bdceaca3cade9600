import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type KdfConfig, deriveMasterKey, masterPasswordHash } from "../crypto";
import vectors from "../crypto/vectors.json";
import { SessionLocked, SessionStore, WrongMasterPassword, connectApi } from "./session";
import { STORAGE_KEY, memoryStore } from "./storage";

const account = vectors.account;
const shared = vectors.sharedKeys;
const PROVIDER_ID = "11111111-1111-4111-8111-111111111111";
const ORG_ID = "22222222-2222-4222-8222-222222222222";
const USER_ID = "33333333-3333-4333-8333-333333333333";
const device = () => ({ identifier: "dev-1", type: 9, name: "test" });

function jwt(claims: Record<string, unknown>): string {
  return `h.${btoa(JSON.stringify(claims)).replace(/=+$/, "")}.s`;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** A fake gateway: one account (the Python-made vector), tokens, the profile; records every request. */
class FakeServer {
  requests: Array<{ method: string; path: string; body: string; auth: string | null }> = [];
  hash = "";
  tokenCount = 0;
  refuseRefresh = false;
  registered: Record<string, unknown> | null = null;
  kdf: KdfConfig = { kdf: 0, iterations: 5_000 };
  protectedUserKey = account.protectedUserKey;
  encryptedPrivateKey = account.encryptedPrivateKey;
  forcePasswordReset = false;

  fetch = async (input: Request | string, init?: RequestInit): Promise<Response> => {
    const request = typeof input === "string" ? new Request(input, init) : input;
    const path = new URL(request.url).pathname;
    const body = await request.text();
    const auth = request.headers.get("Authorization");
    this.requests.push({ method: request.method, path, body, auth });
    if (path === "/identity/accounts/prelogin/password") {
      return json(200, { kdf: this.kdf.kdf, kdfIterations: this.kdf.iterations, kdfMemory: null, kdfParallelism: null });
    }
    if (path === "/identity/accounts/register") {
      const r = JSON.parse(body) as Record<string, unknown>;
      this.registered = r;
      this.hash = String(r.masterPasswordHash);
      this.protectedUserKey = String(r.key);
      this.encryptedPrivateKey = String((r.keys as Record<string, unknown>).encryptedPrivateKey);
      return json(200, { object: "register" });
    }
    if (path === "/identity/connect/token") {
      const form = new URLSearchParams(body);
      if (form.get("grant_type") === "refresh_token") {
        if (this.refuseRefresh) return json(400, { error: "invalid_grant" });
        return json(200, this.#tokens());
      }
      if (form.get("password") !== this.hash) {
        return json(400, { error: "invalid_grant", ErrorModel: { Message: "Username or password is incorrect. Try again" } });
      }
      return json(200, {
        ...this.#tokens(),
        Key: this.protectedUserKey,
        PrivateKey: this.encryptedPrivateKey,
        Kdf: this.kdf.kdf,
        KdfIterations: this.kdf.iterations,
      });
    }
    if (path === "/api/accounts/profile") {
      if (auth !== `Bearer ${this.#current()}`) return json(401, { message: "Unauthorized" });
      return json(200, {
        id: USER_ID,
        email: "erin@example.org",
        name: "Erin",
        forcePasswordReset: this.forcePasswordReset,
        providers: [{ id: PROVIDER_ID, name: "Acme MSP", key: shared.providerKeyForAccount, status: 2, type: 0, enabled: true }],
        organizations: [{ id: ORG_ID, name: "Contoso", key: shared.orgKeyUnderProviderKey, status: 2, type: 0, isProviderUser: true, providerId: PROVIDER_ID }],
        providerOrganizations: [{ id: ORG_ID, name: "Contoso", key: shared.orgKeyUnderProviderKey, providerId: PROVIDER_ID }],
      });
    }
    if (path === "/api/accounts/update-temp-password" && request.method === "PUT") {
      if (!this.forcePasswordReset) return json(400, { message: "User does not have a temporary password to update." });
      const r = JSON.parse(body) as Record<string, unknown>;
      [this.hash, this.protectedUserKey, this.forcePasswordReset] = [String(r.newMasterPasswordHash), String(r.key), false];
      return new Response(null, { status: 200 });
    }
    return json(404, { message: "Not found." });
  };

  #current(): string {
    return jwt({ sub: USER_ID, email: "erin@example.org", name: "Erin", n: this.tokenCount });
  }

  #tokens() {
    this.tokenCount += 1;
    return { access_token: this.#current(), expires_in: 3600, refresh_token: `r${this.tokenCount}`, token_type: "Bearer" };
  }
}

let server: FakeServer;

beforeEach(async () => {
  server = new FakeServer();
  server.hash = await masterPasswordHash(await deriveMasterKey(account.password, account.email, server.kdf), account.password);
  vi.stubGlobal("fetch", server.fetch);
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

function newSession(storage = memoryStore(), now: () => number = Date.now) {
  const session = new SessionStore(storage, device, now);
  connectApi(session);
  return { session, storage };
}

describe("login", () => {
  it("unlocks the Python-made account and opens the provider and client org keys", async () => {
    const { session } = newSession();
    await session.login(" Erin@Example.org ", account.password);
    const state = session.getState();
    expect(state.status).toBe("unlocked");
    expect(session.profile().providers[0]?.name).toBe("Acme MSP");
    const orgKey = await session.keys().orgKey(ORG_ID);
    expect(await orgKey.decryptString(shared.itemNameUnderOrgKey)).toBe(shared.itemName);
    const prelogin = server.requests.find((r) => r.path.endsWith("/prelogin/password"));
    expect(JSON.parse(prelogin?.body ?? "{}")).toEqual({ email: "erin@example.org" });
  });

  it("sends neither the password nor a key, and stores no key in clear", async () => {
    const { session, storage } = newSession();
    await session.login(account.email, account.password);
    const secrets = [account.password, account.userKey, account.privateKey, shared.orgKey, shared.providerKey];
    const sent = server.requests.map((r) => r.body + r.path).join("\n");
    const stored = storage.items.get(STORAGE_KEY) ?? "";
    for (const secret of secrets) {
      expect(sent).not.toContain(secret);
      expect(stored).not.toContain(secret);
    }
    expect(stored).toContain(account.protectedUserKey); // wrapped only
  });

  it("shows the server's refusal and stays logged out", async () => {
    const { session } = newSession();
    await expect(session.login(account.email, "wrong")).rejects.toThrow("Username or password is incorrect");
    expect(session.getState().status).toBe("loggedOut");
  });
});

describe("lock, reload, unlock, logout", () => {
  it("a reload lands locked and needs the master password again", async () => {
    const { session, storage } = newSession();
    await session.login(account.email, account.password);
    const reloaded = newSession(storage).session;
    expect(reloaded.getState()).toEqual({ status: "locked", account: { userId: USER_ID, email: "erin@example.org", name: "Erin" } });
    expect(() => reloaded.keys()).toThrow(SessionLocked);
    await expect(reloaded.unlock("wrong")).rejects.toBeInstanceOf(WrongMasterPassword);
    await reloaded.unlock(account.password);
    expect(reloaded.getState().status).toBe("unlocked");
  });

  it("lock drops the keys and tells subscribers; logout forgets the tokens", async () => {
    const { session, storage } = newSession();
    await session.login(account.email, account.password);
    const heard: string[] = [];
    session.subscribe(() => heard.push(session.getState().status));
    session.lock();
    expect(() => session.keys()).toThrow(SessionLocked);
    session.logout();
    expect(heard).toEqual(["locked", "loggedOut"]);
    expect(storage.items.size).toBe(0);
  });
});

describe("tokens", () => {
  it("refreshes once when the token is due, even for concurrent callers", async () => {
    let clock = Date.now();
    const { session } = newSession(memoryStore(), () => clock);
    await session.login(account.email, account.password);
    clock += 3_600_000;
    const [a, b] = await Promise.all([session.accessToken(), session.accessToken()]);
    expect(a).toBe(b);
    expect(server.requests.filter((r) => r.body.includes("grant_type=refresh_token"))).toHaveLength(1);
  });

  it("logs out when the server refuses the refresh token", async () => {
    let clock = Date.now();
    const { session } = newSession(memoryStore(), () => clock);
    await session.login(account.email, account.password);
    server.refuseRefresh = true;
    clock += 3_600_000;
    expect(await session.accessToken()).toBeNull();
    expect(session.getState().status).toBe("loggedOut");
  });
});

describe("idle lock", () => {
  it("locks after the idle time, and activity postpones it", async () => {
    const { session } = newSession();
    await session.login(account.email, account.password);
    vi.useFakeTimers();
    const target = new EventTarget();
    session.startIdleLock({ timeoutMs: 1_000, checkMs: 100, target });
    vi.advanceTimersByTime(800);
    target.dispatchEvent(new Event("keydown"));
    vi.advanceTimersByTime(800);
    expect(session.getState().status).toBe("unlocked");
    vi.advanceTimersByTime(300);
    expect(session.getState().status).toBe("locked");
  });
});

describe("register", () => {
  it("makes the keys here, sends only the hash and wrapped keys, and ends unlocked", async () => {
    const { session } = newSession();
    server.kdf = { kdf: 0, iterations: 5_000 };
    await session.register({ email: "New@Example.org", name: "New", password: "a long master password", hint: "", kdf: server.kdf });
    expect(session.getState().status).toBe("unlocked");
    const sent = server.registered ?? {};
    expect(sent.email).toBe("new@example.org");
    expect(String(sent.key)).toMatch(/^2\./);
    expect(JSON.stringify(sent)).not.toContain("a long master password");
    expect(sent.masterPasswordHint).toBeNull();
  }, 30_000);
});

describe("a recovered account (ForcePasswordReset)", () => {
  it("carries the flag until the user chooses their own password, which keeps the same user key", async () => {
    server.forcePasswordReset = true;
    const { session } = newSession();
    await session.login(account.email, account.password);
    expect(session.profile().forcePasswordReset).toBe(true);
    const own = "erin chose this one herself";
    await session.updateTempPassword(own, null);
    expect(session.getState().status).toBe("loggedOut"); // the server ended every session
    const sent = server.requests.find((r) => r.path === "/api/accounts/update-temp-password")?.body ?? "";
    expect(sent).not.toContain(own);
    expect(sent).not.toContain(account.userKey);

    await session.login(account.email, own);
    expect(session.profile().forcePasswordReset).toBe(false);
    const orgKey = await session.keys().orgKey(ORG_ID);
    expect(await orgKey.decryptString(shared.itemNameUnderOrgKey)).toBe(shared.itemName);
    await expect(session.login(account.email, account.password)).rejects.toThrow();
  });
});
