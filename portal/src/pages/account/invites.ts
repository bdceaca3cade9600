/**
 * The invitation links the services mail (organization service `invites.py`, provider service `ports.py`):
 *   /#/accept-organization?organizationId&organizationUserId&email&organizationName&token
 *   /#/providers/accept-provider?providerId&providerUserId&email&providerName&token
 *   /#/providers/setup?…the same…   (the first admin of a provider the operator just opened)
 * and the calls they lead to.
 */
import { api, call } from "../../lib/api";
import { makeProviderKey } from "../../lib/crypto";

export type Invitation = {
  kind: "organization" | "provider" | "providerSetup";
  /** What the invite is for, as the link names it (null when the link does not say). */
  name: string | null;
  email: string;
  token: string;
  accept: () => Promise<void>;
};

function get(params: URLSearchParams, name: string): string | null {
  const value = params.get(name)?.trim();
  return value ? value : null;
}

export function organizationInvitation(params: URLSearchParams): Invitation | null {
  const orgId = get(params, "organizationId");
  const memberId = get(params, "organizationUserId");
  const email = get(params, "email");
  const token = get(params, "token");
  if (!orgId || !memberId || !email || !token) return null;
  return {
    kind: "organization",
    name: get(params, "organizationName"),
    email,
    token,
    accept: async () => {
      await call(
        api.POST("/api/organizations/{org_id}/users/{member_id}/accept", {
          params: { path: { org_id: orgId, member_id: memberId } },
          body: { token },
        }),
      );
    },
  };
}

export type ProviderSetup = { name: string; businessName: string | null; billingEmail: string };

/** The first admin's invitation: accepting is part of setting the provider up (one call, with the token). */
export function providerSetupInvitation(params: URLSearchParams): (Invitation & { providerId: string; setUp: (ownPublicKey: string, form: ProviderSetup) => Promise<void> }) | null {
  const invite = providerInvitation(params);
  const providerId = get(params, "providerId");
  if (invite === null || providerId === null) return null;
  return {
    ...invite,
    kind: "providerSetup",
    providerId,
    // The provider key is made here and kept wrapped to our own public key; the server never sees it.
    setUp: async (ownPublicKey, form) => {
      const { wrappedForSelf } = await makeProviderKey(ownPublicKey);
      await call(
        api.POST("/api/providers/{provider_id}/setup", {
          params: { path: { provider_id: providerId } },
          body: { name: form.name, businessName: form.businessName, billingEmail: form.billingEmail, key: wrappedForSelf, token: invite.token },
        }),
      );
    },
  };
}

export function providerInvitation(params: URLSearchParams): Invitation | null {
  const providerId = get(params, "providerId");
  const providerUserId = get(params, "providerUserId");
  const email = get(params, "email");
  const token = get(params, "token");
  if (!providerId || !providerUserId || !email || !token) return null;
  return {
    kind: "provider",
    name: get(params, "providerName"),
    email,
    token,
    accept: async () => {
      await call(
        api.POST("/api/providers/{provider_id}/users/{provider_user_id}/accept", {
          params: { path: { provider_id: providerId, provider_user_id: providerUserId } },
          body: { token },
        }),
      );
    },
  };
}
