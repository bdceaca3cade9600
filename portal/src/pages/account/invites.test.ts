import { afterEach, describe, expect, it, vi } from "vitest";
import { generateKeyPair, unwrapSymmetricKey } from "../../lib/crypto";
import { organizationInvitation, providerInvitation, providerSetupInvitation } from "./invites";

afterEach(() => vi.unstubAllGlobals());

function recordFetch() {
  const seen: Array<{ path: string; body: Record<string, unknown> }> = [];
  vi.stubGlobal("fetch", async (request: Request) => {
    seen.push({ path: new URL(request.url).pathname, body: JSON.parse((await request.text()) || "{}") });
    return new Response("{}", { status: 200, headers: { "Content-Type": "application/json" } });
  });
  return seen;
}

describe("invitation links", () => {
  it("reads the organization link the organization service mails, and accepts with its token", async () => {
    const params = new URLSearchParams({ organizationId: "o1", organizationUserId: "m1", email: "carol@contoso.test", organizationName: "Contoso", token: "tok" });
    const invite = organizationInvitation(params);
    expect(invite).toMatchObject({ kind: "organization", name: "Contoso", email: "carol@contoso.test" });
    const seen = recordFetch();
    await invite?.accept();
    expect(seen).toEqual([{ path: "/api/organizations/o1/users/m1/accept", body: { token: "tok" } }]);
  });

  it("reads the provider link and refuses an incomplete one", async () => {
    const full = { providerId: "p1", providerUserId: "u1", email: "bob@acme.test", providerName: "Acme MSP", token: "tok" };
    expect(providerInvitation(new URLSearchParams(full))).toMatchObject({ kind: "provider", name: "Acme MSP" });
    expect(providerInvitation(new URLSearchParams({ ...full, token: "" }))).toBeNull();
    expect(organizationInvitation(new URLSearchParams(full))).toBeNull();
    const seen = recordFetch();
    await providerInvitation(new URLSearchParams(full))?.accept();
    expect(seen[0]?.path).toBe("/api/providers/p1/users/u1/accept");
  });

  it("sets a provider up with a provider key wrapped to the admin's own public key", async () => {
    const params = new URLSearchParams({ providerId: "p1", providerUserId: "u1", email: "alice@acme.test", providerName: "Acme MSP", token: "tok" });
    const setup = providerSetupInvitation(params);
    const me = await generateKeyPair();
    const seen = recordFetch();
    await setup?.setUp(me.publicKey, { name: "Acme MSP", businessName: null, billingEmail: "alice@acme.test" });
    expect(seen[0]?.path).toBe("/api/providers/p1/setup");
    const body = seen[0]?.body ?? {};
    expect(body).toMatchObject({ name: "Acme MSP", billingEmail: "alice@acme.test", token: "tok" });
    const providerKey = await unwrapSymmetricKey(String(body.key), { privateKey: me.privateKey });
    expect(providerKey.toBytes()).toHaveLength(64);
  }, 30_000);
});
