import { describe, expect, it } from "vitest";
import { accessTo, myProviders, type ProfileProvider } from "./access";

const provider = (id: string, fields: Partial<ProfileProvider> = {}): ProfileProvider => ({
  id,
  name: id,
  status: 2,
  type: 1,
  enabled: true,
  useEvents: true,
  ...fields,
});

describe("provider access", () => {
  it("gives a Service User the clients only", () => {
    expect(accessTo([provider("acme")], "acme")).toMatchObject({
      isAdmin: false,
      canManageUsers: false,
      canAccessEventLogs: false,
      canEditSettings: false,
    });
  });

  it("gives a Provider Admin people, event logs (when the provider uses events) and settings", () => {
    expect(accessTo([provider("acme", { type: 0 })], "acme")).toMatchObject({ isAdmin: true, canManageUsers: true, canAccessEventLogs: true, canEditSettings: true });
    expect(accessTo([provider("acme", { type: 0, useEvents: false })], "acme")?.canAccessEventLogs).toBe(false);
  });

  it("refuses an unknown provider, an unconfirmed or revoked membership, and a Service User of a disabled provider", () => {
    expect(accessTo([provider("acme")], "other")).toBeNull();
    for (const status of [-1, 0, 1]) expect(accessTo([provider("acme", { status })], "acme")).toBeNull();
    expect(accessTo([provider("acme", { enabled: false })], "acme")).toBeNull();
    expect(accessTo([provider("acme", { enabled: false, type: 0 })], "acme")).not.toBeNull();
  });

  it("lists the providers one can open, by name", () => {
    const list = [provider("zeta"), provider("acme"), provider("pending", { status: 1 })];
    expect(myProviders(list).map((p) => p.id)).toEqual(["acme", "zeta"]);
  });
});
