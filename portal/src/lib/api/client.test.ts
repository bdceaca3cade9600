import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, api, call, setAuth } from "./client";
import { passwordGrant, prelogin, readClaims } from "./identity";

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
}

afterEach(() => {
  vi.unstubAllGlobals();
  setAuth(null);
});

describe("api client", () => {
  it("sends the bearer token and the device type, and returns the body", async () => {
    const seen: string[] = [];
    vi.stubGlobal("fetch", async (request: Request) => {
      seen.push(`${request.headers.get("Authorization") ?? ""} device ${request.headers.get("Device-Type") ?? ""}`);
      return json(200, { data: [], object: "list", continuationToken: null });
    });
    setAuth({ accessToken: async () => "T1", refreshAfterUnauthorized: async () => null, deviceType: () => 9 });
    const body = await call(api.GET("/api/folders"));
    expect(body).toEqual({ data: [], object: "list", continuationToken: null });
    expect(seen).toEqual(["Bearer T1 device 9"]);
  });

  it("refreshes once after a 401 and retries with the same body", async () => {
    const seen: Array<[string, string]> = [];
    vi.stubGlobal("fetch", async (request: Request) => {
      const auth = request.headers.get("Authorization") ?? "";
      seen.push([auth, await request.text()]);
      return auth === "Bearer T2" ? json(200, { id: "f1" }) : json(401, { message: "expired" });
    });
    setAuth({ accessToken: async () => "T1", refreshAfterUnauthorized: async () => "T2", deviceType: () => 9 });
    const body = await call(api.POST("/api/folders", { body: { name: "2.a|b|c" } }));
    expect(body).toEqual({ id: "f1" });
    expect(seen.map(([auth]) => auth)).toEqual(["Bearer T1", "Bearer T2"]);
    expect(seen[1]?.[1]).toBe(seen[0]?.[1]);
  });

  it("turns an error body into an ApiError with the server's message and field errors", async () => {
    vi.stubGlobal("fetch", async () =>
      json(
        400,
        { message: "Name is required.", validationErrors: { name: ["Name is required."] }, errorModel: { message: "Name is required." } },
        { "X-Correlation-Id": "c-1" },
      ),
    );
    const error = await call(api.POST("/api/folders", { body: { name: "" } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect([apiError.status, apiError.message, apiError.correlationId]).toEqual([400, "Name is required.", "c-1"]);
    expect(apiError.fieldErrors).toEqual({ name: ["Name is required."] });
  });

  it("reports an unreachable server as status 0", async () => {
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("Failed to fetch");
    });
    await expect(call(api.GET("/api/folders"))).rejects.toMatchObject({ status: 0 });
  });
});

describe("identity", () => {
  it("prelogin refuses a downgraded KDF", async () => {
    vi.stubGlobal("fetch", async () => json(200, { kdf: 0, kdfIterations: 1000, kdfMemory: null, kdfParallelism: null }));
    await expect(prelogin("a@b.c")).rejects.toThrow(/iterations/);
    vi.stubGlobal("fetch", async () => json(200, { kdf: 1, kdfIterations: 3, kdfMemory: 64, kdfParallelism: 4 }));
    expect(await prelogin("a@b.c")).toEqual({ kdf: 1, iterations: 3, memory: 64, parallelism: 4 });
  });

  it("sends the password grant as a form and reads the wrapped keys", async () => {
    let form = new URLSearchParams();
    vi.stubGlobal("fetch", async (_url: string, init: RequestInit) => {
      form = new URLSearchParams(String(init.body));
      return json(200, {
        access_token: "a.b.c",
        expires_in: 60,
        refresh_token: "r",
        Key: "2.k",
        Kdf: 0,
        KdfIterations: 600000,
        AccountKeys: { publicKeyEncryptionKeyPair: { wrappedPrivateKey: "2.p" } },
      });
    });
    const result = await passwordGrant("a@b.c", "HASH", { identifier: "d", type: 9, name: "Chrome" });
    expect(Object.fromEntries(form)).toMatchObject({ grant_type: "password", username: "a@b.c", password: "HASH", client_id: "web" });
    expect(result).toMatchObject({ accessToken: "a.b.c", refreshToken: "r", protectedUserKey: "2.k", encryptedPrivateKey: "2.p" });
    expect(result.kdf).toEqual({ kdf: 0, iterations: 600000 });
  });

  it("surfaces invalid credentials as the server's message", async () => {
    vi.stubGlobal("fetch", async () =>
      json(400, { error: "invalid_grant", error_description: "bad", ErrorModel: { Message: "Username or password is incorrect. Try again" } }),
    );
    await expect(passwordGrant("a@b.c", "H", { identifier: "d", type: 9, name: "x" })).rejects.toThrow(
      "Username or password is incorrect. Try again",
    );
  });

  it("reads the claims of a JWT, UTF-8 names included", () => {
    const json = JSON.stringify({ sub: "u1", email: "a@b.c", name: "Zoë Ångström", exp: 5 });
    const payload = Buffer.from(json, "utf8").toString("base64url");
    expect(readClaims(`h.${payload}.s`)).toEqual({ sub: "u1", email: "a@b.c", name: "Zoë Ångström", exp: 5 });
  });
});
