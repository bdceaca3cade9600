import { describe, expect, it } from "vitest";
import type { ProfileOrganization } from "../../lib/session";
import { findOrganization } from "./context";

const org = (id: string, extra: Partial<ProfileOrganization> = {}): ProfileOrganization => ({
  id,
  name: id,
  key: null,
  status: 2,
  type: 2,
  enabled: true,
  seats: null,
  providerId: null,
  providerName: null,
  isProviderUser: false,
  organizationUserId: "m1",
  permissions: {},
  ...extra,
});

describe("findOrganization", () => {
  it("finds a confirmed membership, and nothing for an invited or unknown org", () => {
    const profile = { organizations: [org("a"), org("b", { status: 1 })], providerOrganizations: [] };
    expect(findOrganization(profile, "a")?.provider).toBeNull();
    expect(findOrganization(profile, "b")).toBeNull();
    expect(findOrganization(profile, "zzz")).toBeNull();
  });

  it("names the provider a provider user comes through", () => {
    const profile = {
      organizations: [org("c", { isProviderUser: true, type: 0, organizationUserId: null })],
      providerOrganizations: [{ id: "c", name: "c", key: "2.x", providerId: "p1", providerName: "Acme MSP", enabled: true }],
    };
    expect(findOrganization(profile, "c")).toMatchObject({ provider: { id: "p1", name: "Acme MSP" }, entry: { type: 0 } });
  });
});
